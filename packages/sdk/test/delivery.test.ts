import { describe, expect, it } from 'vitest'
import { Interlog, type InterlogError } from '../src/index.js'
import { acceptAll, fakeRuntime, LONG_TIMER_MS, unitOptions, type FakeReply, type RecordedCall } from './support/fake-runtime.js'

const ids = (call: RecordedCall) => ((call.body as { interactions: { id: string }[] }).interactions ?? []).map((item) => item.id)
/** Waits the SDK asked for between attempts (the long flush-interval and request-timeout timers left out). */
const backoffWaits = (delays: number[]) => delays.filter((ms) => ms > 0 && ms < LONG_TIMER_MS)

describe('delivery', () => {
  it('counts 201 and 200 (duplicate) as sent, reports 400/403 items without retrying them', async () => {
    const { runtime, calls } = fakeRuntime((call) => ({
      status: 207,
      body: {
        results: ids(call).map((id, index) =>
          index === 1
            ? { index, id, status: 400, error: { code: 'invalid_input', message: 'metadata: expected object' } }
            : index === 2
              ? { index, id, status: 403, error: { code: 'forbidden', message: 'user mismatch' } }
              : { index, id, status: index === 3 ? 200 : 201 },
        ),
        created: 1,
        duplicates: 1,
        failed: 2,
      },
    }))
    const errors: InterlogError[] = []
    const interlog = new Interlog(unitOptions(runtime, errors))
    const tracked = [0, 1, 2, 3].map((n) => interlog.track({ userMessage: String(n) }))
    await interlog.flush()

    expect(calls).toHaveLength(1)
    expect(interlog.stats()).toMatchObject({ sent: 2, failed: 2, retries: 0 })
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ code: 'rejected', eventIds: [tracked[1], tracked[2]], status: 400 })
    expect(errors[0]!.message).toContain('metadata: expected object')
  })

  it('does not retry a whole-request 4xx such as 401', async () => {
    const { runtime, calls } = fakeRuntime(() => ({ status: 401, body: { error: { code: 'unauthorized', message: 'unknown key' } } }))
    const errors: InterlogError[] = []
    const interlog = new Interlog(unitOptions(runtime, errors))
    const id = interlog.track({ userMessage: 'x' })
    await interlog.flush()
    expect(calls).toHaveLength(1)
    expect(errors).toMatchObject([{ code: 'rejected', status: 401, eventIds: [id] }])
    expect(errors[0]!.message).toContain('unknown key')
    expect(interlog.stats()).toMatchObject({ sent: 0, failed: 1, retries: 0 })
  })

  it('reports a tenant with collection switched off as collection_disabled, without retrying', async () => {
    const body = { error: { code: 'collection_disabled', message: 'Data collection is switched off for this tenant' } }
    const { runtime, calls } = fakeRuntime(() => ({ status: 403, body }))
    const errors: InterlogError[] = []
    const interlog = new Interlog(unitOptions(runtime, errors))
    const id = interlog.track({ userMessage: 'x' })
    await interlog.flush()
    expect(calls).toHaveLength(1)
    expect(errors).toMatchObject([{ code: 'collection_disabled', status: 403, eventIds: [id], details: body }])
    expect(interlog.stats()).toMatchObject({ sent: 0, failed: 1, retries: 0 })
  })

  it('retries 5xx with exponential backoff and jitter, resending the same ids', async () => {
    const { runtime, calls, delays } = fakeRuntime((call, index) => (index < 3 ? { status: 503 } : acceptAll(call)))
    const errors: InterlogError[] = []
    const interlog = new Interlog(unitOptions(runtime, errors, { retryBaseDelayMs: 100 }))
    interlog.track({ userMessage: 'x' })
    interlog.track({ userMessage: 'y' })
    await interlog.flush()

    expect(calls).toHaveLength(4)
    expect(new Set(calls.map((call) => ids(call).join()))).toHaveProperty('size', 1)
    // random() is 0.5: half of each step fixed plus a quarter — 75, 150, 300 for steps 100, 200, 400.
    expect(backoffWaits(delays)).toEqual([75, 150, 300])
    expect(interlog.stats()).toMatchObject({ sent: 2, failed: 0, retries: 3 })
    expect(errors).toEqual([])
  })

  it('honours Retry-After on 429 (seconds and HTTP date), capped at retryMaxDelayMs', async () => {
    const now = Date.parse('2026-03-01T12:00:00Z')
    const replies: FakeReply[] = [
      { status: 429, headers: { 'retry-after': '3' } },
      { status: 429, headers: { 'retry-after': new Date(now + 5000).toUTCString() } },
      { status: 429, headers: { 'retry-after': '3600' } },
    ]
    const { runtime, delays } = fakeRuntime((call, index) => replies[index] ?? acceptAll(call))
    const interlog = new Interlog(unitOptions({ ...runtime, now: () => now }, [], { retryMaxDelayMs: 20_000 }))
    interlog.track({ userMessage: 'x' })
    await interlog.flush()
    expect(backoffWaits(delays)).toEqual([3000, 5000, 20_000])
    expect(interlog.stats()).toMatchObject({ sent: 1, retries: 3 })
  })

  it('gives up after maxRetries network errors and reports the ids', async () => {
    const { runtime, calls } = fakeRuntime(() => new TypeError('fetch failed'))
    const errors: InterlogError[] = []
    const interlog = new Interlog(unitOptions(runtime, errors, { maxRetries: 2 }))
    const id = interlog.track({ userMessage: 'x' })
    await interlog.flush()
    expect(calls).toHaveLength(3)
    expect(errors).toMatchObject([{ code: 'delivery_failed', eventIds: [id] }])
    expect(errors[0]!.message).toContain('fetch failed')
    expect(interlog.stats()).toMatchObject({ sent: 0, failed: 1, retries: 2 })
  })

  it('halves a batch the server finds too large (413) until it fits', async () => {
    const { runtime, calls } = fakeRuntime((call) => (ids(call).length > 2 ? { status: 413, body: { error: { code: 'too_large', message: 'body' } } } : acceptAll(call)))
    const interlog = new Interlog(unitOptions(runtime, []))
    for (let n = 0; n < 5; n++) interlog.track({ userMessage: String(n) })
    await interlog.flush()
    expect(calls.map((call) => ids(call).length)).toEqual([5, 3, 2, 1, 2])
    expect(interlog.stats()).toMatchObject({ sent: 5, failed: 0 })
  })

  it('shutdown() flushes, then records nothing more', async () => {
    const { runtime, calls } = fakeRuntime()
    const errors: InterlogError[] = []
    const interlog = new Interlog(unitOptions(runtime, errors))
    interlog.track({ userMessage: 'before' })
    await interlog.shutdown()
    expect(calls).toHaveLength(1)
    const late = interlog.track({ userMessage: 'after' })
    await interlog.flush()
    expect(calls).toHaveLength(1)
    expect(errors).toMatchObject([{ code: 'closed', eventIds: [late] }])
  })

  it('shutdown() gives up at its deadline on a server that never answers', async () => {
    // A fetch that only ends when aborted, like a server that accepted the connection and went silent.
    const hanging = (_url: string, init: RequestInit) =>
      new Promise<Response>((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(new Error('aborted'))))
    const errors: InterlogError[] = []
    const interlog = new Interlog(
      unitOptions({ fetch: hanging }, errors, { shutdownTimeoutMs: 50, flushAt: 2 }),
    )
    const inFlight = [interlog.track({ userMessage: '1' }), interlog.track({ userMessage: '2' })]
    await new Promise((resolve) => setTimeout(resolve, 10)) // that batch is now in flight
    const queued = interlog.track({ userMessage: '3' })
    expect(interlog.stats()).toMatchObject({ queued: 1, inFlight: 2 })
    await interlog.shutdown()

    expect(interlog.stats()).toMatchObject({ queued: 0, inFlight: 0, sent: 0, failed: 3 })
    expect(errors.map((error) => [error.code, error.eventIds])).toEqual([
      ['shutdown_timeout', [queued]],
      ['shutdown_timeout', inFlight],
    ])
  })
})
