import { RestoreRequest, type RestoreResult } from '@interlog/schema'
import { DAY_MS } from '../analytics/rollup-deltas.js'
import type { AuthContext } from '../auth/auth-context.js'
import { AppError, UnavailableError, ValidationError } from '../errors/errors.js'
import { parseOrThrow } from '../errors/zod-issues.js'
import type { ArchiveRewrite } from '../store/archive-store.js'
import { ArchiveRewriter } from './archive-rewrite.js'
import type { ArchiveService } from './archive.service.js'
import { bloomMayContain } from './bloom.js'
import { requireTenantWide } from './retention.service.js'

/**
 * Changes to what is already archived: restoring interactions to the hot store, and erasing a user's
 * interactions from the archive. Both rewrite the objects concerned (see ArchiveRewriter), hold the
 * tenant's archive lock, and are idempotent: running one again after a success or a crash finishes the
 * job and changes nothing more.
 */
export class ArchiveMaintenance {
  constructor(private readonly archive: ArchiveService) {}

  private rewriter(tenantId: string): ArchiveRewriter {
    const { store, sinks, clock, ids, options } = this.archive.deps
    return new ArchiveRewriter({ store, sinks, clock, ids, gzipLevel: options.settings.gzipLevel }, tenantId, ids.next(), this.archive.stagingDirOf(tenantId))
  }

  restoreForAuth(auth: AuthContext, input: unknown): Promise<RestoreResult> {
    requireTenantWide(auth)
    return this.restore(auth, auth.tenantId, input)
  }

  /**
   * Brings the archived interactions with timestamp in [from, to) back into the hot store, with their
   * feedback, and keeps archive runs off that range for the tenant's archive_after_days, so the next
   * run does not send them straight back. An id already hot keeps its hot version.
   */
  async restore(actor: AuthContext, tenantId: string, input: unknown): Promise<RestoreResult> {
    const request = parseOrThrow(RestoreRequest, input, 'restore request')
    const from = Date.parse(request.from)
    const to = Date.parse(request.to)
    if (from >= to) throw new ValidationError('Invalid restore request: to: must be after from', [{ path: 'to', message: 'must be after from' }])
    const result = await this.archive.exclusive(tenantId, () => this.restoreRange(tenantId, from, to)).catch((error: unknown) => {
      if (error instanceof AppError) throw error
      // Each object is restored whole or not at all, so what came back stays back and a retry finishes.
      throw new UnavailableError(`Restoring from the archive failed (${error instanceof Error ? error.message : String(error)}); send the request again to finish`)
    })
    if (result.restored > 0) {
      const details = { from: new Date(from).toISOString(), to: new Date(to).toISOString(), ...result }
      await this.archive.deps.audit.record(tenantId, { actor, action: 'archive.restore', target: { type: 'tenant', id: tenantId }, details })
    }
    return result
  }

  private async restoreRange(tenantId: string, from: number, to: number): Promise<RestoreResult> {
    const { store, clock, ids, retention } = this.archive.deps
    const until = clock.now().getTime() + (await retention.effective(tenantId)).archive_after_days * DAY_MS
    let hold: ArchiveRewrite['hold'] = { id: ids.next(), from, to, until }
    const rewriter = this.rewriter(tenantId)
    const result = { restored: 0, already_present: 0, batches_rewritten: 0, batches_emptied: 0 }
    const { batches } = await store.batches(tenantId, { statuses: ['archived'], overlapping: { from, to }, order: 'time' })
    for (const batch of batches) {
      const outcome = await rewriter.rewrite(
        batch,
        ({ interaction }) => {
          const ts = Date.parse(interaction.timestamp)
          return ts >= from && ts < to
        },
        { restore: true, hold },
      )
      if (outcome.taken === 0) continue
      hold = undefined
      result.restored += outcome.restored
      result.already_present += outcome.alreadyPresent
      if (outcome.rewritten) result.batches_rewritten += 1
      if (outcome.emptied) result.batches_emptied += 1
    }
    // The hold is stored with the first object rewritten; none was, so nothing is held by this call.
    return { ...result, held_until: hold === undefined ? new Date(until).toISOString() : null }
  }

  /** Runs `work` holding the tenant's archive lock (a 409 when an archive run keeps it past the wait). */
  exclusive<T>(tenantId: string, work: () => Promise<T>): Promise<T> {
    return this.archive.exclusive(tenantId, work)
  }

  /**
   * Removes every archived interaction of the user: each object that holds some is rewritten without
   * them (new object written and verified, then the old one removed), and the archived rollups and
   * batch statistics drop them. Answers how many were removed. Objects whose user filter rules the
   * user out are not opened. The caller holds the tenant's archive lock (see exclusive).
   */
  async eraseArchivedUser(tenantId: string, userId: string): Promise<number> {
    const { batches } = await this.archive.deps.store.batches(tenantId, { statuses: ['archived'], order: 'time' })
    const rewriter = this.rewriter(tenantId)
    let removed = 0
    for (const batch of batches) {
      if (!bloomMayContain(batch.users_bloom, userId)) continue
      removed += (await rewriter.rewrite(batch, ({ interaction }) => interaction.user_id === userId, { restore: false })).taken
    }
    return removed
  }
}
