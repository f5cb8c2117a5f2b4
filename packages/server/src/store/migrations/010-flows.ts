import type { Kysely, Migration } from 'kysely'
import type { ColumnTypes } from './dialect-types.js'

/**
 * Flow definitions per tenant, and flow sessions: the whole session state is JSON text (in both
 * dialects, read and written whole); the columns beside it serve lookups, lists and the version check.
 */
export function flowsMigration(_types: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('flow_definitions')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('flow_definitions_pk', ['tenant_id', 'id'])
        .execute()
      await db.schema
        .createTable('flow_sessions')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('flow_id', 'text', (c) => c.notNull())
        .addColumn('session_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('node', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('flow_sessions_pk', ['tenant_id', 'flow_id', 'session_id'])
        .execute()
      await db.schema.createIndex('flow_sessions_by_update').on('flow_sessions').columns(['tenant_id', 'flow_id', 'updated_at']).execute()
    },
  }
}
