import type { Kysely, Migration } from 'kysely'
import type { ColumnTypes } from './dialect-types.js'

/** Prices a tenant sets per model (USD per million tokens); they win over the bundled price table. */
export function pricesMigration(types: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('tenant_prices')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('provider', 'text')
        .addColumn('input_per_mtok', types.double, (c) => c.notNull())
        .addColumn('output_per_mtok', types.double, (c) => c.notNull())
        .addColumn('cached_input_per_mtok', types.double)
        .addColumn('reasoning_per_mtok', types.double)
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('tenant_prices_pk', ['tenant_id', 'model'])
        .execute()
    },
  }
}
