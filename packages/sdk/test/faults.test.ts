import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Interlog, type InterlogError, type InterlogOptions } from '../src/index.js'
import { Sink, waitUntil } from './support/sink.js'

/** Real HTTP on 127.0.0.1 against a sink that misbehaves on cue. Short intervals keep the file fast. */
let sink: Sink
let errors: InterlogError[]
let clients: Interlog[]

function client(options: InterlogOptions = {}): Interlog {
  const interlog = new Interlog({
    baseUrl: sink.url,
    apiKey: 'il_key',
    flushIntervalMs: 10,
    retryBaseDelayMs: 10,
    retryMaxDelayMs: 50,
    timeoutMs: 2000,
    registerExitHandler: false,
    onError: (error) => errors.push(error),
    ...options,
  })
  clients.push(interlog)
  return interlog
}

/** Tracks like app code does, asserting the SDK never throws into it. */
function trackMany(interlog: Interlog, count: number, label: string): string[] {
  return Array.from({ length: count }, (_, n) => {
    let id = ''
    expect(() => (id = interlog.track({ type: 'fault_test', userMessage: `${label} ${n}` }))).not.toThrow()
    return id
  })
}

beforeEach(async () => {
  sink = await Sink.start()
  errors = []
  clients = []
})

afterEach(async () => {
  await Promise.all(clients.map((interlog) => interlog.shutdown()))
  await sink.stop()
})

describe('fault tolerance over real HTTP', () => {
  it('loses nothing while the server is down for a while and then comes back', async () => {
    const interlog = client({ maxRetries: 100 })
    await sink.down()
    const tracked = trackMany(interlog, 40, 'during outage')
    await waitUntil(() => interlog.stats().retries >= 3, 'a few failed attempts')
    const more = trackMany(interlog, 10, 'still down')
    await sink.up()
    await interlog.flush()

    expect([...sink.stored].sort()).toEqual([...tracked, ...more].sort())
    expect(interlog.stats()).toMatchObject({ sent: 50, failed: 0, dropped: 0, queued: 0 })
    expect(errors).toEqual([])
  })

  it('retries 500s and 429s until the server accepts, without storing anything twice', async () => {
    sink.respond = (request, index) => {
      if (index === 0) return { status: 500, body: { error: { code: 'internal', message: 'boom' } } }
      if (index === 1) return { status: 429, body: { error: { code: 'rate_limited', message: 'slow down' } }, headers: { 'retry-after': '0' } }
      return 'default'
    }
    const interlog = client()
    const tracked = trackMany(interlog, 5, 'retry')
    await interlog.flush()

    expect(sink.requests).toHaveLength(3)
    expect(sink.postedInteractionIds()).toEqual([...tracked, ...tracked, ...tracked])
    expect(sink.stored).toEqual(tracked)
    expect(interlog.stats()).toMatchObject({ sent: 5, failed: 0, retries: 2 })
    expect(errors).toEqual([])
  })

  it("waits out a 429's Retry-After before the next attempt", async () => {
    sink.respond = (_request, index) => (index === 0 ? { status: 429, body: {}, headers: { 'retry-after': '1' } } : 'default')
    const interlog = client({ retryMaxDelayMs: 5000 })
    trackMany(interlog, 1, 'rate limited')
    await interlog.flush()
    const [first, second] = sink.requests
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(950)
    expect(interlog.stats()).toMatchObject({ sent: 1, retries: 1 })
  })

  it('abandons a request slower than timeoutMs and retries it; the resent ids are deduplicated', async () => {
    sink.respond = (_request, index) => (index === 0 ? 'hang' : 'default')
    const interlog = client({ timeoutMs: 150 })
    const tracked = trackMany(interlog, 3, 'slow')
    await interlog.flush()

    expect(sink.requests).toHaveLength(2)
    expect(sink.postedInteractionIds()).toEqual([...tracked, ...tracked])
    expect(sink.stored).toEqual(tracked)
    expect(interlog.stats()).toMatchObject({ sent: 3, failed: 0, retries: 1 })
  })

  it('gives up after maxRetries on a server that keeps failing, and reports it', async () => {
    sink.respond = () => ({ status: 503, body: { error: { code: 'unavailable', message: 'maintenance' } } })
    const interlog = client({ maxRetries: 2 })
    const tracked = trackMany(interlog, 2, 'doomed')
    await interlog.flush()
    expect(sink.requests).toHaveLength(3)
    expect(interlog.stats()).toMatchObject({ sent: 0, failed: 2, retries: 2 })
    expect(errors).toMatchObject([{ code: 'delivery_failed', eventIds: tracked }])
  })

  it('drops the oldest events when the queue is full, counts them, and delivers the newest', async () => {
    await sink.down()
    const interlog = client({ maxQueueSize: 20, flushAt: 5, maxRetries: 100 })
    const first = trackMany(interlog, 8, 'first')
    // Those 8 leave the queue as one batch, retried against the dead server while the queue refills.
    await waitUntil(() => interlog.stats().inFlight === 8, 'the first batch to be in flight')
    const overflow = trackMany(interlog, 30, 'overflow')
    // The queue holds 20; each of the other 10 evicted the oldest waiting event.
    expect(interlog.stats()).toMatchObject({ queued: 20, inFlight: 8, dropped: 10 })
    await sink.up()
    await interlog.flush()

    expect(sink.stored).toEqual([...first, ...overflow.slice(10)])
    expect(interlog.stats()).toMatchObject({ sent: 28, dropped: 10, failed: 0, queued: 0 })
    expect(errors.map((error) => error.code)).toEqual(['queue_overflow'])
  })

  it('never lets the queue exceed maxQueueSize, however fast the app tracks', () => {
    const interlog = client({ maxQueueSize: 100, flushAt: 1000 })
    for (let n = 0; n < 10_000; n++) {
      interlog.track({ userMessage: 'burst' })
      if (interlog.stats().queued > 100) throw new Error(`queue grew to ${interlog.stats().queued}`)
    }
    expect(interlog.stats()).toMatchObject({ queued: 100, dropped: 9900 })
  })
})
