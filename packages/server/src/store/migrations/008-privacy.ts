import { sql, type Kysely, type Migration } from 'kysely'
import type { ColumnTypes } from './dialect-types.js'

/**
 * Privacy: per-tenant settings (redaction, collection), the audit log, and compressed payload fields.
 * Large fields move to `payload` (compressed JSON), so PostgreSQL's search vector can no longer be
 * generated from `data`: it becomes an ordinary column the store writes from the uncompressed text.
 */
export function privacyMigration(types: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('tenant_settings')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        // JSON text in both dialects, read and written whole.
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('tenant_settings_pk', ['tenant_id', 'name'])
        .execute()

      await db.schema
        .createTable('audit_log')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('ts', types.bigint, (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('actor_key_id', 'text', (c) => c.notNull())
        .addColumn('target_type', 'text')
        .addColumn('target_id', 'text')
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('audit_log_pk', ['tenant_id', 'id'])
        .execute()
      await db.schema.createIndex('audit_log_by_time').on('audit_log').columns(['tenant_id', 'ts', 'id']).execute()
      await db.schema.createIndex('audit_log_by_action').on('audit_log').columns(['tenant_id', 'action', 'ts', 'id']).execute()

      await db.schema.alterTable('interactions').addColumn('payload', types.binary).execute()
      if (types.fullText === 'tsvector') {
        await sql`ALTER TABLE interactions ALTER COLUMN search_vector DROP EXPRESSION`.execute(db)
      }
    },
  }
}
