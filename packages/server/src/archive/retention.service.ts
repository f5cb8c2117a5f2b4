import { RetentionSettingsUpdate, type ArchiveTarget, type RetentionSettings } from '@interlog/schema'
import type { AuditService } from '../audit/audit.service.js'
import type { AuthContext } from '../auth/auth-context.js'
import { ForbiddenError, ValidationError } from '../errors/errors.js'
import { parseOrThrow } from '../errors/zod-issues.js'
import type { Clock } from '../runtime/clock.js'
import type { ArchiveStore } from '../store/archive-store.js'
import type { ArchiveSinks } from './archive-sink.js'

export const DEFAULT_ARCHIVE_AFTER_DAYS = 30

/** Tenant-wide settings and runs are not for a key bound to one end user. */
export function requireTenantWide(auth: AuthContext): void {
  if (auth.userId !== undefined) throw new ForbiddenError('A key bound to one user cannot manage retention or the archive')
}

/** Each tenant's retention policy: when interactions move to the archive, when archived ones are deleted, and where the archive is. */
export class RetentionService {
  constructor(
    private readonly store: ArchiveStore,
    private readonly sinks: ArchiveSinks,
    private readonly defaultTarget: ArchiveTarget,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  /** The tenant's settings, defaults filled in. */
  async effective(tenantId: string): Promise<RetentionSettings> {
    const stored = await this.store.getRetention(tenantId)
    return {
      archive_after_days: stored?.archive_after_days ?? DEFAULT_ARCHIVE_AFTER_DAYS,
      delete_archived_after_days: stored?.delete_archived_after_days ?? null,
      target: (stored?.target as ArchiveTarget | null | undefined) ?? this.defaultTarget,
      updated_at: stored?.updated_at ?? null,
    }
  }

  get(auth: AuthContext): Promise<RetentionSettings> {
    requireTenantWide(auth)
    return this.effective(auth.tenantId)
  }

  /** Fields left out keep their value; the result must still make sense as a whole. */
  async put(auth: AuthContext, input: unknown): Promise<RetentionSettings> {
    requireTenantWide(auth)
    const update = parseOrThrow(RetentionSettingsUpdate, input, 'retention settings')
    const stored = await this.store.getRetention(auth.tenantId)
    const next = {
      archive_after_days: update.archive_after_days ?? stored?.archive_after_days ?? DEFAULT_ARCHIVE_AFTER_DAYS,
      delete_archived_after_days: update.delete_archived_after_days !== undefined ? update.delete_archived_after_days : (stored?.delete_archived_after_days ?? null),
      target: update.target ?? stored?.target ?? null,
      updated_at: this.clock.now().toISOString(),
    }
    if (next.delete_archived_after_days !== null && next.delete_archived_after_days <= next.archive_after_days) {
      const message = `must be more than archive_after_days (${next.archive_after_days})`
      throw new ValidationError(`Invalid retention settings: delete_archived_after_days: ${message}`, [{ path: 'delete_archived_after_days', message }])
    }
    if (update.target !== undefined && !this.sinks.has(update.target)) {
      const message = 'the s3 archive target is not configured on this server (INTERLOG_ARCHIVE_S3_BUCKET)'
      throw new ValidationError(`Invalid retention settings: target: ${message}`, [{ path: 'target', message }])
    }
    await this.store.putRetention(auth.tenantId, next)
    const settings = await this.effective(auth.tenantId)
    await this.audit.record(auth.tenantId, { actor: auth, action: 'settings.retention.update', target: { type: 'settings', id: 'retention' }, details: settings })
    return settings
  }
}
