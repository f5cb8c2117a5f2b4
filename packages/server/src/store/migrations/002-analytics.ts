import { sql, type Kysely, type Migration } from 'kysely'
import { COUNT_MAPS, COUNTERS } from '../../analytics/metric-aggregate.js'
import type { ColumnTypes } from './dialect-types.js'

/**
 * Columns metrics read, and hourly/daily rollups maintained in the ingest transaction so metrics over
 * millions of rows read thousands of rollup rows instead.
 */
export function analyticsMigration(types: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      for (const [column, type] of [
        ['handoff_reason', 'text'],
        ['missing_variables', 'text'],
        ['feedback_kind', 'text'],
        ['feedback_quality_score', types.double],
      ] as const) {
        await db.schema.alterTable('interactions').addColumn(column, type).execute()
      }

      let rollups = db.schema
        .createTable('metric_rollups')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('period', 'text', (c) => c.notNull())
        .addColumn('start', types.bigint, (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
      for (const counter of COUNTERS) rollups = rollups.addColumn(counter, types.double, (c) => c.notNull().defaultTo(0))
      for (const map of COUNT_MAPS) rollups = rollups.addColumn(map, types.json, (c) => c.notNull())
      rollups = rollups.addPrimaryKeyConstraint('metric_rollups_pk', ['tenant_id', 'period', 'start', 'type', 'model', 'provider', 'status'])
      // Metrics read rollups by key range: clustered on the key, that range is one sequential read.
      await (types.withoutRowid ? rollups.modifyEnd(sql`without rowid`) : rollups).execute()

      if (types.sqlFunctions) {
        // Adds two {key: count} maps inside the upsert, so concurrent replicas merge under the row lock.
        await sql`
          CREATE OR REPLACE FUNCTION interlog_merge_counts(a jsonb, b jsonb) RETURNS jsonb
          LANGUAGE sql IMMUTABLE AS $$
            SELECT coalesce(jsonb_object_agg(key, total), '{}'::jsonb) FROM (
              SELECT key, sum(value::double precision) AS total
              FROM (SELECT * FROM jsonb_each_text(a) UNION ALL SELECT * FROM jsonb_each_text(b)) AS pairs
              GROUP BY key HAVING sum(value::double precision) <> 0
            ) AS merged
          $$`.execute(db)
      }
    },
  }
}
