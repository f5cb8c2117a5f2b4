import { sql, type Kysely, type Migration } from 'kysely'
import type { ColumnTypes } from './dialect-types.js'

/** Tenants, API keys, interactions with their tags, and one-time claims. */
export function initialMigration(types: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('tenants')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('name', 'text')
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull().unique())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text')
        .addColumn('is_root', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute()
      await db.schema.createIndex('api_keys_tenant').on('api_keys').columns(['tenant_id', 'created_at']).execute()

      await db.schema
        .createTable('interactions')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('ts', types.bigint, (c) => c.notNull())
        .addColumn('received_ts', types.bigint, (c) => c.notNull())
        .addColumn('user_id', 'text')
        .addColumn('thread_id', 'text')
        .addColumn('session_id', 'text')
        .addColumn('type', 'text')
        .addColumn('category', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('provider', 'text')
        .addColumn('model', 'text')
        .addColumn('prompt_version', 'text')
        .addColumn('message_type', 'text')
        .addColumn('error_type', 'text')
        .addColumn('latency_ms', types.double)
        .addColumn('prompt_tokens', types.bigint)
        .addColumn('completion_tokens', types.bigint)
        .addColumn('total_tokens', types.bigint)
        .addColumn('cached_tokens', types.bigint)
        .addColumn('reasoning_tokens', types.bigint)
        .addColumn('cost_usd', types.double)
        .addColumn('confidence', types.double)
        .addColumn('handoff', 'integer')
        .addColumn('all_variables_present', 'integer')
        .addColumn('size_bytes', 'integer', (c) => c.notNull())
        .addColumn('data', types.json, (c) => c.notNull())
        .addPrimaryKeyConstraint('interactions_pk', ['tenant_id', 'id'])
        .execute()

      // Newest-first listing and keyset paging, alone or narrowed by a selective filter. Ascending
      // order lets time-ordered inserts append at the right edge; both databases scan backwards.
      // type/status/model have no index of their own: rollups answer their counts and metrics, and a
      // page filtered by them walks the time index.
      const byTime = (name: string, column?: string) =>
        db.schema
          .createIndex(`interactions_${name}`)
          .on('interactions')
          .columns(column ? ['tenant_id', column, 'ts', 'id'] : ['tenant_id', 'ts', 'id'])
          .execute()
      await byTime('time')
      for (const column of ['user_id', 'thread_id', 'session_id']) {
        await byTime(column, column)
      }

      await db.schema
        .createTable('interaction_tags')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('interaction_id', 'text', (c) => c.notNull())
        .addColumn('tag', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('interaction_tags_pk', ['tenant_id', 'tag', 'interaction_id'])
        // In SQLite, clustered on the key: one B-tree instead of a table plus its key index.
        .$call((table) => (types.withoutRowid ? table.modifyEnd(sql`without rowid`) : table))
        .execute()
      await db.schema
        .createIndex('interaction_tags_by_interaction')
        .on('interaction_tags')
        .columns(['tenant_id', 'interaction_id'])
        .execute()

      await db.schema
        .createTable('system_claims')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('claimed_at', 'text', (c) => c.notNull())
        .execute()
    },
  }
}
