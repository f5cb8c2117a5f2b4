import type { Interaction } from '@interlog/schema'
import type SqliteDatabase from 'better-sqlite3'
import { SEARCHED_FIELDS } from '../migrations/003-search.js'

/** The FTS5 index kept beside `interactions`, keyed by the row's rowid. */
export interface SqliteSearchIndex {
  /** Removes the row's entry; run before the row itself is deleted. */
  remove(tenantId: string, id: string): void
  /** Indexes the row's text under its rowid; run once the row is stored. */
  add(tenantId: string, interaction: Interaction): void
}

/** Prepared on first use by the callers: the tables exist only once migrations have run. */
export function prepareSearchIndex(raw: SqliteDatabase.Database): SqliteSearchIndex {
  const remove = raw.prepare('DELETE FROM interactions_fts WHERE rowid = (SELECT rowid FROM interactions WHERE tenant_id = ? AND id = ?)')
  const add = raw.prepare(
    `INSERT INTO interactions_fts (rowid, ${SEARCHED_FIELDS.join(', ')})
     SELECT rowid, ${SEARCHED_FIELDS.map(() => '?').join(', ')} FROM interactions WHERE tenant_id = ? AND id = ?`,
  )
  return {
    remove: (tenantId, id) => remove.run(tenantId, id),
    add(tenantId, interaction) {
      const texts = SEARCHED_FIELDS.map((field) => interaction[field] ?? null)
      if (texts.every((text) => text === null)) return
      add.run(...texts, tenantId, interaction.id)
    },
  }
}
