import { sql, type Kysely, type Migration } from 'kysely'
import type { ColumnTypes } from './dialect-types.js'

/** The text fields full-text search covers. */
export const SEARCHED_FIELDS = ['user_message', 'assistant_response', 'rendered_prompt', 'error_message'] as const

/**
 * Full-text search over the searched fields, with English stemming in both dialects: an FTS5 table
 * keyed by the interaction's rowid in SQLite; a generated tsvector column with a GIN index in PostgreSQL.
 */
export function searchMigration(types: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (types.fullText === 'fts5') {
        await sql
          .raw(
            `CREATE VIRTUAL TABLE interactions_fts USING fts5(${SEARCHED_FIELDS.join(', ')},
             content='', contentless_delete=1, tokenize='porter unicode61')`,
          )
          .execute(db)
        await sql
          .raw(
            `INSERT INTO interactions_fts (rowid, ${SEARCHED_FIELDS.join(', ')})
             SELECT rowid, ${SEARCHED_FIELDS.map((f) => `json_extract(data, '$.${f}')`).join(', ')} FROM interactions`,
          )
          .execute(db)
        return
      }
      const document = SEARCHED_FIELDS.map((f) => `coalesce(data->>'${f}', '')`).join(` || ' ' || `)
      await sql.raw(`ALTER TABLE interactions ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('english', ${document})) STORED`).execute(db)
      await sql.raw('CREATE INDEX interactions_search ON interactions USING gin (search_vector)').execute(db)
    },
  }
}
