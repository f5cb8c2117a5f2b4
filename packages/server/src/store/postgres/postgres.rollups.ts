import { sql, type Kysely } from 'kysely'
import { COUNT_MAPS, COUNTERS } from '../../analytics/metric-aggregate.js'
import { foldDeltas, ROLLUP_DIMENSIONS, type TenantDeltas } from '../../analytics/rollup-deltas.js'
import type { Database } from '../kysely/database.js'

const KEY = ['tenant_id', 'period', 'start', ...ROLLUP_DIMENSIONS] as const
const KEY_TYPES: Record<(typeof KEY)[number], string> = {
  tenant_id: 'text',
  period: 'text',
  start: 'int8',
  type: 'text',
  model: 'text',
  provider: 'text',
  status: 'text',
}

/**
 * One upsert for all deltas: counters add up, count maps merge with interlog_merge_counts() under the
 * row lock, so replicas writing the same rollup row never lose each other's counts. Deltas arrive in
 * key order, so concurrent transactions lock rows in the same order (no deadlocks).
 */
export async function applyRollupDeltas(db: Kysely<Database>, groups: TenantDeltas[]): Promise<void> {
  const deltas = foldDeltas(groups).flatMap(({ tenantId, deltas }) => deltas.map((delta) => ({ tenantId, delta })))
  if (deltas.length === 0) return
  const keyArrays = KEY.map((column) => {
    const values = deltas.map(({ tenantId, delta }) => (column === 'tenant_id' ? tenantId : delta[column]))
    return sql`${values}::${sql.raw(KEY_TYPES[column])}[]`
  })
  const counterArrays = COUNTERS.map((counter) => sql`${deltas.map(({ delta }) => delta.aggregate[counter])}::float8[]`)
  const mapArrays = COUNT_MAPS.map((map) => sql`${deltas.map(({ delta }) => JSON.stringify(delta.aggregate[map]))}::text[]`)
  const columns = [...KEY, ...COUNTERS, ...COUNT_MAPS]
  const selected = columns.map((column) => ((COUNT_MAPS as readonly string[]).includes(column) ? `u.${column}::jsonb` : `u.${column}`))
  const updates = [
    ...COUNTERS.map((c) => `${c} = r.${c} + EXCLUDED.${c}`),
    // Most deltas leave most maps empty (no handoff, no feedback...): skip the merge for those.
    ...COUNT_MAPS.map((m) => `${m} = CASE WHEN EXCLUDED.${m} = '{}'::jsonb THEN r.${m} ELSE interlog_merge_counts(r.${m}, EXCLUDED.${m}) END`),
  ]
  await sql`
    INSERT INTO metric_rollups AS r (${sql.raw(columns.join(', '))})
    SELECT ${sql.raw(selected.join(', '))}
    FROM unnest(${sql.join([...keyArrays, ...counterArrays, ...mapArrays])}) AS u(${sql.raw(columns.join(', '))})
    ON CONFLICT (${sql.raw(KEY.join(', '))}) DO UPDATE SET ${sql.raw(updates.join(', '))}`.execute(db)
}
