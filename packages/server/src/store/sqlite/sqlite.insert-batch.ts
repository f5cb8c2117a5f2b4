import type SqliteDatabase from 'better-sqlite3'
import { rollupDeltas, type MetricSource, type RollupDelta, type TenantDeltas } from '../../analytics/rollup-deltas.js'
import { tenantSearchToken } from '../../search/full-text-search.js'
import { INTERACTION_COLUMNS, type InteractionsTable } from '../kysely/database.js'
import { SEARCHED_FIELDS } from '../migrations/003-search.js'
import type { InsertOutcome } from '../store.js'
import { prepareRollupWriter } from './sqlite.rollups.js'

/**
 * One row ready to write: its column values in INTERACTION_COLUMNS order (large fields already
 * compressed), the texts the search index takes (in SEARCHED_FIELDS order), its distinct tags, and
 * what it adds to the metric rollups.
 */
export interface EncodedRow {
  values: unknown[]
  texts: (string | null)[]
  tags: string[]
  metric: MetricSource
}

/**
 * A tenant's rows, with the rollup deltas they make if every one of them is new: computed before the
 * write, so the transaction only takes back the rare duplicates.
 */
export interface EncodedGroup {
  tenantId: string
  rows: EncodedRow[]
  deltas: RollupDelta[]
}

const ID = INTERACTION_COLUMNS.indexOf('id')

export function encodeColumns(columns: InteractionsTable): unknown[] {
  return INTERACTION_COLUMNS.map((column) => columns[column])
}

/**
 * Prepares the bulk insert on `raw` (the tables must exist): rows, search entries, tags and rollup
 * deltas of many groups in one transaction, one outcome per row. BEGIN IMMEDIATE takes the write
 * lock up front, so a second connection writing meanwhile makes it wait rather than fail.
 */
export function prepareInsertBatch(raw: SqliteDatabase.Database): (groups: EncodedGroup[]) => InsertOutcome[][] {
  const placeholders = INTERACTION_COLUMNS.map(() => '?').join(', ')
  const insertRow = raw.prepare(
    `INSERT INTO interactions (${INTERACTION_COLUMNS.join(', ')}) VALUES (${placeholders})
     ON CONFLICT (tenant_id, id) DO NOTHING`,
  )
  const insertSearchText = raw.prepare(
    `INSERT INTO interactions_fts (rowid, ${SEARCHED_FIELDS.join(', ')}, tenant) VALUES (?, ${SEARCHED_FIELDS.map(() => '?').join(', ')}, ?)`,
  )
  const insertTag = raw.prepare('INSERT INTO interaction_tags (tenant_id, interaction_id, tag) VALUES (?, ?, ?) ON CONFLICT DO NOTHING')
  const writeRollups = prepareRollupWriter(raw)
  const insertAll = raw.transaction((groups: EncodedGroup[]) => {
    const deltas: TenantDeltas[] = []
    const outcomes = groups.map(({ tenantId, rows, deltas: ifAllNew }) => {
      const tenantToken = tenantSearchToken(tenantId)
      const duplicates: MetricSource[] = []
      const groupOutcomes = rows.map(({ values, texts, tags, metric }): InsertOutcome => {
        const { changes, lastInsertRowid } = insertRow.run(values)
        if (changes === 0) {
          duplicates.push(metric)
          return 'duplicate'
        }
        if (texts.some((text) => text !== null)) insertSearchText.run(lastInsertRowid, ...texts, tenantToken)
        for (const tag of tags) insertTag.run(tenantId, values[ID], tag)
        return 'created'
      })
      deltas.push({ tenantId, deltas: ifAllNew })
      if (duplicates.length > 0) deltas.push({ tenantId, deltas: rollupDeltas(duplicates.map((metric) => [metric, -1])) })
      return groupOutcomes
    })
    writeRollups(deltas)
    return outcomes
  })
  return (groups) => insertAll.immediate(groups)
}
