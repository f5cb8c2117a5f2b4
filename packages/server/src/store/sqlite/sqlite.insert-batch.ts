import type SqliteDatabase from 'better-sqlite3'
import { rollupDeltas, type MetricSource, type TenantDeltas } from '../../analytics/rollup-deltas.js'
import { tenantSearchToken } from '../../search/full-text-search.js'
import { INTERACTION_COLUMNS, type InteractionsTable } from '../kysely/database.js'
import { metricSourceOf } from '../kysely/interaction.rows.js'
import { SEARCHED_FIELDS } from '../migrations/003-search.js'
import type { InsertOutcome } from '../store.js'
import { prepareRollupWriter } from './sqlite.rollups.js'

/**
 * One row ready to write: its columns (large fields already compressed), the texts the search index
 * takes (in SEARCHED_FIELDS order) and its distinct tags. Plain data, so it can cross to a worker thread.
 */
export interface EncodedRow {
  columns: InteractionsTable
  texts: (string | null)[]
  tags: string[]
}

export interface EncodedGroup {
  tenantId: string
  rows: EncodedRow[]
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
    const created: TenantDeltas[] = []
    const outcomes = groups.map(({ tenantId, rows }) => {
      const sources: MetricSource[] = []
      const tenantToken = tenantSearchToken(tenantId)
      const groupOutcomes = rows.map(({ columns, texts, tags }): InsertOutcome => {
        const { changes, lastInsertRowid } = insertRow.run(INTERACTION_COLUMNS.map((column) => columns[column]))
        if (changes === 0) return 'duplicate'
        if (texts.some((text) => text !== null)) insertSearchText.run(lastInsertRowid, ...texts, tenantToken)
        for (const tag of tags) insertTag.run(tenantId, columns.id, tag)
        sources.push(metricSourceOf(columns))
        return 'created'
      })
      created.push({ tenantId, deltas: rollupDeltas(sources.map((source) => [source, 1])) })
      return groupOutcomes
    })
    writeRollups(created)
    return outcomes
  })
  return (groups) => insertAll.immediate(groups)
}
