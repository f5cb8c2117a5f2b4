import type { Kysely, Migration } from 'kysely'
import { createRollupsTable } from './002-analytics.js'
import type { ColumnTypes } from './dialect-types.js'

/**
 * Retention and archiving: each tenant's retention settings; one row per archived object (its batch
 * metadata and status); the rollups of archived interactions, so historical metrics keep them; time
 * ranges held hot after a restore; and the lease that keeps archive runs of one tenant apart in SQLite
 * (PostgreSQL uses advisory locks).
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

      await createRollupsTable(db, types, 'archived_rollups')

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
