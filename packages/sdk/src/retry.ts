export interface BackoffPolicy {
  baseDelayMs: number
  maxDelayMs: number
}

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random. The fixed half keeps
 * the delay growing; the random half keeps many clients that failed together from retrying together.
 * `attempt` counts from 0 for the first retry.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt, 30))
  return Math.round(step / 2 + random() * (step / 2))
}

/**
 * Retry-After as milliseconds: either delta-seconds ("120") or an HTTP date. Returns undefined when the
 * header is missing or unreadable, so the caller falls back to its own backoff.
 */
export function parseRetryAfter(header: string | null | undefined, now: number): number | undefined {
  if (!header) return undefined
  const trimmed = header.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000)
  const date = Date.parse(trimmed)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - now)
}

/** Statuses worth another attempt: the server may succeed later. Every other 4xx means the request itself is wrong. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500
}
