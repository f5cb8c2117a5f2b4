/**
 * npm run bench:export-archived — loads realistic interactions (3 tenants, 90 days) into SQLite, exports
 * every tenant in-process (jsonl and openai-chat) from the hot store, archives everything to the
 * filesystem target, and exports again with include_archived, so every record comes from the archive.
 * Prints records/s and heap (after a GC before each export; peaks during the first tenant and during the
 * other two, to see whether memory grows as an export goes on). Run with `node --expose-gc` for the GC.
 * Env: BENCH_ROWS (default 100000).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { ExportQuery } from '@interlog/schema'
import { archiveSetupFrom } from '../packages/server/dist/archive/archive.config.js'
import { localRootContext } from '../packages/server/dist/auth/auth-context.js'
import { loadConfig } from '../packages/server/dist/config/config.js'
import { createServices } from '../packages/server/dist/services.js'
import { loadRealistic } from './query/load-store.js'

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000)
const END = Date.parse('2026-11-01T00:00:00Z')
const MB = 1024 * 1024
const dataDir = mkdtempSync(join(tmpdir(), 'interlog-bench-exparch-'))
try {
  const loaded = await loadRealistic({ dataDir }, ROWS, END)
  const config = { ...loadConfig({}), dataDir }
  const services = createServices(loaded.store, { writerBatchRows: 2000, archive: archiveSetupFrom(config), clock: { now: () => new Date(END + 86_400_000) } })
  const exportAll = async (format: string, includeArchived: boolean) => {
    let records = 0
    let bytes = 0
    const peaks = [0, 0]
    globalThis.gc?.()
    const before = process.memoryUsage().heapUsed
    const started = performance.now()
    for (const [index, tenantId] of loaded.tenantIds.entries()) {
      const run = await services.exports.open(localRootContext(tenantId), ExportQuery.parse({ format, ...(includeArchived ? { include_archived: 'true' } : {}) }))
      let n = 0
      for await (const chunk of run.chunks) {
        bytes += chunk.length
        if (++n % 20 === 0) peaks[index === 0 ? 0 : 1] = Math.max(peaks[index === 0 ? 0 : 1]!, process.memoryUsage().heapUsed)
      }
      records += run.summary().records_read
    }
    const seconds = (performance.now() - started) / 1000
    return `${format}${includeArchived ? ' include_archived' : ''}: ${records} records in ${seconds.toFixed(1)} s = ${Math.round(records / seconds)} records/s, ${Math.round(bytes / MB)} MB, heap before ${Math.round(before / MB)} MB, peak during 1st tenant ${Math.round(peaks[0]! / MB)} MB, during 2nd+3rd ${Math.round(peaks[1]! / MB)} MB`
  }
  const lines = [await exportAll('jsonl', false), await exportAll('openai-chat', false)]
  const summary = await services.archive.run({ actor: 'bench', dryRun: false, olderThanDays: 0 })
  lines.push(`archived ${summary.totals.records} records in ${summary.totals.objects} objects`)
  lines.push(await exportAll('jsonl', true), await exportAll('openai-chat', true))
  console.log(`${ROWS} rows, SQLite, filesystem target, load average ${loadavg().map((n) => n.toFixed(1)).join(' ')}`)
  for (const line of lines) console.log(line)
  await loaded.store.close()
} finally {
  rmSync(dataDir, { recursive: true, force: true })
}
