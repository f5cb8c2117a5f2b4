import { sql, type Kysely, type Migration } from 'kysely'
import type { ColumnTypes } from './dialect-types.js'

/**
 * Training data: validations (history; the latest also on the interaction), curated examples with
 * their tags, training runs, per-tenant readiness thresholds, and an index that counts readiness by
 * category. JSON values a client sends are TEXT in both dialects (a bare JSON string must come back
 * as sent, which JSONB would decode).
 */
export function trainingMigration(types: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      for (const [column, type] of [
        ['validation_passed', 'integer'],
        ['validation_score', types.double],
        ['validation_user_edited', 'integer'],
      ] as const) {
        await db.schema.alterTable('interactions').addColumn(column, type).execute()
      }
      // Readiness counts per category (not a rollup dimension) read only this index. Partial: rows
      // without a category cost ingest nothing.
      await db.schema
        .createIndex('interactions_readiness')
        .on('interactions')
        .columns(['tenant_id', 'category', 'type', 'status', 'feedback_kind'])
        .where(sql.ref('category'), 'is not', null)
        .execute()

      await db.schema
        .createTable('validations')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('interaction_id', 'text', (c) => c.notNull())
        // The interaction's end user, so erasure finds validations whatever it deletes first.
        .addColumn('user_id', 'text')
        .addColumn('passed', 'integer', (c) => c.notNull())
        .addColumn('score', types.double)
        .addColumn('errors', 'text', (c) => c.notNull())
        .addColumn('warnings', 'text', (c) => c.notNull())
        .addColumn('duration_ms', types.double)
        .addColumn('original', 'text')
        .addColumn('edited', 'text')
        .addColumn('diff', 'text')
        .addColumn('user_edited', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('validations_pk', ['tenant_id', 'id'])
        .execute()
      await db.schema.createIndex('validations_by_interaction').on('validations').columns(['tenant_id', 'interaction_id', 'created_at']).execute()
      await db.schema.createIndex('validations_by_user').on('validations').columns(['tenant_id', 'user_id']).execute()

      await db.schema
        .createTable('examples')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('interaction_id', 'text')
        .addColumn('user_id', 'text')
        .addColumn('input', 'text', (c) => c.notNull())
        .addColumn('output', 'text', (c) => c.notNull())
        .addColumn('quality_score', types.double)
        .addColumn('type', 'text')
        .addColumn('category', 'text')
        .addColumn('tags', 'text', (c) => c.notNull())
        .addColumn('metadata', 'text')
        .addColumn('usage_count', types.bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('last_used_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('examples_pk', ['tenant_id', 'id'])
        .execute()
      await db.schema.createIndex('examples_by_time').on('examples').columns(['tenant_id', 'created_at', 'id']).execute()
      await db.schema.createIndex('examples_by_quality').on('examples').columns(['tenant_id', 'quality_score']).execute()
      await db.schema.createIndex('examples_by_interaction').on('examples').columns(['tenant_id', 'interaction_id']).execute()
      await db.schema.createIndex('examples_by_user').on('examples').columns(['tenant_id', 'user_id']).execute()
      await db.schema
        .createTable('example_tags')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('example_id', 'text', (c) => c.notNull())
        .addColumn('tag', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('example_tags_pk', ['tenant_id', 'tag', 'example_id'])
        .$call((table) => (types.withoutRowid ? table.modifyEnd(sql`without rowid`) : table))
        .execute()
      await db.schema.createIndex('example_tags_by_example').on('example_tags').columns(['tenant_id', 'example_id']).execute()

      await db.schema
        .createTable('training_runs')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('model_version', 'text', (c) => c.notNull())
        .addColumn('base_model', 'text')
        // ISO 8601 in UTC with milliseconds, so text order is time order.
        .addColumn('date', 'text', (c) => c.notNull())
        .addColumn('dataset_size', types.bigint, (c) => c.notNull())
        .addColumn('accuracy', types.double)
        .addColumn('validation_rate', types.double)
        .addColumn('cost_usd', types.double)
        .addColumn('notes', 'text')
        .addColumn('metadata', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('training_runs_pk', ['tenant_id', 'id'])
        .execute()
      await db.schema.createIndex('training_runs_by_date').on('training_runs').columns(['tenant_id', 'date', 'id']).execute()

      await db.schema
        .createTable('readiness_settings')
        .addColumn('tenant_id', 'text', (c) => c.primaryKey())
        .addColumn('settings', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()
    },
  }
}
