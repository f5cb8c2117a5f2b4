import type SqliteDatabase from 'better-sqlite3'
import { COUNT_MAPS, COUNTERS, isEmpty } from '../../analytics/metric-aggregate.js'
import { foldDeltas, ROLLUP_DIMENSIONS, type TenantDeltas } from '../../analytics/rollup-deltas.js'
import type { Sketch } from '../../analytics/latency-sketch.js'

const KEY = ['tenant_id', 'period', 'start', ...ROLLUP_DIMENSIONS]

function addCounts(stored: Sketch, delta: Sketch): Sketch {
  const merged = { ...stored }
  for (const [key, count] of Object.entries(delta)) {
    const next = (merged[key] ?? 0) + count
    if (next === 0) delete merged[key]
    else merged[key] = next
  }
  return merged
}

/**
 * Applies rollup deltas with prepared statements, inside whatever transaction is open on the
 * connection. SQLite has one writer at a time, so reading the count maps and writing them back is safe.
 */
export function prepareRollupWriter(raw: SqliteDatabase.Database): (groups: TenantDeltas[]) => void {
  const where = KEY.map((column) => `${column} = ?`).join(' AND ')
  const readMaps = raw.prepare(`SELECT ${COUNT_MAPS.join(', ')} FROM metric_rollups WHERE ${where}`)
  const columns = [...KEY, ...COUNTERS, ...COUNT_MAPS]
  const upsert = raw.prepare(
    `INSERT INTO metric_rollups (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
     ON CONFLICT (${KEY.join(', ')}) DO UPDATE SET
     ${[...COUNTERS.map((c) => `${c} = ${c} + excluded.${c}`), ...COUNT_MAPS.map((m) => `${m} = excluded.${m}`)].join(', ')}`,
  )
  return (groups) => {
    for (const { tenantId, deltas } of foldDeltas(groups)) {
      for (const delta of deltas) {
        // Taken back as soon as given (a duplicate's own delta, an update that changed no metric): skip.
        if (isEmpty(delta.aggregate)) continue
        const key = [tenantId, delta.period, delta.start, ...ROLLUP_DIMENSIONS.map((d) => delta[d])]
        const stored = readMaps.get(...key) as Record<string, string> | undefined
        const maps = COUNT_MAPS.map((map) => {
          const counts = delta.aggregate[map]
          if (!stored) return JSON.stringify(counts)
          // Most deltas leave most maps empty: keep the stored text as it is.
          if (Object.keys(counts).length === 0) return stored[map]!
          return JSON.stringify(addCounts(JSON.parse(stored[map]!) as Sketch, counts))
        })
        upsert.run(...key, ...COUNTERS.map((c) => delta.aggregate[c]), ...maps)
      }
    }
  }
}
