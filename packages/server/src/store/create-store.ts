import { join } from 'node:path'
import { PostgresStore } from './postgres/postgres.store.js'
import { SqliteStore } from './sqlite/sqlite.store.js'
import type { Store } from './store.js'

export interface StoreOptions {
  dataDir: string
  /** postgres:// or postgresql:// switches to PostgreSQL; otherwise SQLite in the data dir. */
  databaseUrl?: string
  postgresSchema?: string
  poolSize?: number
  /** Payload fields larger than this are stored compressed; 0 turns compression off. */
  compressThresholdBytes?: number
}

export const isPostgresUrl = (url: string | undefined): url is string => !!url && /^postgres(ql)?:\/\//.test(url)

/** Opens the configured store and brings its schema up to date. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const store: Store = isPostgresUrl(options.databaseUrl)
    ? PostgresStore.open({
        connectionString: options.databaseUrl,
        schema: options.postgresSchema,
        poolSize: options.poolSize,
        compressThresholdBytes: options.compressThresholdBytes,
      })
    : SqliteStore.open({ file: join(options.dataDir, 'interlog.db'), compressThresholdBytes: options.compressThresholdBytes })
  try {
    await store.migrate()
  } catch (error) {
    await store.close()
    throw error
  }
  return store
}
