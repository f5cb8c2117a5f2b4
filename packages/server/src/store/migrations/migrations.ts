import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely'
import { initialMigration } from './001-initial.js'
import { analyticsMigration } from './002-analytics.js'
import { searchMigration } from './003-search.js'
import { pricesMigration } from './004-prices.js'
import { feedbackMigration } from './005-feedback.js'
import { otlpJoinsMigration } from './006-otlp-joins.js'
import { trainingMigration } from './007-training.js'
import { privacyMigration } from './008-privacy.js'
import { dashboardMigration } from './009-dashboard.js'
import { flowsMigration } from './010-flows.js'
import { archiveMigration } from './011-archive.js'
import { searchTenantMigration } from './012-search-tenant.js'
import type { ColumnTypes } from './dialect-types.js'

/** Versioned migrations, applied in name order and recorded in `kysely_migration`. */
function migrationsFor(types: ColumnTypes): Record<string, Migration> {
  return {
    '001-initial': initialMigration(types),
    '002-analytics': analyticsMigration(types),
    '003-search': searchMigration(types),
    '004-prices': pricesMigration(types),
    '005-feedback': feedbackMigration(types),
    '006-otlp-joins': otlpJoinsMigration(types),
    '007-training': trainingMigration(types),
    '008-privacy': privacyMigration(types),
    '009-dashboard': dashboardMigration(types),
    '010-flows': flowsMigration(types),
    '011-archive': archiveMigration(types),
    '012-search-tenant': searchTenantMigration(types),
  }
}

/**
 * `schema` pins Kysely's bookkeeping tables to the schema we migrate: without it, Kysely's
 * introspection would accept a `kysely_migration` table found in any other schema of the database.
 */
export async function migrateToLatest(db: Kysely<unknown>, types: ColumnTypes, schema?: string): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrationsFor(types) }
  // Numbers are handed out per feature and features land in any order, so a database may already have
  // a later number when an earlier one arrives; each migration touches only its own tables.
  const migrator = new Migrator({ db, provider, migrationTableSchema: schema, allowUnorderedMigrations: true })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((result) => result.status === 'Error')
  if (error || failed) {
    const reason = error instanceof Error ? error.message : String(error ?? 'unknown error')
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${reason}`)
  }
}
