import { sql, type Kysely, type Migration } from 'kysely'
import type { ColumnTypes } from './dialect-types.js'

/**
 * Dashboard sessions, and the indexes that keep the dashboard's list filters and sorts fast at millions
 * of rows. Filters on columns most rows leave empty use partial indexes, so ingest pays nothing for the
 * rows without a value (feedback is set later, confidence and handoff only by agents).
 */
export function dashboardMigration(types: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('sessions')
        // The SHA-256 of the session token: the token itself is only in the browser's HttpOnly cookie.
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_ts', types.bigint, (c) => c.notNull())
        .execute()
      await db.schema.createIndex('sessions_expiry').on('sessions').column('expires_ts').execute()

      const partial = async (name: string, columns: string[], where: string) =>
        sql.raw(`CREATE INDEX interactions_${name} ON interactions (tenant_id, ${columns.join(', ')}) WHERE ${where}`).execute(db)
      await partial('feedback', ['feedback_kind', 'ts', 'id'], 'feedback_kind IS NOT NULL')
      await partial('quality', ['feedback_quality_score'], 'feedback_quality_score IS NOT NULL')
      await partial('confidence', ['confidence'], 'confidence IS NOT NULL')
      await partial('handoff', ['handoff', 'ts', 'id'], 'handoff IS NOT NULL')
      // Sorts by latency and cost: the expression the list orders by, missing values as -1 (last when descending).
      for (const [name, column] of [['latency', 'latency_ms'], ['cost', 'cost_usd']]) {
        await sql.raw(`CREATE INDEX interactions_${name} ON interactions (tenant_id, coalesce(${column}, -1), ts, id)`).execute(db)
      }
    },
  }
}
