import { sql, type Kysely, type Migration } from 'kysely'
import type { ColumnTypes } from './dialect-types.js'

/**
 * Retention and archiving: each tenant's retention settings; one row per archived object (its batch
 * metadata and status); how far archiving has reached per tenant; time ranges held hot after a
 * restore; and the lease that keeps archive runs of one tenant apart in SQLite (PostgreSQL uses
 * advisory locks).
 */
export function archiveMigration(types: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('retention_settings')
        .addColumn('tenant_id', 'text', (c) => c.primaryKey())
        .addColumn('archive_after_days', 'integer', (c) => c.notNull())
        .addColumn('delete_archived_after_days', 'integer')
        .addColumn('target', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('archive_batches')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('run_id', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('object_key', 'text', (c) => c.notNull())
        .addColumn('manifest_key', 'text', (c) => c.notNull())
        // '' when the interactions have no type, so the (type, day, part) key stays unique.
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('part', 'integer', (c) => c.notNull())
        .addColumn('record_count', 'integer', (c) => c.notNull())
        .addColumn('raw_bytes', types.bigint, (c) => c.notNull())
        .addColumn('compressed_bytes', types.bigint, (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('from_ts', types.bigint, (c) => c.notNull())
        .addColumn('to_ts', types.bigint, (c) => c.notNull())
        .addColumn('storage_class', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        // A Bloom filter of the user ids in the object, so erasure opens only the objects that may hold a user.
        .addColumn('users_bloom', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('archived_at', 'text')
        .addColumn('deleted_at', 'text')
        .addPrimaryKeyConstraint('archive_batches_pk', ['tenant_id', 'id'])
        .addUniqueConstraint('archive_batches_part', ['tenant_id', 'type', 'day', 'part'])
        .execute()
      await db.schema.createIndex('archive_batches_by_time').on('archive_batches').columns(['tenant_id', 'status', 'from_ts']).execute()
      await db.schema.createIndex('archive_batches_by_created').on('archive_batches').columns(['tenant_id', 'created_at']).execute()

      // Per tenant: every interaction before `archived_before` may be archived (metric rollups keep
      // counting archived interactions; list totals count rows before it instead), and whether a run is
      // archiving now, during which the triggers below log every change of the tenant's interactions.
      await db.schema
        .createTable('archive_state')
        .addColumn('tenant_id', 'text', (c) => c.primaryKey())
        .addColumn('archived_before', types.bigint)
        .addColumn('archiving', 'integer', (c) => c.notNull().defaultTo(0))
        .execute()
      await db.schema
        .createTable('archive_changes')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('interaction_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('archive_changes_pk', ['tenant_id', 'interaction_id'])
        .execute()
      await createChangeTriggers(db, types)

      await db.schema
        .createTable('archive_holds')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('from_ts', types.bigint, (c) => c.notNull())
        .addColumn('to_ts', types.bigint, (c) => c.notNull())
        .addColumn('until_ts', types.bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('archive_holds_pk', ['tenant_id', 'id'])
        .execute()

      await db.schema
        .createTable('archive_locks')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('heartbeat_ts', types.bigint, (c) => c.notNull())
        .execute()
    },
  }
}

/**
 * Database triggers, so that no code path (present or future) can change an interaction unseen while
 * it is being archived: an update of an interaction, or new feedback on one, is logged in
 * `archive_changes` while its tenant is archiving. A chunk whose rows were logged is not committed.
 */
async function createChangeTriggers(db: Kysely<unknown>, types: ColumnTypes): Promise<void> {
  const archiving = (tenant: string) => `EXISTS (SELECT 1 FROM archive_state WHERE tenant_id = ${tenant} AND archiving = 1)`
  if (!types.sqlFunctions) {
    for (const [name, event, table, id] of [
      ['interactions_archive_changes', 'UPDATE', 'interactions', 'NEW.id'],
      ['feedback_archive_changes', 'INSERT', 'feedback', 'NEW.interaction_id'],
    ] as const) {
      await sql
        .raw(
          `CREATE TRIGGER ${name} AFTER ${event} ON ${table} WHEN ${archiving('NEW.tenant_id')}
           BEGIN INSERT OR IGNORE INTO archive_changes (tenant_id, interaction_id) VALUES (NEW.tenant_id, ${id}); END`,
        )
        .execute(db)
    }
    return
  }
  for (const [name, event, table, id] of [
    ['interlog_log_interaction_change', 'UPDATE', 'interactions', 'NEW.id'],
    ['interlog_log_feedback_change', 'INSERT', 'feedback', 'NEW.interaction_id'],
  ] as const) {
    await sql
      .raw(
        `CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
           IF ${archiving('NEW.tenant_id')} THEN
             INSERT INTO archive_changes (tenant_id, interaction_id) VALUES (NEW.tenant_id, ${id}) ON CONFLICT DO NOTHING;
           END IF;
           RETURN NULL;
         END $$`,
      )
      .execute(db)
    await sql.raw(`CREATE TRIGGER ${table}_archive_changes AFTER ${event} ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}()`).execute(db)
  }
}
