/**
 * npm run bench:archive — loads 1,000,000 realistic interactions (3 tenants, 90 days, ~1 KB each)
 * through the store's insert path, then archives every one of them to the filesystem target the way
 * `interlog archive` does (read, compress, write, read back and verify, then delete the hot rows with
 * their tags, feedback and search entries in one transaction per chunk). Prints records/s against the
 * goal, the compression ratio, heap use over the run (its peak in the first and in the second half: flat
 * memory does not grow as the run goes on), CPU time per record (main thread and thread pool together),
 * the machine's CPU time per record (every process, the database's and the kernel's work included; Linux),
 * and the longest event-loop stalls (what a request to a server archiving at that moment would wait).
 * Env: BENCH_ROWS (default 1000000), BENCH_STORES (sqlite,postgres), BENCH_CHUNK_RECORDS (default: the
 * server's), BENCH_GZIP_LEVEL (default: the server's), INTERLOG_TEST_DATABASE_URL, BENCH_CPU_PROFILE (a
 * directory: writes a .cpuprofile of the archive run alone, without the load, per store), BENCH_KEEP (a
 * directory: the loaded data is kept there — SQLite's files, and a PostgreSQL template database
 * interlog_bench_archive_<rows> — and every later run archives a fresh copy of it instead of loading
 * again; drop that database when done).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { archiveSetupFrom } from '../packages/server/dist/archive/archive.config.js'
import { loadConfig } from '../packages/server/dist/config/config.js'
import { createServices } from '../packages/server/dist/services.js'
import { openStore } from '../packages/server/dist/store/create-store.js'
import pg from 'pg'
import { analyze, dropSchema, loadRealistic, type LoadTarget } from './query/load-store.js'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const STORES = (process.env.BENCH_STORES ?? 'sqlite,postgres').split(',')
const PG_URL = process.env.INTERLOG_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const END = Date.parse('2026-11-01T00:00:00Z')
const GOAL_RECORDS_PER_SECOND = 30_000
const MB = 1024 * 1024
const PROFILE_DIR = process.env.BENCH_CPU_PROFILE
const KEEP = process.env.BENCH_KEEP
const KEPT_SCHEMA = 'bench_archive'

/** Profiles `work` alone (the archive run, not the load before it) when BENCH_CPU_PROFILE names a directory. */
async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  if (!PROFILE_DIR) return work()
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.start')
  try {
    return await work()
  } finally {
    const { profile } = await session.post('Profiler.stop')
    mkdirSync(PROFILE_DIR, { recursive: true })
    writeFileSync(join(PROFILE_DIR, `archive-${name}.cpuprofile`), JSON.stringify(profile))
    session.disconnect()
  }
}

/**
 * CPU time of the whole machine so far, in µs (Linux): what the database's own processes and the kernel's
 * file and network work cost, which the Node process's own figure leaves out. Undefined elsewhere.
 */
function machineTicks(): { busy: number; system: number } | undefined {
  if (!existsSync('/proc/stat')) return undefined
  // cpu user nice system idle iowait irq softirq steal ...: in clock ticks of 10 ms
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number) as number[]
  const tick = 10_000
  return { busy: (user! + nice! + system! + irq! + softirq! + steal!) * tick, system: (system! + irq! + softirq!) * tick }
}

async function adminQuery(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

function urlOfDatabase(database: string): string {
  const url = new URL(PG_URL)
  url.pathname = `/${database}`
  return url.toString()
}

/** Loads the interactions into `target` and gathers planner statistics; the store is closed after. */
async function load(target: LoadTarget, analyzeUrl: string) {
  console.log(`  loading ${ROWS.toLocaleString()} interactions`)
  const loaded = await loadRealistic(target, ROWS, END)
  await loaded.store.close()
  console.log(`  loaded in ${loaded.seconds.toFixed(1)} s`)
  await analyze(target, analyzeUrl)
  return { tenantIds: loaded.tenantIds }
}

/**
 * The data to archive: loaded for this run, or (BENCH_KEEP) a fresh copy of what an earlier run loaded,
 * since archiving consumes it. `dispose` removes what the run used.
 */
async function prepare(kind: string): Promise<{ target: LoadTarget; tenantIds: string[]; dispose: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'interlog-bench-archive-'))
  if (!KEEP) {
    const schema = kind === 'postgres' ? `bench_archive_${Date.now().toString(36)}` : undefined
    const target = { dataDir, databaseUrl: kind === 'postgres' ? PG_URL : undefined, postgresSchema: schema }
    const dispose = async () => {
      rmSync(dataDir, { recursive: true, force: true })
      if (schema) await dropSchema(PG_URL, schema)
    }
    try {
      return { target, ...(await load(target, PG_URL)), dispose }
    } catch (error) {
      await dispose()
      throw error
    }
  }
  const marker = join(KEEP, `archive-${kind}-${ROWS}.json`)
  const keptDir = join(KEEP, `archive-sqlite-${ROWS}`)
  const template = `interlog_bench_archive_${ROWS}`
  if (!existsSync(marker)) {
    mkdirSync(KEEP, { recursive: true })
    const kept =
      kind === 'postgres'
        ? await adminQuery(`DROP DATABASE IF EXISTS ${template}`)
            .then(() => adminQuery(`CREATE DATABASE ${template}`))
            .then(() => load({ dataDir, databaseUrl: urlOfDatabase(template), postgresSchema: KEPT_SCHEMA }, urlOfDatabase(template)))
        : await load({ dataDir: keptDir }, PG_URL)
    writeFileSync(marker, JSON.stringify(kept))
  } else {
    console.log('  archiving a copy of the data an earlier run loaded (BENCH_KEEP)')
  }
  const { tenantIds } = JSON.parse(readFileSync(marker, 'utf8')) as { tenantIds: string[] }
  if (kind !== 'postgres') {
    cpSync(keptDir, dataDir, { recursive: true })
    return { target: { dataDir }, tenantIds, dispose: async () => rmSync(dataDir, { recursive: true, force: true }) }
  }
  const copy = 'interlog_bench_archive_run'
  await adminQuery(`DROP DATABASE IF EXISTS ${copy}`)
  await adminQuery(`CREATE DATABASE ${copy} TEMPLATE ${template}`)
  return {
    target: { dataDir, databaseUrl: urlOfDatabase(copy), postgresSchema: KEPT_SCHEMA },
    tenantIds,
    dispose: async () => {
      rmSync(dataDir, { recursive: true, force: true })
      await adminQuery(`DROP DATABASE IF EXISTS ${copy}`)
    },
  }
}

async function benchStore(kind: string) {
  console.log(`\n${kind}:`)
  const { target, tenantIds, dispose } = await prepare(kind)
  const { dataDir, databaseUrl, postgresSchema: schema } = target
  const store = await openStore(target)
  let closed = false
  try {
    const config = { ...loadConfig({}), dataDir, databaseUrl, databaseSchema: schema }
    // The day after the data ends, archiving everything older than today: every row goes.
    const archive = archiveSetupFrom(config)
    const settings = archive.service.settings
    archive.service.settings = {
      ...settings,
      chunkRecords: Number(process.env.BENCH_CHUNK_RECORDS ?? settings.chunkRecords),
      gzipLevel: Number(process.env.BENCH_GZIP_LEVEL ?? settings.gzipLevel),
    }
    const services = createServices(store, { writerBatchRows: 2000, archive, clock: { now: () => new Date(END + 86_400_000) } })

    let read = 0
    const readByTenant = new Map<string, number>()
    const samples: { read: number; heap: number; rss: number }[] = []
    // How long the event loop (and so every request of a server running the archive) waits at worst.
    const stalls = monitorEventLoopDelay({ resolution: 10 })
    stalls.enable()
    const sampler = setInterval(() => {
      const memory = process.memoryUsage()
      samples.push({ read, heap: memory.heapUsed, rss: memory.rss })
    }, 100)
    const heapBefore = process.memoryUsage().heapUsed
    const cpuBefore = process.cpuUsage()
    const machineBefore = machineTicks()
    const started = performance.now()
    let lastPrint = 0
    const summary = await profiled(kind, () => services.archive.run({
      actor: 'bench',
      dryRun: false,
      olderThanDays: 0,
      onEvent: (event) => {
        if (event.kind !== 'progress') return
        readByTenant.set(event.tenantId, event.records)
        read = [...readByTenant.values()].reduce((sum, n) => sum + n, 0)
        const now = performance.now()
        if (now - lastPrint > 5000) {
          lastPrint = now
          process.stdout.write(`  ${event.tenantId.slice(-6)}: ${event.records.toLocaleString()} read\n`)
        }
      },
    }))
    const seconds = (performance.now() - started) / 1000
    const cpu = process.cpuUsage(cpuBefore)
    const machine = machineTicks()
    clearInterval(sampler)
    stalls.disable()

    const hotLeft = (
      await Promise.all(tenantIds.map((tenantId) => store.metrics.rowSums(tenantId, {}, ['n'], { from: -8.64e15, to: 8.64e15 }).then((sums) => sums.n)))
    ).reduce((sum, n) => sum + n, 0)
    const archived = (await services.archive.archivedStats()).reduce((sum, row) => sum + row.records, 0)
    if (hotLeft !== 0 || archived !== ROWS || summary.totals.records !== ROWS) {
      throw new Error(`archive incomplete: ${hotLeft} hot left, ${archived} archived, ${summary.totals.records} in the summary`)
    }
    const half = samples.length >> 1
    const peak = (list: typeof samples, key: 'heap' | 'rss') => Math.max(...list.map((sample) => sample[key])) / MB
    await store.close()
    closed = true
    return {
      kind,
      records: summary.totals.records,
      objects: summary.totals.objects,
      seconds,
      rate: summary.totals.records / seconds,
      ratio: summary.totals.compression_ratio,
      bytesBefore: summary.totals.bytes_before,
      bytesAfter: summary.totals.bytes_after,
      heapBefore: heapBefore / MB,
      heapFirstHalf: peak(samples.slice(0, half), 'heap'),
      heapSecondHalf: peak(samples.slice(half), 'heap'),
      rssPeak: peak(samples, 'rss'),
      stallMaxMs: stalls.max / 1e6,
      stallP99Ms: stalls.percentile(99) / 1e6,
      cpuPerRecord: (cpu.user + cpu.system) / ROWS,
      machine: machineBefore && machine ? { busy: (machine.busy - machineBefore.busy) / ROWS, system: (machine.system - machineBefore.system) / ROWS } : undefined,
      chunkRecords: archive.service.settings.chunkRecords,
      gzipLevel: archive.service.settings.gzipLevel,
    }
  } finally {
    // Closed before the copy goes, so a failed run reports its own error rather than the copy's being in use.
    if (!closed) await store.close()
    await dispose()
  }
}

const describe = (r: Awaited<ReturnType<typeof benchStore>>) => ({
  store: r.kind,
  'records/s': Math.round(r.rate),
  goal: GOAL_RECORDS_PER_SECOND,
  'ratio to goal': Number((r.rate / GOAL_RECORDS_PER_SECOND).toFixed(2)),
  seconds: Number(r.seconds.toFixed(1)),
  'CPU µs/record': Number(r.cpuPerRecord.toFixed(1)),
  'machine CPU µs/record (of which kernel)': r.machine ? `${r.machine.busy.toFixed(0)} (${r.machine.system.toFixed(0)})` : 'n/a',
  objects: r.objects,
  'MB before': Math.round(r.bytesBefore / MB),
  'MB after': Math.round(r.bytesAfter / MB),
  compression: r.ratio,
  'heap MB before': Math.round(r.heapBefore),
  'heap MB peak, 1st half': Math.round(r.heapFirstHalf),
  'heap MB peak, 2nd half': Math.round(r.heapSecondHalf),
  'RSS MB peak': Math.round(r.rssPeak),
  'event loop stall ms, p99 / max': `${Math.round(r.stallP99Ms)} / ${Math.round(r.stallMaxMs)}`,
  chunk: r.chunkRecords,
  gzip: r.gzipLevel,
  result: r.rate >= GOAL_RECORDS_PER_SECOND ? 'meets goal' : 'MISSES goal',
})
const line = (r: Awaited<ReturnType<typeof benchStore>>) => Object.entries(describe(r)).map(([key, value]) => `${key}: ${value}`).join(' | ')

const results = []
for (const kind of STORES) {
  const result = await benchStore(kind)
  console.log(`  ${line(result)}`)
  results.push(result)
}
console.log(`\narchiving ${ROWS.toLocaleString()} interactions to the filesystem target (load average at the end: ${loadavg().map((n) => n.toFixed(1)).join(' ')})\n`)
for (const result of results) console.log(line(result))
