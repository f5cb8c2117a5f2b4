import type { UserDataErasure } from '@interlog/schema'
import type { AuditService } from '../audit/audit.service.js'
import type { AuthContext } from '../auth/auth-context.js'
import { ForbiddenError, UnavailableError } from '../errors/errors.js'
import type { ErasureCounts, InteractionStore } from '../store/store.js'

/** The archive's part of an erasure (ArchiveMaintenance). */
export interface ArchivedUserErasure {
  /** Runs `work` holding the tenant's archive lock; a 409 when an archive run keeps it past the wait. */
  exclusive<T>(tenantId: string, work: () => Promise<T>): Promise<T>
  /** Removes the user's archived interactions (the caller holds the lock); answers how many. */
  eraseArchivedUser(tenantId: string, userId: string): Promise<number>
}

/**
 * Erasure of an end user's data on request (GDPR art. 17 and the like) from the hot store and the
 * archive, recorded in the audit log.
 *
 * Both steps run under the tenant's archive lock, taken first: no archive run can move one of the
 * user's rows into the archive between them, and when a run keeps the lock past the wait the request
 * fails with 409 before anything is erased. Then the hot store goes first, in one transaction (it is
 * what reads, searches and exports see), and the archive after it, object by object. Should the
 * archive step fail, the answer is an error saying so, the audit log records what was erased, and
 * sending the request again finishes the job (both steps are idempotent).
 */
export class ErasureService {
  constructor(
    private readonly interactions: Pick<InteractionStore, 'eraseUser'>,
    private readonly archive: ArchivedUserErasure,
    private readonly audit: AuditService,
  ) {}

  /** A user-bound key may erase its own user only. Erasing a user with no data answers zero counts. */
  async eraseUser(auth: AuthContext, userId: string): Promise<UserDataErasure> {
    if (auth.userId !== undefined && auth.userId !== userId) {
      throw new ForbiddenError(`This key may only erase the data of user '${auth.userId}'`)
    }
    const { tenantId } = auth
    const done: { hot?: ErasureCounts } = {}
    const record = (details: Record<string, unknown>) => this.audit.record(tenantId, { actor: auth, action: 'user_data.erase', target: { type: 'user', id: userId }, details })
    try {
      const deleted = await this.archive.exclusive(tenantId, async () => {
        done.hot = await this.interactions.eraseUser(tenantId, userId)
        const { interactions = 0, ...attached } = done.hot
        return { interactions, archived_interactions: await this.archive.eraseArchivedUser(tenantId, userId), ...attached }
      })
      await record({ outcome: 'completed', deleted })
      return { user_id: userId, deleted }
    } catch (error) {
      // Nothing was erased (the lock was busy, or the hot store failed): nothing to record.
      if (done.hot === undefined) throw error
      const reason = error instanceof Error ? error.message : String(error)
      await record({ outcome: 'incomplete', deleted: done.hot, error: reason })
      throw new UnavailableError(
        `User '${userId}' was erased from the hot store, but erasing their archived interactions failed (${reason}); send the request again to finish`,
      )
    }
  }
}
