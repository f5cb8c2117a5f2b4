import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import type { Interaction } from '@interlog/schema'
import type { Kysely } from 'kysely'
import type { TenantDeltas } from '../../analytics/rollup-deltas.js'
import type { ArchiveDialect } from '../kysely/archive.store.js'
import type { Database } from '../kysely/database.js'

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

/**
 * SQLite: statements run on the one connection Kysely's open transaction holds, so they commit or roll
 * back with it. Locks are leases in `archive_locks`: the server and the CLI are processes on one host,
 * so a holder that died (SIGKILL included) is recognised at once by its pid.
 */
export class SqliteArchiveDialect implements ArchiveDialect {
  constructor(
    private readonly db: Kysely<Database>,
    /** The interaction store's search index statements, on the same connection. */
    private readonly search: { removeSearchEntry(tenantId: string, id: string): void; addSearchEntry(tenantId: string, interaction: Interaction): void },
    /** The interaction store's rollup writer, on the same connection. */
    readonly applyRollupDeltas: (trx: Kysely<Database>, groups: TenantDeltas[]) => Promise<void>,
  ) {}

  /** SQLite has one writer at a time: a write that began earlier has finished before the caller's committed. */
  async awaitWritesInFlight(): Promise<void> {}

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
