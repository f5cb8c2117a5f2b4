import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely'
import { initialMigration } from './001-initial.js'
import { analyticsMigration } from './002-analytics.js'
import { searchMigration } from './003-search.js'
import { pricesMigration } from './004-prices.js'
import { feedbackMigration } from './005-feedback.js'
import { otlpJoinsMigration } from './006-otlp-joins.js'
import { archiveMigration } from './011-archive.js'
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
    '011-archive': archiveMigration(types),
  }
}

/**
 * `schema` pins Kysely's bookkeeping tables to the schema we migrate: without it, Kysely's
 * introspection would accept a `kysely_migration` table found in any other schema of the database.
 */
export async function migrateToLatest(db: Kysely<unknown>, types: ColumnTypes, schema?: string): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrationsFor(types) }
  const migrator = new Migrator({ db, provider, migrationTableSchema: schema })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((result) => result.status === 'Error')
  if (error || failed) {
    const reason = error instanceof Error ? error.message : String(error ?? 'unknown error')
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${reason}`)
  }
}
