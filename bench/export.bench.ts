/**
 * npm run bench:export — loads 1,000,000 realistic interactions into one tenant (SQLite, then
 * PostgreSQL), 1% of them with feedback (corrections, accepted, rejected), starts `interlog serve` as
 * its own process and streams `GET /v1/export?format=openai-chat` to a client that counts the lines.
 * Prints rows/s (median of 3 runs) and the server's peak RSS against the goals (>= 50,000 rows/s, RSS under 300 MB).
 * Env: BENCH_ROWS (default 1000000), BENCH_STORES (sqlite,postgres), BENCH_ROUNDS (3), INTERLOG_TEST_DATABASE_URL,
 * BENCH_CPU_PROF=1 (write a CPU profile of the server to ./bench-profiles), BENCH_KEEP=dir (keep the
 * loaded data there and reuse it on the next run; drop the schema bench_export_kept when done),
 * BENCH_NODE_ARGS (flags for the server's node, e.g. "--trace-gc").
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { join } from 'node:path'
import type { Feedback } from '@interlog/schema'
import { normalizeInteraction } from '../packages/server/dist/interactions/interaction.normalize.js'
import { openStore } from '../packages/server/dist/store/create-store.js'
import { uuidv7Ids } from '../packages/server/dist/runtime/clock.js'
import type { Store } from '../packages/server/dist/store/store.js'
import { trainingInteractions } from './export/training-data.js'
import type { StoreKind } from './ingest/bench-config.js'
import { startServerProcess } from './ingest/server-process.js'
import { createTarget } from './ingest/targets.js'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const STORES = (process.env.BENCH_STORES ?? 'sqlite,postgres').split(',') as StoreKind[]
const PG_URL = process.env.INTERLOG_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const ADMIN_KEY = 'il_bench_admin_key_0123456789abcdefghij'
const END = Date.parse('2026-11-01T00:00:00Z')
const GOAL_ROWS_PER_SECOND = 50_000
const GOAL_RSS_MB = 300
const FEEDBACK_EVERY = 100
/** The machine is shared: each store's export runs this many times; the median is the figure, the best is shown too. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)

async function addFeedback(store: Store, tenantId: string, ids: string[]) {
  const kinds = ['modified', 'accepted', 'rejected', 'modified'] as const
  let next = 0
  const worker = async () => {
    while (next < ids.length) {
      const index = next++
      const kind = kinds[index % kinds.length]!
      const feedback: Feedback = {
        id: uuidv7Ids.next(),
        interaction_id: ids[index]!,
        kind,
        sentiment: null,
        quality_score: kind === 'rejected' ? 20 : 85,
        comment: null,
        correction: kind === 'modified' ? `Corrected answer number ${index}: your order ships tomorrow.` : null,
        categories: [],
        edit_distance: null,
        created_at: new Date(END).toISOString(),
      }
      await store.feedback.add(tenantId, feedback, {})
    }
  }
  await Promise.all(Array.from({ length: store.dialect === 'postgres' ? 8 : 1 }, worker))
}

async function load(options: { dataDir: string; databaseUrl?: string; postgresSchema?: string }) {
  const store = await openStore(options)
  const tenantId = uuidv7Ids.next()
  await store.tenants.create({ id: tenantId, name: 'bench-export', created_at: new Date().toISOString() })
  const started = performance.now()
  const clock = { now: () => new Date(END) }
  const withFeedback: string[] = []
  let rows: ReturnType<typeof normalizeInteraction>[] = []
  let loaded = 0
  for (const input of trainingInteractions(ROWS, END, 90)) {
    const row = normalizeInteraction(input, { tenantId, clock, ids: uuidv7Ids })
    rows.push(row)
    if (++loaded % FEEDBACK_EVERY === 0) withFeedback.push(row.interaction.id)
    if (rows.length === 2000) {
      await store.interactions.insertGroups([{ tenantId, rows }])
      rows = []
    }
    if (loaded % 100_000 === 0) process.stdout.write(`  loaded ${loaded.toLocaleString()} (${Math.round(loaded / ((performance.now() - started) / 1000)).toLocaleString()}/s)\n`)
  }
  if (rows.length > 0) await store.interactions.insertGroups([{ tenantId, rows }])
  await addFeedback(store, tenantId, withFeedback)
  const seconds = (performance.now() - started) / 1000
  await store.close()
  return { tenantId, seconds, feedback: withFeedback.length }
}

/** Resident memory of a process, current and peak (VmHWM), in MB. */
function rssMb(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN)
  return { now: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 }
}

/** Streams the export, counting lines, sampling the server's RSS as it goes. */
function streamExport(url: string, key: string, pid: number) {
  return new Promise<{ lines: number; bytes: number; seconds: number; trailer: string | undefined; samples: number[] }>((resolve, reject) => {
    const started = performance.now()
    const samples: number[] = []
    const sampler = setInterval(() => samples.push(rssMb(pid).now), 250)
    let lines = 0
    let bytes = 0
    http
      .get(`${url}/v1/export?format=openai-chat`, { headers: { authorization: `Bearer ${key}` } }, (response) => {
        if (response.statusCode !== 200) reject(new Error(`export: HTTP ${response.statusCode}`))
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1
        })
        response.on('end', () => {
          clearInterval(sampler)
          const trailer = response.trailers['x-export-summary']
          resolve({ lines, bytes, seconds: (performance.now() - started) / 1000, trailer: Array.isArray(trailer) ? trailer[0] : trailer, samples })
        })
        response.on('error', reject)
      })
      .on('error', reject)
  })
}

async function createExportKey(url: string, tenantId: string): Promise<string> {
  const response = await fetch(`${url}/v1/admin/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ tenant_id: tenantId, scopes: ['export'] }),
  })
  if (!response.ok) throw new Error(`key: HTTP ${response.status} ${await response.text()}`)
  return ((await response.json()) as { key: string }).key
}

/**
 * BENCH_KEEP=dir keeps the loaded databases (SQLite in dir/<kind>, a fixed PostgreSQL schema) and
 * reuses them on the next run, to measure again without loading again.
 */
async function targetFor(kind: StoreKind) {
  const keep = process.env.BENCH_KEEP
  if (!keep) return createTarget(kind, PG_URL)
  const dataDir = join(keep, kind)
  mkdirSync(dataDir, { recursive: true })
  return kind === 'postgres'
    ? { dataDir, databaseUrl: PG_URL, databaseSchema: 'bench_export_kept', dispose: async () => {} }
    : { dataDir, dispose: async () => {} }
}

async function loadOnce(dataDir: string, options: { databaseUrl?: string; postgresSchema?: string }) {
  const marker = join(dataDir, 'bench-export.json')
  if (existsSync(marker)) {
    console.log('  reusing the data loaded by an earlier run (BENCH_KEEP)')
    return JSON.parse(readFileSync(marker, 'utf8')) as Awaited<ReturnType<typeof load>>
  }
  const loaded = await load({ dataDir, ...options })
  if (process.env.BENCH_KEEP) writeFileSync(marker, JSON.stringify(loaded))
  return loaded
}

async function benchStore(kind: StoreKind) {
  const target = await targetFor(kind)
  const { dataDir, databaseUrl, databaseSchema: schema } = target
  try {
    console.log(`\n${kind}: loading ${ROWS.toLocaleString()} interactions`)
    const loaded = await loadOnce(dataDir, { databaseUrl, postgresSchema: schema })
    console.log(`  loaded in ${loaded.seconds.toFixed(1)} s, ${loaded.feedback.toLocaleString()} with feedback`)
    const nodeArgs = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', join(process.cwd(), 'bench-profiles')] : []
    if (process.env.BENCH_NODE_ARGS) nodeArgs.push(...process.env.BENCH_NODE_ARGS.split(' '))
    const server = await startServerProcess({ dataDir, adminKey: ADMIN_KEY, databaseUrl, databaseSchema: schema, nodeArgs })
    try {
      const key = await createExportKey(server.url, loaded.tenantId)
      const idle = rssMb(server.pid)
      const rounds = []
      for (let round = 0; round < ROUNDS; round++) {
        const cpuBefore = server.cpuMs()
        const result = await streamExport(server.url, key, server.pid)
        const cpuMs = server.cpuMs() - cpuBefore
        const summary = result.trailer ? (JSON.parse(result.trailer) as { records_read: number; rows_written: number; skipped: Record<string, number> }) : undefined
        if (!summary || summary.rows_written !== result.lines) throw new Error(`line count ${result.lines} does not match the summary ${result.trailer}`)
        const rate = summary.records_read / result.seconds
        console.log(`  round ${round + 1}: ${Math.round(rate).toLocaleString()} rows/s, ${((cpuMs * 1000) / summary.records_read).toFixed(1)} µs server CPU per record`)
        rounds.push({ result, summary, rate, cpuMs })
      }
      const sorted = [...rounds].sort((a, b) => a.rate - b.rate)
      const median = sorted[Math.floor(sorted.length / 2)]!
      const { result, summary } = median
      const quarter = (q: number) => result.samples[Math.min(result.samples.length - 1, Math.floor(q * result.samples.length))] ?? Number.NaN
      return {
        store: kind,
        records: summary.records_read,
        rows: result.lines,
        skipped: summary.skipped,
        seconds: result.seconds,
        recordsPerSecond: median.rate,
        bestPerSecond: sorted.at(-1)!.rate,
        megabytes: result.bytes / 1024 / 1024,
        cpuUsPerRecord: (median.cpuMs * 1000) / summary.records_read,
        idleRss: idle.now,
        rssQuarters: [0.25, 0.5, 0.75, 1].map(quarter),
        peakRss: rssMb(server.pid).peak,
      }
    } finally {
      await server.stop()
    }
  } finally {
    await target.dispose()
  }
}

const results = []
for (const kind of STORES) results.push(await benchStore(kind))
console.log(`\nGET /v1/export?format=openai-chat over HTTP, ${ROWS.toLocaleString()} interactions in one tenant\n`)
for (const r of results) {
  const rate = r.recordsPerSecond
  console.log(`${r.store}`)
  console.log(`  records read      ${r.records.toLocaleString()} in ${r.seconds.toFixed(1)} s (median of ${ROUNDS}): ${Math.round(rate).toLocaleString()} rows/s (best ${Math.round(r.bestPerSecond).toLocaleString()})   goal ${GOAL_ROWS_PER_SECOND.toLocaleString()}   ratio ${(rate / GOAL_ROWS_PER_SECOND).toFixed(2)}   ${rate >= GOAL_ROWS_PER_SECOND ? 'meets goal' : 'MISSES goal'}`)
  console.log(`  lines written     ${r.rows.toLocaleString()} (${r.megabytes.toFixed(0)} MB); skipped ${JSON.stringify(r.skipped)}`)
  console.log(`  server CPU        ${r.cpuUsPerRecord.toFixed(1)} µs per record`)
  console.log(`  server RSS        idle ${r.idleRss.toFixed(0)} MB; at 25/50/75/100% ${r.rssQuarters.map((mb) => mb.toFixed(0)).join(' / ')} MB; peak ${r.peakRss.toFixed(0)} MB   goal < ${GOAL_RSS_MB} MB   ratio ${(r.peakRss / GOAL_RSS_MB).toFixed(2)}   ${r.peakRss < GOAL_RSS_MB ? 'meets goal' : 'MISSES goal'}`)
}
