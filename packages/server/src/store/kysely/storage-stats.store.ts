import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { ActiveStorageRow, StorageStatsStore } from '../store.js'
import type { Database } from './database.js'

/**
 * Sizes of a tenant's hot rows per type and category. `storedBytes` is the dialect's measure of
 * what a row's payload takes on disk (compressed fields included); `size_bytes` is its raw size.
 */
export class KyselyStorageStatsStore implements StorageStatsStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly storedBytes: RawBuilder<number>,
  ) {}

  async active(tenantId: string): Promise<ActiveStorageRow[]> {
    const rows = await this.db
      .selectFrom('interactions')
      .select([
        'type',
        'category',
        (eb) => eb.fn.countAll<number>().as('records'),
        (eb) => eb.fn.sum<number>('size_bytes').as('raw_bytes'),
        sql<number>`sum(${this.storedBytes})`.as('stored_bytes'),
      ])
      .where('tenant_id', '=', tenantId)
      .groupBy(['type', 'category'])
      .execute()
    return rows.map((row) => ({
      type: row.type,
      category: row.category,
      records: Number(row.records),
      raw_bytes: Number(row.raw_bytes ?? 0),
      stored_bytes: Number(row.stored_bytes ?? 0),
    }))
  }
}

/** SQLite keeps JSON as text: its byte length, plus the compressed fields. */
export const sqliteStoredBytes = sql<number>`length(CAST(interactions.data AS BLOB)) + coalesce(length(interactions.payload), 0)`

/** PostgreSQL: the values' stored sizes, after its own TOAST compression. */
export const postgresStoredBytes = sql<number>`pg_column_size(interactions.data) + coalesce(pg_column_size(interactions.payload), 0)`
