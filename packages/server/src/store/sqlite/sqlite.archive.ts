import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import type { Interaction } from '@interlog/schema'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { sql, type Kysely } from 'kysely'
import type { TenantDeltas } from '../../analytics/rollup-deltas.js'
import type { ArchiveDialect } from '../kysely/archive.store.js'
import type { Database } from '../kysely/database.js'
import { parameterLists } from '../kysely/id-lists.js'

/** A holder that has not renewed its lease for this long is taken to be gone. */
const LEASE_MS = 60_000
const HEARTBEAT_MS = 10_000

/** Whether the process named in a lease still runs (on this host; SQLite is always on one host). */
function holderAlive(owner: string, heartbeatTs: number, now: number): boolean {
  if (now - heartbeatTs > LEASE_MS) return false
  const [host, pid] = owner.split(':')
  if (host !== hostname()) return true
  try {
    process.kill(Number(pid), 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** FTS5's default: a segment whose rows are this percentage deleted is rewritten at its next merge. */
const DELETE_MERGE_PERCENT = 10
/** Leaf pages one merge step writes: milliseconds of work, so writers wait little between steps. */
const MERGE_STEP_PAGES = 1000

/**
 * SQLite: statements run on the one connection Kysely's open transaction holds, so they commit or roll
 * back with it. Locks are leases in `archive_locks`: the server and the CLI are processes on one host,
 * so a holder that died (SIGKILL included) is recognised at once by its pid.
 */
export class SqliteArchiveDialect implements ArchiveDialect {
  readonly idLists = parameterLists

  constructor(
    private readonly db: Kysely<Database>,
    /** The interaction store's search index statements, on the same connection. */
    private readonly search: { removeSearchEntry(tenantId: string, id: string): void; addSearchEntry(tenantId: string, interaction: Interaction): void },
    /** The interaction store's rollup writer, on the same connection. */
    readonly applyRollupDeltas: (trx: Kysely<Database>, groups: TenantDeltas[]) => Promise<void>,
  ) {}

  /** SQLite has one writer at a time: a write that began earlier has finished before the caller's committed. */
  async awaitWritesInFlight(): Promise<void> {}

  /**
   * Deleting from the contentless FTS5 index leaves tombstones, and by default a commit rewrites every
   * index segment a tenth deleted. A run deletes its rows oldest first, chunk by chunk, so the same
   * large segments crossed that mark again at nearly every commit (measured: three quarters of the
   * delete transaction's CPU). While a run deletes, tombstones only accumulate; afterwards the default
   * comes back and merge steps, each its own short transaction, rewrite each such segment once. A run
   * that dies in between leaves the setting off until the next run ends, which costs searches a little
   * time, never a wrong answer (tombstoned rows never match).
   */
  async deferSearchUpkeep(on: boolean): Promise<void> {
    await this.setFts('deletemerge', on ? 0 : DELETE_MERGE_PERCENT)
    if (on) return
    for (;;) {
      const before = await this.totalChanges()
      await this.setFts('merge', MERGE_STEP_PAGES)
      // Fewer than two changes: nothing was left to merge (FTS5's documented test).
      if ((await this.totalChanges()) - before < 2) return
      await nextTurn() // let queued writes (ingest) in between steps
    }
  }

  private async setFts(command: string, value: number): Promise<void> {
    // FTS5 takes an integer here, and a bound JavaScript number arrives as a real.
    await sql`INSERT INTO interactions_fts (interactions_fts, rank) VALUES (${command}, ${sql.lit(value)})`.execute(this.db)
  }

  private async totalChanges(): Promise<number> {
    const { rows } = await sql<{ n: number }>`SELECT total_changes() AS n`.execute(this.db)
    return Number(rows[0]!.n)
  }

  async removeFromSearch(_trx: Kysely<Database>, tenantId: string, ids: string[]): Promise<void> {
    for (const id of ids) this.search.removeSearchEntry(tenantId, id)
  }

  async addToSearch(_trx: Kysely<Database>, tenantId: string, interactions: Interaction[]): Promise<void> {
    for (const interaction of interactions) this.search.addSearchEntry(tenantId, interaction)
  }

  async withLock<T>(name: string, work: () => Promise<T>): Promise<{ value: T } | undefined> {
    const owner = `${hostname()}:${process.pid}:${randomUUID()}`
    const acquired = await this.db.transaction().execute(async (trx) => {
      const now = Date.now()
      // Writing first takes SQLite's write lock, so two processes cannot both see the lease free.
      await trx.insertInto('archive_locks').values({ name, owner, heartbeat_ts: now }).onConflict((oc) => oc.column('name').doNothing()).execute()
      const lease = await trx.selectFrom('archive_locks').selectAll().where('name', '=', name).executeTakeFirstOrThrow()
      if (lease.owner === owner) return true
      if (holderAlive(lease.owner, Number(lease.heartbeat_ts), now)) return false
      await trx.updateTable('archive_locks').set({ owner, heartbeat_ts: now }).where('name', '=', name).execute()
      return true
    })
    if (!acquired) return undefined
    const renew = () => this.db.updateTable('archive_locks').set({ heartbeat_ts: Date.now() }).where('name', '=', name).where('owner', '=', owner).execute()
    const heartbeat = setInterval(() => void renew().catch(() => {}), HEARTBEAT_MS)
    heartbeat.unref()
    try {
      return { value: await work() }
    } finally {
      clearInterval(heartbeat)
      await this.db.deleteFrom('archive_locks').where('name', '=', name).where('owner', '=', owner).execute()
    }
  }
}
