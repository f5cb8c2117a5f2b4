/**
 * npm run bench:archive — loads 1,000,000 realistic interactions (3 tenants, 90 days, ~1 KB each)
 * through the store's insert path, then archives every one of them to the filesystem target the way
 * `interlog archive` does (read, compress, write, read back and verify, then delete the hot rows with
 * their tags, feedback and search entries in one transaction per chunk). Prints records/s against the
 * goal, the compression ratio, heap use over the run (its peak in the first and in the second half: flat
 * memory does not grow as the run goes on), and CPU time per record (main thread and thread pool together).
 * Env: BENCH_ROWS (default 1000000), BENCH_STORES (sqlite,postgres), BENCH_CHUNK_RECORDS (default: the
 * server's), BENCH_GZIP_LEVEL (default: the server's), INTERLOG_TEST_DATABASE_URL, BENCH_CPU_PROFILE (a
 * directory: writes a .cpuprofile of the archive run alone, without the load, per store).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { archiveSetupFrom } from '../packages/server/dist/archive/archive.config.js'
import { loadConfig } from '../packages/server/dist/config/config.js'
import { createServices } from '../packages/server/dist/services.js'
import { analyze, dropSchema, loadRealistic } from './query/load-store.js'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const STORES = (process.env.BENCH_STORES ?? 'sqlite,postgres').split(',')
const PG_URL = process.env.INTERLOG_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const END = Date.parse('2026-11-01T00:00:00Z')
const GOAL_RECORDS_PER_SECOND = 30_000
const MB = 1024 * 1024
const PROFILE_DIR = process.env.BENCH_CPU_PROFILE

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
    writeFileSync(join(PROFILE_DIR, `archive-${name}.cpuprofile`), JSON.stringify(profile))
    session.disconnect()
  }
}

async function benchStore(kind: string) {
  const dataDir = mkdtempSync(join(tmpdir(), 'interlog-bench-archive-'))
  const schema = kind === 'postgres' ? `bench_archive_${Date.now().toString(36)}` : undefined
  const databaseUrl = kind === 'postgres' ? PG_URL : undefined
  const target = { dataDir, databaseUrl, postgresSchema: schema }
  try {
    console.log(`\n${kind}: loading ${ROWS.toLocaleString()} interactions`)
    const loaded = await loadRealistic(target, ROWS, END)
    console.log(`  loaded in ${loaded.seconds.toFixed(1)} s`)
    await analyze(target, PG_URL)
    const config = { ...loadConfig({}), dataDir, databaseUrl, databaseSchema: schema }
    // The day after the data ends, archiving everything older than today: every row goes.
    const archive = archiveSetupFrom(config)
    const settings = archive.service.settings
    archive.service.settings = {
      ...settings,
      chunkRecords: Number(process.env.BENCH_CHUNK_RECORDS ?? settings.chunkRecords),
      gzipLevel: Number(process.env.BENCH_GZIP_LEVEL ?? settings.gzipLevel),
    }
    const services = createServices(loaded.store, { writerBatchRows: 2000, archive, clock: { now: () => new Date(END + 86_400_000) } })

    let read = 0
    const readByTenant = new Map<string, number>()
    const samples: { read: number; heap: number; rss: number }[] = []
    const sampler = setInterval(() => {
      const memory = process.memoryUsage()
      samples.push({ read, heap: memory.heapUsed, rss: memory.rss })
    }, 100)
    const heapBefore = process.memoryUsage().heapUsed
    const cpuBefore = process.cpuUsage()
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
    clearInterval(sampler)

    const hotLeft = (
      await Promise.all(loaded.tenantIds.map((tenantId) => loaded.store.metrics.rowSums(tenantId, {}, ['n'], { from: -8.64e15, to: 8.64e15 }).then((sums) => sums.n)))
    ).reduce((sum, n) => sum + n, 0)
    const archived = (await services.archive.archivedStats()).reduce((sum, row) => sum + row.records, 0)
    if (hotLeft !== 0 || archived !== ROWS || summary.totals.records !== ROWS) {
      throw new Error(`archive incomplete: ${hotLeft} hot left, ${archived} archived, ${summary.totals.records} in the summary`)
    }
    const half = samples.length >> 1
    const peak = (list: typeof samples, key: 'heap' | 'rss') => Math.max(...list.map((sample) => sample[key])) / MB
    await loaded.store.close()
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
      cpuPerRecord: (cpu.user + cpu.system) / ROWS,
      chunkRecords: archive.service.settings.chunkRecords,
      gzipLevel: archive.service.settings.gzipLevel,
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
    if (schema) await dropSchema(PG_URL, schema)
  }
}

const describe = (r: Awaited<ReturnType<typeof benchStore>>) => ({
  store: r.kind,
  'records/s': Math.round(r.rate),
  goal: GOAL_RECORDS_PER_SECOND,
  'ratio to goal': Number((r.rate / GOAL_RECORDS_PER_SECOND).toFixed(2)),
  seconds: Number(r.seconds.toFixed(1)),
  'CPU µs/record': Number(r.cpuPerRecord.toFixed(1)),
  objects: r.objects,
  'MB before': Math.round(r.bytesBefore / MB),
  'MB after': Math.round(r.bytesAfter / MB),
  compression: r.ratio,
  'heap MB before': Math.round(r.heapBefore),
  'heap MB peak, 1st half': Math.round(r.heapFirstHalf),
  'heap MB peak, 2nd half': Math.round(r.heapSecondHalf),
  'RSS MB peak': Math.round(r.rssPeak),
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
