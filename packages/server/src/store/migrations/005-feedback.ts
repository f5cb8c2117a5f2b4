import type { Kysely, Migration } from 'kysely'
import type { ColumnTypes } from './dialect-types.js'

/** Feedback history; the latest kind and quality score also live on the interaction (columns from 002). */
export function feedbackMigration(types: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('feedback')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('interaction_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('sentiment', 'integer')
        .addColumn('quality_score', types.double)
        .addColumn('comment', 'text')
        // JSON text in both dialects: a correction may be a bare JSON string, which JSONB would hand back decoded.
        .addColumn('correction', 'text')
        .addColumn('categories', 'text', (c) => c.notNull())
        .addColumn('edit_distance', 'integer')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('feedback_pk', ['tenant_id', 'id'])
        .execute()
      await db.schema.createIndex('feedback_by_interaction').on('feedback').columns(['tenant_id', 'interaction_id', 'created_at']).execute()
    },
  }
}
