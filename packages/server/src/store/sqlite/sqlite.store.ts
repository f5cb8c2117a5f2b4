import type SqliteDatabase from 'better-sqlite3'
import { Kysely } from 'kysely'
import type { Database } from '../kysely/database.js'
import type { Interaction } from '@interlog/schema'
import { rollupDeltas, type TenantDeltas } from '../../analytics/rollup-deltas.js'
import { metricSourceOf, toInteractionColumns } from '../kysely/interaction.rows.js'
import { DEFAULT_COMPRESS_THRESHOLD_BYTES, PayloadCodec } from '../kysely/payload-codec.js'
import { KyselyFeedbackStore } from '../kysely/feedback.store.js'
import { DialectFreeStores } from '../kysely/dialect-free.stores.js'
import { KyselyInteractionStore } from '../kysely/kysely.store.js'
import { parameterLists } from '../kysely/id-lists.js'
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
import { SqliteMetricsStore } from './sqlite.metrics.js'
import { BACKSTOP_CHECKPOINT_PAGES, BackgroundCheckpointer } from './sqlite.checkpointer.js'
import { openSqliteConnection } from './sqlite.connection.js'
import { ImmediateSqliteDialect } from './sqlite.dialect.js'
import { encodeColumns, prepareInsertBatch, type EncodedGroup, type EncodedRow } from './sqlite.insert-batch.js'

export interface SqliteStoreOptions {
  /** Database file; ':memory:' for a throwaway store. */
  file: string
  /** Payload fields larger than this are stored compressed; 0 turns compression off. Default 10 KB. */
  compressThresholdBytes?: number
}

/**
 * Interaction writes. A batch of ingest groups is one transaction, and its promise resolves only
 * once that transaction committed.
 */
class SqliteInteractionStore extends KyselyInteractionStore {
  private insertBatch?: (groups: EncodedGroup[]) => InsertOutcome[][]
  private rollupWriter?: (groups: TenantDeltas[]) => void
  private searchIndexStatements?: { remove: SqliteDatabase.Statement; add: SqliteDatabase.Statement; removeUser: SqliteDatabase.Statement }

  constructor(
    db: Kysely<Database>,
    private readonly raw: SqliteDatabase.Database,
    codec: PayloadCodec,
  ) {
    super(db, fts5Search, { rowLocks: false, idLists: parameterLists }, codec)
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

  /**
   * Columns (and compressed payloads) and rollup deltas are computed first, so the write transaction
   * holds the database only to write.
   */
  insertGroups(groups: TenantRows[]): Promise<InsertOutcome[][]> {
    const encoded = groups.map(({ tenantId, rows }) => this.encodeGroup(tenantId, rows))
    // Statements are prepared on first use: the tables exist only once migrations have run.
    this.insertBatch ??= prepareInsertBatch(this.raw)
    const insertBatch = this.insertBatch
    // On Kysely's connection lock, so it never interleaves with an open Kysely transaction.
    return this.db.connection().execute(async () => insertBatch(encoded))
  }

  private encodeGroup(tenantId: string, rows: InteractionRow[]): EncodedGroup {
    const encoded = rows.map(({ interaction, ts, received_ts }): EncodedRow => {
      const columns = toInteractionColumns(tenantId, { interaction, ts, received_ts }, this.codec.encode(interaction))
      return {
        values: encodeColumns(columns),
        texts: SEARCHED_FIELDS.map((field) => interaction[field] ?? null),
        tags: [...new Set(interaction.tags ?? [])],
        metric: metricSourceOf(columns),
      }
    })
    return { tenantId, rows: encoded, deltas: rollupDeltas(encoded.map((row) => [row.metric, 1])) }
  }
}

export class SqliteStore extends DialectFreeStores implements Store {
  readonly dialect = 'sqlite' as const
  readonly feedback: KyselyFeedbackStore
  readonly metrics: SqliteMetricsStore
  readonly interactions: SqliteInteractionStore
  readonly validations: KyselyValidationStore
  readonly examples: KyselyExampleStore
  readonly exports: KyselyExportStore
  readonly archive: KyselyArchiveStore
  readonly storage: KyselyStorageStatsStore

  constructor(
    private readonly raw: SqliteDatabase.Database,
    codec: PayloadCodec,
    private readonly checkpointer?: BackgroundCheckpointer,
  ) {
    super(new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: raw }) }))
    this.feedback = new KyselyFeedbackStore(this.db, (trx, groups) => this.interactions.applyRollupDeltas(trx, groups), false)
    this.metrics = new SqliteMetricsStore(this.db, fts5Search, raw)
    this.interactions = new SqliteInteractionStore(this.db, raw, codec)
    this.validations = new KyselyValidationStore(this.db, false)
    this.examples = new KyselyExampleStore(this.db, false)
    this.exports = new KyselyExportStore(this.db, fts5Search, sqliteConversationProjection, codec)
    const interactions = this.interactions
    this.archive = new KyselyArchiveStore(this.db, new SqliteArchiveDialect(this.db, interactions, (trx, groups) => interactions.applyRollupDeltas(trx, groups)), codec)
    this.storage = new KyselyStorageStatsStore(this.db, sqliteStoredBytes)
  }

  static open(options: SqliteStoreOptions): SqliteStore {
    const codec = new PayloadCodec(options.compressThresholdBytes ?? DEFAULT_COMPRESS_THRESHOLD_BYTES)
    const raw = openSqliteConnection(options.file)
    if (options.file === ':memory:') return new SqliteStore(raw, codec)
    raw.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`)
    return new SqliteStore(raw, codec, new BackgroundCheckpointer(options.file))
  }

  override async close(): Promise<void> {
    await this.checkpointer?.stop()
    await super.close()
  }

  async migrate(): Promise<void> {
    await migrateToLatest(this.db as Kysely<unknown>, SQLITE_TYPES)
  }

  async ping(): Promise<void> {
    this.raw.prepare('SELECT 1').get()
  }
}
