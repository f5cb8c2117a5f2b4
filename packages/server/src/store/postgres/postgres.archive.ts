import type { Interaction } from '@interlog/schema'
import { sql, type Kysely } from 'kysely'
import type pg from 'pg'
import { searchDocument } from '../../search/full-text-search.js'
import type { TenantDeltas } from '../../analytics/rollup-deltas.js'
import type { ArchiveDialect } from '../kysely/archive.store.js'
import type { Database } from '../kysely/database.js'
import { arrayParameterLists } from './id-lists.js'
import { applyRollupDeltas } from './postgres.rollups.js'

/**
 * PostgreSQL: the search vector is a column of the row, and locks are session advisory locks: held on a
 * connection of their own for the whole run and released by the server if the process dies. The key
 * includes the schema, so databases that hold several interlog schemas (tests) do not share locks.
 */
export class PostgresArchiveDialect implements ArchiveDialect {
  readonly idLists = arrayParameterLists

  constructor(
    private readonly db: Kysely<Database>,
    /** A new connection to the store's database and schema, outside the pool. */
    private readonly connect: () => Promise<pg.Client>,
  ) {}

  /**
   * A SHARE lock waits for every transaction that is writing these tables, and is let go at once. A
   * write that started before archiving was flagged may have checked the flag already; after this, it
   * has committed, and the archive run reads its result.
   */
  async awaitWritesInFlight(): Promise<void> {
    await this.db.transaction().execute((trx) => sql`LOCK TABLE interactions, feedback IN SHARE MODE`.execute(trx))
  }

  applyRollupDeltas(trx: Kysely<Database>, groups: TenantDeltas[]): Promise<void> {
    return applyRollupDeltas(trx, groups)
  }

  /** The search vector is a column of the row, and its index is cleaned by vacuum: nothing to defer. */
  async deferSearchUpkeep(): Promise<void> {}

  /** The search vector is a column of the row: it goes with the row. */
  async removeFromSearch(): Promise<void> {}

  /** Restored rows get their search vector from the uncompressed text, as ingest writes it. */
  async addToSearch(trx: Kysely<Database>, tenantId: string, interactions: Interaction[]): Promise<void> {
    if (interactions.length === 0) return
    await sql`
      UPDATE interactions AS i SET search_vector = to_tsvector('english', u.document)
      FROM unnest(${interactions.map((interaction) => interaction.id)}::text[], ${interactions.map(searchDocument)}::text[]) AS u(id, document)
      WHERE i.tenant_id = ${tenantId} AND i.id = u.id`.execute(trx)
  }

  /**
   * The lock is held by a connection of its own, outside the pool: a pooled one would be kept from
   * other work for the whole run or export, and enough holders at once (exports of archived data for
   * several tenants) would leave none for the work they wait on. Closing the connection releases the lock.
   */
  async withLock<T>(name: string, work: () => Promise<T>): Promise<{ value: T } | undefined> {
    // A restore or erasure waiting for a run asks every 250 ms: while the lock is taken, a pooled query
    // says so, and no connection is opened just to be refused.
    if (await this.held(name)) return undefined
    const connection = await this.connect()
    // A connection lost while the work runs gives the lock up; the work's own queries fail or finish.
    connection.on('error', () => {})
    try {
      const { rows } = await connection.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext(current_schema()), hashtext($1)) AS locked', [name])
      if (!rows[0]?.locked) return undefined
      return { value: await work() }
    } finally {
      await connection.end()
    }
  }

  /** Whether any session holds the lock now (the same key as pg_try_advisory_lock's two int4s). */
  private async held(name: string): Promise<boolean> {
    const { rows } = await sql<{ held: boolean }>`
      SELECT EXISTS (
        SELECT 1 FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND objsubid = 2
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND classid = hashtext(current_schema())::oid AND objid = hashtext(${name})::oid
      ) AS held`.execute(this.db)
    return rows[0]!.held
  }
}
