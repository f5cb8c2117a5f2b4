import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { INTERACTION_COLUMNS, type Database, type InteractionsTable } from '../kysely/database.js'
import type { Interaction } from '@interlog/schema'
import { rollupDeltas, type MetricSource, type TenantDeltas } from '../../analytics/rollup-deltas.js'
import { metricSourceOf, toInteractionColumns } from '../kysely/interaction.rows.js'
import { DEFAULT_COMPRESS_THRESHOLD_BYTES, PayloadCodec } from '../kysely/payload-codec.js'
import { KyselyFeedbackStore } from '../kysely/feedback.store.js'
import { DialectFreeStores } from '../kysely/dialect-free.stores.js'
import { KyselyInteractionStore, KyselyMetricsStore } from '../kysely/kysely.store.js'
import { KyselyExampleStore } from '../kysely/example.store.js'
import { KyselyValidationStore } from '../kysely/validation.store.js'
import { KyselyExportStore, sqliteConversationProjection } from '../kysely/export.store.js'
import { KyselyArchiveStore } from '../kysely/archive.store.js'
import { KyselyStorageStatsStore, sqliteStoredBytes } from '../kysely/storage-stats.store.js'
import { SqliteArchiveDialect } from './sqlite.archive.js'
import { fts5Search, tenantSearchToken } from '../../search/full-text-search.js'
import { SEARCHED_FIELDS } from '../migrations/003-search.js'
import { SQLITE_TYPES } from '../migrations/dialect-types.js'
import { migrateToLatest } from '../migrations/migrations.js'
import type { InsertOutcome, InteractionRow, Store, TenantRows } from '../store.js'
import { prepareRollupWriter } from './sqlite.rollups.js'

export interface SqliteStoreOptions {
  /** Database file; ':memory:' for a throwaway store. */
  file: string
  /** Payload fields larger than this are stored compressed; 0 turns compression off. Default 10 KB. */
  compressThresholdBytes?: number
}

/** A row with its columns computed (and large fields compressed) before the write transaction starts. */
type EncodedRows = { tenantId: string; rows: { row: InteractionRow; columns: InteractionsTable }[] }

/**
 * Bulk insert through prepared statements inside one synchronous transaction. It runs while holding
 * Kysely's connection lock, so it never interleaves with an open Kysely transaction.
 */
class SqliteInteractionStore extends KyselyInteractionStore {
  private insertBatch?: (groups: EncodedRows[]) => InsertOutcome[][]
  private rollupWriter?: (groups: TenantDeltas[]) => void
  private searchIndexStatements?: { remove: SqliteDatabase.Statement; add: SqliteDatabase.Statement; removeUser: SqliteDatabase.Statement }

  constructor(
    db: Kysely<Database>,
    private readonly raw: SqliteDatabase.Database,
    codec: PayloadCodec,
  ) {
    super(db, fts5Search, { rowLocks: false }, codec)
  }

  /** Statements are prepared on first use: the tables exist only once migrations have run. */
  private prepareInsertBatch(): (groups: EncodedRows[]) => InsertOutcome[][] {
    const raw = this.raw
    const placeholders = INTERACTION_COLUMNS.map(() => '?').join(', ')
    const insertRow = raw.prepare(
      `INSERT INTO interactions (${INTERACTION_COLUMNS.join(', ')}) VALUES (${placeholders})
       ON CONFLICT (tenant_id, id) DO NOTHING`,
    )
    const insertSearchText = raw.prepare(
      `INSERT INTO interactions_fts (rowid, ${SEARCHED_FIELDS.join(', ')}, tenant) VALUES (?, ${SEARCHED_FIELDS.map(() => '?').join(', ')}, ?)`,
    )
    const insertTag = raw.prepare(
      'INSERT INTO interaction_tags (tenant_id, interaction_id, tag) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    )
    const writeRollups = this.rollups()
    return raw.transaction((groups: EncodedRows[]) => {
      const created: TenantDeltas[] = []
      const outcomes = groups.map(({ tenantId, rows }) => {
        const sources: MetricSource[] = []
        const tenantToken = tenantSearchToken(tenantId)
        const groupOutcomes = rows.map(({ row, columns }): InsertOutcome => {
          const { changes, lastInsertRowid } = insertRow.run(INTERACTION_COLUMNS.map((column) => columns[column]))
          if (changes === 0) return 'duplicate'
          const texts = SEARCHED_FIELDS.map((field) => row.interaction[field] ?? null)
          if (texts.some((text) => text !== null)) insertSearchText.run(lastInsertRowid, ...texts, tenantToken)
          for (const tag of new Set(row.interaction.tags ?? [])) insertTag.run(tenantId, row.interaction.id, tag)
          sources.push(metricSourceOf(columns))
          return 'created'
        })
        created.push({ tenantId, deltas: rollupDeltas(sources.map((source) => [source, 1])) })
        return groupOutcomes
      })
      writeRollups(created)
      return outcomes
    })
  }

  private rollups(): (groups: TenantDeltas[]) => void {
    this.rollupWriter ??= prepareRollupWriter(this.raw)
    return this.rollupWriter
  }

  /** Runs on the connection Kysely's open transaction uses, so it commits or rolls back with it. */
  async applyRollupDeltas(_trx: Kysely<Database>, groups: TenantDeltas[]): Promise<void> {
    this.rollups()(groups)
  }

  protected async removeFromSearch(_trx: Kysely<Database>, tenantId: string, id: string): Promise<void> {
    this.removeSearchEntry(tenantId, id)
  }

  /** An update keeps the row's rowid, so its search entry is replaced under the same rowid. */
  protected async reindexSearch(trx: Kysely<Database>, tenantId: string, interaction: Interaction): Promise<void> {
    await this.removeFromSearch(trx, tenantId, interaction.id)
    this.addSearchEntry(tenantId, interaction)
  }

  /** Indexes a stored row's text under its rowid (updates, and restores from the archive). */
  addSearchEntry(tenantId: string, interaction: Interaction): void {
    const texts = SEARCHED_FIELDS.map((field) => interaction[field] ?? null)
    if (texts.every((text) => text === null)) return
    this.searchStatements().add.run(...texts, tenantSearchToken(tenantId), tenantId, interaction.id)
  }

  /** Removes a row's search entry; runs before the row itself goes (deletes, and archiving). */
  removeSearchEntry(tenantId: string, id: string): void {
    this.searchStatements().remove.run(tenantId, id)
  }

  async removeUserFromSearch(_trx: Kysely<Database>, tenantId: string, userId: string): Promise<void> {
    this.searchStatements().removeUser.run(tenantId, userId)
  }

  /** Prepared once, on first use (the tables exist only once migrations have run). */
  private searchStatements() {
    this.searchIndexStatements ??= {
      remove: this.raw.prepare('DELETE FROM interactions_fts WHERE rowid = (SELECT rowid FROM interactions WHERE tenant_id = ? AND id = ?)'),
      removeUser: this.raw.prepare('DELETE FROM interactions_fts WHERE rowid IN (SELECT rowid FROM interactions WHERE tenant_id = ? AND user_id = ?)'),
      add: this.raw.prepare(
        `INSERT INTO interactions_fts (rowid, ${SEARCHED_FIELDS.join(', ')}, tenant)
         SELECT rowid, ${SEARCHED_FIELDS.map(() => '?').join(', ')}, ? FROM interactions WHERE tenant_id = ? AND id = ?`,
      ),
    }
    return this.searchIndexStatements
  }

  /** Columns (and compressed payloads) are computed first, so the write transaction holds the database only to write. */
  insertGroups(groups: TenantRows[]): Promise<InsertOutcome[][]> {
    this.insertBatch ??= this.prepareInsertBatch()
    const insertBatch = this.insertBatch
    const encoded = groups.map(({ tenantId, rows }) => ({
      tenantId,
      rows: rows.map((row) => ({ row, columns: toInteractionColumns(tenantId, row, this.codec.encode(row.interaction)) })),
    }))
    return this.db.connection().execute(async () => insertBatch(encoded))
  }
}

export class SqliteStore extends DialectFreeStores implements Store {
  readonly dialect = 'sqlite' as const
  readonly feedback: KyselyFeedbackStore
  readonly metrics: KyselyMetricsStore
  readonly interactions: SqliteInteractionStore
  readonly validations: KyselyValidationStore
  readonly examples: KyselyExampleStore
  readonly exports: KyselyExportStore
  readonly archive: KyselyArchiveStore
  readonly storage: KyselyStorageStatsStore

  constructor(
    private readonly raw: SqliteDatabase.Database,
    codec: PayloadCodec,
  ) {
    super(new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) }))
    this.feedback = new KyselyFeedbackStore(this.db, (trx, groups) => this.interactions.applyRollupDeltas(trx, groups), false)
    this.metrics = new KyselyMetricsStore(this.db, fts5Search)
    this.interactions = new SqliteInteractionStore(this.db, raw, codec)
    this.validations = new KyselyValidationStore(this.db, false)
    this.examples = new KyselyExampleStore(this.db, false)
    this.exports = new KyselyExportStore(this.db, fts5Search, sqliteConversationProjection, codec)
    const interactions = this.interactions
    this.archive = new KyselyArchiveStore(this.db, new SqliteArchiveDialect(this.db, interactions, (trx, groups) => interactions.applyRollupDeltas(trx, groups)), codec)
    this.storage = new KyselyStorageStatsStore(this.db, sqliteStoredBytes)
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
    // Checkpoint every ~40 MB of WAL rather than 4 MB: far fewer page rewrites under sustained ingest.
    raw.pragma('wal_autocheckpoint = 10000')
    return new SqliteStore(raw, new PayloadCodec(options.compressThresholdBytes ?? DEFAULT_COMPRESS_THRESHOLD_BYTES))
  }

  async migrate(): Promise<void> {
    await migrateToLatest(this.db as Kysely<unknown>, SQLITE_TYPES)
  }

  async ping(): Promise<void> {
    this.raw.prepare('SELECT 1').get()
  }

}
