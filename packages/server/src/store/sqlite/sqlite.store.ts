import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { INTERACTION_COLUMNS, type Database } from '../kysely/database.js'
import { serializeInteraction, toInteractionColumns } from '../kysely/interaction.rows.js'
import { claimOnce, KyselyInteractionStore, KyselyKeyStore, KyselyTenantStore } from '../kysely/kysely.store.js'
import { KyselyOtlpJoinStore } from '../kysely/otlp-join.store.js'
import { SQLITE_TYPES } from '../migrations/dialect-types.js'
import { migrateToLatest } from '../migrations/migrations.js'
import type { InsertOutcome, Store, TenantRows } from '../store.js'

export interface SqliteStoreOptions {
  /** Database file; ':memory:' for a throwaway store. */
  file: string
}

/**
 * Bulk insert through prepared statements inside one synchronous transaction. It runs while holding
 * Kysely's connection lock, so it never interleaves with an open Kysely transaction.
 */
class SqliteInteractionStore extends KyselyInteractionStore {
  private insertBatch?: (groups: TenantRows[]) => InsertOutcome[][]

  constructor(
    db: Kysely<Database>,
    private readonly raw: SqliteDatabase.Database,
  ) {
    super(db, { rowLocks: false })
  }

  /** Statements are prepared on first use: the tables exist only once migrations have run. */
  private prepareInsertBatch(): (groups: TenantRows[]) => InsertOutcome[][] {
    const raw = this.raw
    const placeholders = INTERACTION_COLUMNS.map(() => '?').join(', ')
    const insertRow = raw.prepare(
      `INSERT INTO interactions (${INTERACTION_COLUMNS.join(', ')}) VALUES (${placeholders})
       ON CONFLICT (tenant_id, id) DO NOTHING`,
    )
    const insertTag = raw.prepare(
      'INSERT INTO interaction_tags (tenant_id, interaction_id, tag) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    )
    return raw.transaction((groups: TenantRows[]) =>
      groups.map(({ tenantId, rows }) =>
        rows.map((row): InsertOutcome => {
          const columns = toInteractionColumns(tenantId, row, serializeInteraction(row.interaction))
          const { changes } = insertRow.run(INTERACTION_COLUMNS.map((column) => columns[column]))
          if (changes === 0) return 'duplicate'
          for (const tag of new Set(row.interaction.tags ?? [])) insertTag.run(tenantId, row.interaction.id, tag)
          return 'created'
        }),
      ),
    )
  }

  insertGroups(groups: TenantRows[]): Promise<InsertOutcome[][]> {
    this.insertBatch ??= this.prepareInsertBatch()
    const insertBatch = this.insertBatch
    return this.db.connection().execute(async () => insertBatch(groups))
  }
}

export class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const
  readonly tenants: KyselyTenantStore
  readonly keys: KyselyKeyStore
  readonly interactions: SqliteInteractionStore
  readonly otlp: KyselyOtlpJoinStore
  private readonly db: Kysely<Database>

  constructor(private readonly raw: SqliteDatabase.Database) {
    this.db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) })
    this.tenants = new KyselyTenantStore(this.db)
    this.keys = new KyselyKeyStore(this.db)
    this.interactions = new SqliteInteractionStore(this.db, raw)
    this.otlp = new KyselyOtlpJoinStore(this.db)
  }

  static open(options: SqliteStoreOptions): SqliteStore {
    if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true })
    const raw = new SqliteDatabase(options.file)
    raw.pragma('journal_mode = WAL')
    // FULL: a commit is on disk before we acknowledge it. Group commit keeps the fsync cost shared.
    raw.pragma('synchronous = FULL')
    raw.pragma('busy_timeout = 5000')
    raw.pragma('foreign_keys = ON')
    raw.pragma('cache_size = -65536')
    raw.pragma('temp_store = MEMORY')
    return new SqliteStore(raw)
  }

  async migrate(): Promise<void> {
    await migrateToLatest(this.db as Kysely<unknown>, SQLITE_TYPES)
  }

  async ping(): Promise<void> {
    this.raw.prepare('SELECT 1').get()
  }

  claimOnce(name: string, value: string): Promise<boolean> {
    return claimOnce(this.db, name, value, new Date().toISOString())
  }

  async close(): Promise<void> {
    await this.db.destroy()
  }
}
