/**
 * What logging one interaction costs the app, side by side in one process:
 *   @interlog/sdk  interlog.track({...})
 *   langfuse v3    langfuse.trace({...}).generation({...})   (the equivalent: a trace with one generation)
 * Both send to the same local sink (node:http, answers at once) with the same batch size and interval.
 *
 * Reported per SDK:
 *   - caller path: time of each call as the app sees it (median, p99), over many rounds with the event
 *     loop free between rounds so background sending runs as it would in an app;
 *   - call + microtasks: the call plus the promise jobs it queued (Langfuse does part of its work
 *     there), measured up to the next macrotask, minus the cost of an empty turn;
 *   - CPU per event: all CPU time the process spent (calls, batching, serialisation, HTTP, sink) per event;
 *   - heap: live heap growth while tracking (sampled after a GC every few rounds) and after the final
 *     flush, and the memory bound of interlog's queue with the server unreachable.
 *
 * Run: npm run bench:sdk   (more samples: BENCH_CALLS=100000; Langfuse makes large runs slow)
 */
import { createServer, type Server } from 'node:http'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { Langfuse } from 'langfuse'
import { Interlog } from '../packages/sdk/src/index.js'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

const CALLS = Number(process.env.BENCH_CALLS ?? 20_000)
const ROUND = 500
const WARMUP = { interlog: 30_000, langfuse: 5000 }
const FLUSH_AT = 100
const FLUSH_INTERVAL_MS = 1000

// ---------- the sink: answers both SDKs at once, without parsing bodies ----------

function startSink(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      if (req.url?.startsWith('/api/public/ingestion')) {
        res.writeHead(207, { 'content-type': 'application/json' })
        res.end('{"successes":[],"errors":[]}')
      } else {
        // interlog treats items without a result line in a 2xx answer as stored.
        res.writeHead(207, { 'content-type': 'application/json' })
        res.end('{"results":[],"created":0,"duplicates":0,"failed":0}')
      }
    })
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number }
      resolve({ server, url: `http://127.0.0.1:${address.port}` })
    }),
  )
}

// ---------- the same interaction for both ----------

const messages = [
  { role: 'system', content: 'You are a helpful support assistant for an online shop. Answer briefly and politely.' },
  { role: 'user', content: 'Hi, my order #48213 has not arrived yet. It was supposed to come on Monday. Can you check?' },
]
const reply =
  'I am sorry about the delay. Order #48213 left our warehouse on Friday and is with the carrier; the new estimate is Thursday. I will send you the tracking link by email.'

/** `flush` delivers everything queued, so no background work spills into the next measurement. */
type Tracker = { name: string; warmup: number; call: (n: number) => void; flush: () => Promise<void> }

function interlogTracker(url: string): Tracker {
  const interlog = new Interlog({
    baseUrl: url,
    apiKey: 'bench',
    flushAt: FLUSH_AT,
    flushIntervalMs: FLUSH_INTERVAL_MS,
    registerExitHandler: false,
    onError: () => {},
  })
  return {
    name: '@interlog/sdk',
    warmup: WARMUP.interlog,
    call: (n) => {
      interlog.track({
        type: 'support_chat',
        userId: `user-${n % 100}`,
        threadId: `thread-${n % 1000}`,
        model: 'gpt-4o-mini',
        messages,
        userMessage: messages[1]!.content,
        assistantResponse: reply,
        promptTokens: 52,
        completionTokens: 38,
        totalTokens: 90,
        latencyMs: 840,
        metadata: { shop: 'eu', channel: 'web' },
      })
    },
    flush: () => interlog.flush(),
  }
}

function langfuseTracker(url: string): Tracker {
  const langfuse = new Langfuse({ publicKey: 'pk-bench', secretKey: 'sk-bench', baseUrl: url, flushAt: FLUSH_AT, flushInterval: FLUSH_INTERVAL_MS })
  // flushAsync() sends one batch of flushAt: repeat until Langfuse's queue is empty, then let
  // shutdownAsync() wait for the requests still in flight.
  const queued = () => (langfuse as unknown as { getPersistedProperty(key: string): unknown[] | undefined }).getPersistedProperty('queue')?.length ?? 0
  return {
    name: 'langfuse v3',
    warmup: WARMUP.langfuse,
    call: (n) => {
      const startTime = new Date()
      const trace = langfuse.trace({
        name: 'support_chat',
        userId: `user-${n % 100}`,
        sessionId: `thread-${n % 1000}`,
        input: messages[1]!.content,
        output: reply,
        metadata: { shop: 'eu', channel: 'web' },
      })
      trace.generation({
        name: 'support_chat',
        model: 'gpt-4o-mini',
        input: messages,
        output: reply,
        usage: { input: 52, output: 38, total: 90 },
        startTime,
        endTime: new Date(startTime.getTime() + 840),
      })
    },
    flush: async () => {
      do await langfuse.flushAsync()
      while (queued() > 0)
      await langfuse.shutdownAsync()
    },
  }
}

// ---------- measurement ----------

const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve))

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!
}

/** Times each call on its own; the event loop runs between rounds so background sending happens. */
async function callerPath(tracker: Tracker, calls: number, offset: number): Promise<Float64Array> {
  const samples = new Float64Array(calls)
  for (let done = 0; done < calls; done += ROUND) {
    for (let i = done; i < Math.min(done + ROUND, calls); i++) {
      const start = process.hrtime.bigint()
      tracker.call(offset + i)
      samples[i] = Number(process.hrtime.bigint() - start)
    }
    await nextMacrotask()
  }
  return samples.sort()
}

/**
 * Each call plus everything it queued up to the next macrotask (promise jobs included), minus an empty
 * turn measured just before it: paired, so drift in the cost of a turn cancels out.
 */
async function callPlusMicrotasks(tracker: Tracker, calls: number, offset: number): Promise<Float64Array> {
  const samples = new Float64Array(calls)
  for (let i = 0; i < calls; i++) {
    const t0 = process.hrtime.bigint()
    await nextMacrotask()
    const t1 = process.hrtime.bigint()
    tracker.call(offset + i)
    await nextMacrotask()
    samples[i] = Number(process.hrtime.bigint() - t1) - Number(t1 - t0)
  }
  return samples.sort()
}

async function cpuPerEvent(tracker: Tracker, calls: number, offset: number): Promise<number> {
  const before = process.cpuUsage()
  for (let done = 0; done < calls; done += ROUND) {
    for (let i = done; i < Math.min(done + ROUND, calls); i++) tracker.call(offset + i)
    await nextMacrotask()
  }
  await tracker.flush()
  const used = process.cpuUsage(before)
  return ((used.user + used.system) * 1000) / calls // ns per event
}

/** Live heap (after a GC, so garbage does not count) above the starting point: the most seen while tracking, and after flush. */
async function heapGrowth(tracker: Tracker, calls: number, offset: number): Promise<{ maxLive: number; afterFlush: number }> {
  gc()
  const base = process.memoryUsage().heapUsed
  let maxLive = 0
  for (let done = 0, round = 0; done < calls; done += ROUND, round++) {
    for (let i = done; i < Math.min(done + ROUND, calls); i++) tracker.call(offset + i)
    if (round % 8 === 7) {
      gc()
      maxLive = Math.max(maxLive, process.memoryUsage().heapUsed - base)
    }
    await nextMacrotask()
  }
  await tracker.flush()
  gc()
  return { maxLive, afterFlush: process.memoryUsage().heapUsed - base }
}

/** interlog with nowhere to send: the queue must stay at maxQueueSize and memory must stop growing. */
async function memoryBound(): Promise<string[]> {
  const maxQueueSize = 10_000
  const interlog = new Interlog({
    baseUrl: 'http://127.0.0.1:9', // nothing listens on the discard port
    maxQueueSize,
    maxRetries: 1000,
    shutdownTimeoutMs: 100,
    registerExitHandler: false,
    onError: () => {},
  })
  const lines: string[] = []
  gc()
  const base = process.memoryUsage().heapUsed
  let tracked = 0
  for (const target of [maxQueueSize, 10 * maxQueueSize, 100 * maxQueueSize]) {
    for (; tracked < target; tracked++) {
      interlog.track({ type: 'support_chat', userId: 'u', threadId: 't', messages, assistantResponse: reply, promptTokens: 52 })
      if (tracked % ROUND === 0) await nextMacrotask()
    }
    gc()
    const stats = interlog.stats()
    lines.push(
      `  after ${String(target).padStart(9)} events: heap ${mb(process.memoryUsage().heapUsed - base)}, queued ${stats.queued} (+${stats.inFlight} in flight), dropped ${stats.dropped}`,
    )
  }
  await interlog.shutdown()
  return lines
}

// ---------- report ----------

const us = (ns: number) => `${(ns / 1000).toFixed(2)} µs`
const mb = (bytes: number) => `${bytes >= 0 ? '+' : ''}${(bytes / 1024 / 1024).toFixed(1)} MB`

async function main(): Promise<void> {
  const sink = await startSink()
  console.log(`SDK bench: ${CALLS} calls per SDK, rounds of ${ROUND}, flushAt ${FLUSH_AT}, node ${process.version}\n`)
  // Load fetch's HTTP stack once, so its first-use allocations are not charged to the first SDK measured.
  await fetch(`${sink.url}/warm-up`, { method: 'POST', body: '{}' }).then((response) => response.text())

  console.log('memory bound: interlog, server unreachable, maxQueueSize 10000')
  for (const line of await memoryBound()) console.log(line)

  console.log(`\nlive heap growth over ${CALLS} events, sink answering (most while tracking / after flush)`)
  for (const make of [interlogTracker, langfuseTracker]) {
    const tracker = make(sink.url)
    const heap = await heapGrowth(tracker, CALLS, 20_000_000)
    console.log(`  ${tracker.name.padEnd(14)} ${mb(heap.maxLive).padStart(8)} / ${mb(heap.afterFlush).padStart(8)}`)
  }

  const floor = await callerPath({ name: 'empty', warmup: 0, call: () => {}, flush: async () => {} }, 20_000, 0)
  console.log(`\ntimer floor (empty call): median ${us(percentile(floor, 0.5))}\n`)

  // Caller path: both SDKs warmed up and idle, then measured in alternating slices so drift in
  // machine load hits both alike.
  const trackers = [interlogTracker(sink.url), langfuseTracker(sink.url)]
  for (const tracker of trackers) {
    await callerPath(tracker, tracker.warmup, 0)
    await tracker.flush()
  }
  const slices = 4
  const samples = new Map<string, Float64Array[]>(trackers.map((tracker) => [tracker.name, []]))
  for (let slice = 0; slice < slices; slice++) {
    for (const tracker of trackers) samples.get(tracker.name)!.push(await callerPath(tracker, CALLS / slices, 1_000_000 + slice * CALLS))
  }
  for (const tracker of trackers) await tracker.flush()
  const callerRows = trackers.map((tracker) => {
    const all = Float64Array.from(samples.get(tracker.name)!.flatMap((part) => [...part])).sort()
    return { name: tracker.name, median: percentile(all, 0.5), p99: percentile(all, 0.99) }
  })
  console.log('caller path (each call timed alone)')
  for (const row of callerRows) console.log(`  ${row.name.padEnd(14)} median ${us(row.median).padStart(9)}   p99 ${us(row.p99).padStart(9)}`)

  console.log('\ncall + the promise jobs it queued (each call, up to the next macrotask, minus an empty turn)')
  for (const tracker of trackers) {
    const timed = await callPlusMicrotasks(tracker, 2000, 5_000_000)
    await tracker.flush()
    console.log(`  ${tracker.name.padEnd(14)} median ${us(percentile(timed, 0.5)).padStart(9)}   p99 ${us(percentile(timed, 0.99)).padStart(9)}`)
  }

  console.log('\nCPU per event, everything included (calls, batching, serialisation, HTTP, in-process sink)')
  const cpu: { name: string; ns: number }[] = []
  for (const make of [interlogTracker, langfuseTracker]) {
    const tracker = make(sink.url)
    cpu.push({ name: tracker.name, ns: await cpuPerEvent(tracker, CALLS, 10_000_000) })
  }
  for (const row of cpu) console.log(`  ${row.name.padEnd(14)} ${us(row.ns).padStart(9)}`)


  const [ours, peer] = callerRows
  const ratio = peer!.median / ours!.median
  console.log('\nsummary')
  console.log(`  caller path median: interlog ${us(ours!.median)} vs langfuse ${us(peer!.median)} → ${ratio.toFixed(1)}x cheaper`)
  console.log(`  CPU per event: ${(cpu[1]!.ns / cpu[0]!.ns).toFixed(1)}x cheaper`)
  console.log(`  goal: median < 2 µs (${ours!.median < 2000 ? 'met' : 'NOT met'}), ≥ 5x cheaper than the peer (${ratio >= 5 ? 'met' : 'NOT met'})`)
  sink.server.closeAllConnections()
  sink.server.close()
}

await main()
