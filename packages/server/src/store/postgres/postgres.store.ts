import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { INTERACTION_COLUMNS, type Database, type InteractionsTable } from '../kysely/database.js'
import { rollupDeltas, type TenantDeltas } from '../../analytics/rollup-deltas.js'
import { metricSourceOf, toInteractionColumns } from '../kysely/interaction.rows.js'
import { DEFAULT_COMPRESS_THRESHOLD_BYTES, PayloadCodec } from '../kysely/payload-codec.js'
import { KyselyFeedbackStore } from '../kysely/feedback.store.js'
import { DialectFreeStores } from '../kysely/dialect-free.stores.js'
import { KyselyInteractionStore, KyselyMetricsStore } from '../kysely/kysely.store.js'
import { KyselyExampleStore } from '../kysely/example.store.js'
import { KyselyValidationStore } from '../kysely/validation.store.js'
import { KyselyExportStore } from '../kysely/export.store.js'
import { postgresConversationProjection } from './postgres.export.js'
import { KyselyArchiveStore } from '../kysely/archive.store.js'
import { KyselyStorageStatsStore, postgresStoredBytes } from '../kysely/storage-stats.store.js'
import { PostgresArchiveDialect } from './postgres.archive.js'
import { arrayParameterLists } from './id-lists.js'
import { searchDocument, tsvectorSearch } from '../../search/full-text-search.js'
import type { Interaction } from '@interlog/schema'
import { POSTGRES_TYPES } from '../migrations/dialect-types.js'
import { migrateToLatest } from '../migrations/migrations.js'
import type { InsertOutcome, Store, TenantRows } from '../store.js'
import { applyRollupDeltas } from './postgres.rollups.js'
import { arrayLiteral } from './array-literal.js'

export interface PostgresStoreOptions {
  connectionString: string
  /** Schema to use (created if missing); tests give each run its own. Default: the server's search_path. */
  schema?: string
  poolSize?: number
  /** Payload fields larger than this are stored compressed; 0 turns compression off. Default 10 KB. */
  compressThresholdBytes?: number
}

/** PostgreSQL element type of each column, for the unnest() bulk insert. */
const PG_ARRAY_TYPES: Record<Exclude<keyof InteractionsTable, 'data'>, string> = {
  tenant_id: 'text',
  id: 'text',
  ts: 'int8',
  received_ts: 'int8',
  user_id: 'text',
  thread_id: 'text',
  session_id: 'text',
  type: 'text',
  category: 'text',
  status: 'text',
  provider: 'text',
  model: 'text',
  prompt_version: 'text',
  message_type: 'text',
  error_type: 'text',
  latency_ms: 'float8',
  prompt_tokens: 'int8',
  completion_tokens: 'int8',
  total_tokens: 'int8',
  cached_tokens: 'int8',
  reasoning_tokens: 'int8',
  cost_usd: 'float8',
  confidence: 'float8',
  handoff: 'int4',
  all_variables_present: 'int4',
  size_bytes: 'int4',
  handoff_reason: 'text',
  missing_variables: 'text',
  feedback_kind: 'text',
  feedback_quality_score: 'float8',
  payload: 'bytea',
}

/** Every column but `data`, which is sent as one JSON array. */
const ARRAY_COLUMNS = INTERACTION_COLUMNS.filter((column): column is Exclude<typeof column, 'data'> => column !== 'data')

/**
 * Bulk insert as one `INSERT ... SELECT FROM unnest(...)`: one statement with one parameter per column
 * whatever the batch size, so parsing cost does not grow with the rows.
 */
class PostgresInteractionStore extends KyselyInteractionStore {
  constructor(db: Kysely<Database>, codec: PayloadCodec) {
    super(db, tsvectorSearch, { rowLocks: true, idLists: arrayParameterLists }, codec)
  }

  /** The search vector is a column of the row: it goes with the row. */
  protected async removeFromSearch(): Promise<void> {}

  async removeUserFromSearch(): Promise<void> {}

  /** The search vector is written from the uncompressed text, since large fields are not in `data`. */
  protected async reindexSearch(trx: Kysely<Database>, tenantId: string, interaction: Interaction): Promise<void> {
    await sql`UPDATE interactions SET search_vector = to_tsvector('english', ${searchDocument(interaction)})
      WHERE tenant_id = ${tenantId} AND id = ${interaction.id}`.execute(trx)
  }

  applyRollupDeltas(trx: Kysely<Database>, groups: TenantDeltas[]): Promise<void> {
    return applyRollupDeltas(trx, groups)
  }

  async insertGroups(groups: TenantRows[]): Promise<InsertOutcome[][]> {
    const prepared = groups.map(({ tenantId, rows }) => ({
      tenantId,
      rows: rows.map((row) => ({ id: row.interaction.id, columns: toInteractionColumns(tenantId, row, this.codec.encode(row.interaction)) })),
      documents: rows.map((row) => searchDocument(row.interaction)),
      tags: rows.map((row) => new Set(row.interaction.tags ?? [])),
    }))
    const columns = Object.fromEntries(INTERACTION_COLUMNS.map((c) => [c, [] as unknown[]])) as Record<string, unknown[]>
    const tags = { tenant: [] as string[], interaction: [] as string[], tag: [] as string[] }
    const documents = prepared.flatMap((group) => group.documents)
    for (const group of prepared) {
      group.rows.forEach((row, index) => {
        for (const column of INTERACTION_COLUMNS) columns[column]!.push(row.columns[column])
        for (const tag of group.tags[index]!) {
          tags.tenant.push(group.tenantId)
          tags.interaction.push(row.id)
          tags.tag.push(tag)
        }
      })
    }
    const sources = sql.join([
      ...ARRAY_COLUMNS.map((c) => sql`unnest(${arrayLiteral(columns[c]!)}::${sql.raw(PG_ARRAY_TYPES[c])}[])`),
      // The two long texts of each row travel as JSON, not as array literals: the driver escapes array
      // elements with regular expressions and PostgreSQL unescapes them again (measured: ~9 µs of Node
      // CPU per row less this way). The stored documents are JSON already, so they go as one array
      // joined as it is, and PostgreSQL parses each one once, as it did for the cast to jsonb.
      sql`jsonb_array_elements(${`[${(columns.data as string[]).join(',')}]`}::jsonb)`,
      sql`json_array_elements_text(${JSON.stringify(documents)}::json)`,
    ])
    const selected = sql.join([...INTERACTION_COLUMNS.map((c) => sql.raw(`u.${c}`)), sql.raw(`to_tsvector('english', u.search_document)`)])
    return this.db.transaction().execute(async (trx) => {
      const result = await sql<{ tenant_id: string; id: string }>`
        INSERT INTO interactions (${sql.raw(INTERACTION_COLUMNS.join(', '))}, search_vector)
        SELECT ${selected} FROM ROWS FROM (${sources}) AS u(${sql.raw([...ARRAY_COLUMNS, 'data'].join(', '))}, search_document)
        ON CONFLICT (tenant_id, id) DO NOTHING
        RETURNING tenant_id, id`.execute(trx)
      if (tags.tag.length > 0) {
        await sql`
          INSERT INTO interaction_tags (tenant_id, interaction_id, tag)
          SELECT * FROM unnest(${arrayLiteral(tags.tenant)}::text[], ${arrayLiteral(tags.interaction)}::text[], ${arrayLiteral(tags.tag)}::text[])
          ON CONFLICT DO NOTHING`.execute(trx)
      }
      // A key inserted by this statement is "created" for its first occurrence only.
      const fresh = new Set(result.rows.map((row) => `${row.tenant_id}\u0000${row.id}`))
      const outcomes = prepared.map((group) =>
        group.rows.map((row): InsertOutcome => (fresh.delete(`${group.tenantId}\u0000${row.id}`) ? 'created' : 'duplicate')),
      )
      const deltas = prepared.map((group, g) => ({
        tenantId: group.tenantId,
        deltas: rollupDeltas(
          group.rows.filter((_, r) => outcomes[g]![r] === 'created').map((row) => [metricSourceOf(row.columns), 1] as const),
        ),
      }))
      await applyRollupDeltas(trx, deltas)
      return outcomes
    })
  }
}

const INT8_OID = 20

export class PostgresStore extends DialectFreeStores implements Store {
  readonly dialect = 'postgres' as const
  readonly feedback: KyselyFeedbackStore
  readonly metrics: KyselyMetricsStore
  readonly interactions: PostgresInteractionStore
  readonly validations: KyselyValidationStore
  readonly examples: KyselyExampleStore
  readonly exports: KyselyExportStore
  readonly archive: KyselyArchiveStore
  readonly storage: KyselyStorageStatsStore

  constructor(
    pool: pg.Pool,
    private readonly schema: string | undefined,
    codec: PayloadCodec,
    connect: () => Promise<pg.Client>,
  ) {
    super(new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }))
    this.feedback = new KyselyFeedbackStore(this.db, (trx, groups) => this.interactions.applyRollupDeltas(trx, groups), true)
    this.metrics = new KyselyMetricsStore(this.db, tsvectorSearch)
    this.interactions = new PostgresInteractionStore(this.db, codec)
    this.validations = new KyselyValidationStore(this.db, true)
    this.examples = new KyselyExampleStore(this.db, true)
    this.exports = new KyselyExportStore(this.db, tsvectorSearch, postgresConversationProjection, codec)
    this.archive = new KyselyArchiveStore(this.db, new PostgresArchiveDialect(this.db, connect), codec)
    this.storage = new KyselyStorageStatsStore(this.db, postgresStoredBytes)
  }

  static open(options: PostgresStoreOptions): PostgresStore {
    if (options.schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(options.schema)) {
      throw new Error(`Invalid PostgreSQL schema name '${options.schema}'`)
    }
    const connection = { connectionString: options.connectionString, options: options.schema ? `-c search_path=${options.schema}` : undefined }
    const pool = new pg.Pool({
      ...connection,
      max: options.poolSize ?? 10,
      // Epoch milliseconds and counts fit a double exactly; read int8 as number, not string.
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    })
    const connect = async () => {
      const client = new pg.Client(connection)
      await client.connect()
      return client
    }
    return new PostgresStore(pool, options.schema, new PayloadCodec(options.compressThresholdBytes ?? DEFAULT_COMPRESS_THRESHOLD_BYTES), connect)
  }

  async migrate(): Promise<void> {
    if (this.schema) await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(this.schema)}`.execute(this.db)
    const { rows } = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(this.db)
    const schema = rows[0]!.schema
    // Kysely's introspection reads every schema's tables; one dropped meanwhile by another client fails
    // the read ("schema ... does not exist"). That is not ours to mind: read again.
    for (let attempt = 1; ; attempt++) {
      try {
        return await migrateToLatest(this.db as Kysely<unknown>, POSTGRES_TYPES, schema)
      } catch (error) {
        const vanished = error instanceof Error ? /schema "(.+)" does not exist/.exec(error.message)?.[1] : undefined
        if (vanished === undefined || vanished === schema || attempt === 10) throw error
        // A DROP SCHEMA ... CASCADE still in progress shows its tables until it commits: give it time.
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt))
      }
    }
  }

  async ping(): Promise<void> {
    await sql`SELECT 1`.execute(this.db)
  }

}
