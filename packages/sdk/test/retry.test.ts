import { describe, expect, it } from 'vitest'
import { backoffDelay, isRetryableStatus, parseRetryAfter } from '../src/retry.js'

describe('retry policy', () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 1000 }

  it('doubles each step, keeps half fixed and half random, and caps at maxDelayMs', () => {
    expect([0, 1, 2, 3, 4, 10].map((attempt) => backoffDelay(attempt, policy, () => 0))).toEqual([50, 100, 200, 400, 500, 500])
    expect([0, 1, 2, 3, 4, 10].map((attempt) => backoffDelay(attempt, policy, () => 1))).toEqual([100, 200, 400, 800, 1000, 1000])
  })

  it('reads Retry-After as seconds or an HTTP date, and ignores what it cannot read', () => {
    const now = Date.parse('2026-03-01T12:00:00Z')
    expect(parseRetryAfter('2', now)).toBe(2000)
    expect(parseRetryAfter('0.5', now)).toBe(500)
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:00:07 GMT', now)).toBe(7000)
    expect(parseRetryAfter('Sun, 01 Mar 2026 11:00:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter(null, now)).toBeUndefined()
  })

  it('retries timeouts, 429 and 5xx only', () => {
    expect([408, 429, 500, 502, 503].every(isRetryableStatus)).toBe(true)
    expect([400, 401, 403, 404, 409, 413, 422].some(isRetryableStatus)).toBe(false)
  })
})
