import type { AuditAction, AuditEntry, AuditLog, AuditLogQuery } from '@interlog/schema'
import type { AuthContext } from '../auth/auth-context.js'
import type { Clock, IdGenerator } from '../runtime/clock.js'
import type { AuditStore } from '../store/store.js'

/** One thing that happened, as a service reports it. */
export interface AuditEvent {
  /** Who acted: the caller, or the id of the key that acted. */
  actor: AuthContext | string
  action: AuditAction
  target?: { type: string; id: string }
  /** What else an auditor needs (counts, scopes, the new settings); never secrets. */
  details?: Record<string, unknown>
}

/**
 * The audit log: deletions, erasures, exports, key and tenant administration and settings changes.
 * Services call `record` once the action has committed, in the tenant whose data or settings it touched.
 */
export class AuditService {
  constructor(
    private readonly store: AuditStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async record(tenantId: string, event: AuditEvent): Promise<AuditEntry> {
    const entry: AuditEntry = {
      id: this.ids.next(),
      action: event.action,
      actor_key_id: typeof event.actor === 'string' ? event.actor : event.actor.keyId,
      target_type: event.target?.type ?? null,
      target_id: event.target?.id ?? null,
      details: event.details ?? {},
      created_at: this.clock.now().toISOString(),
    }
    await this.store.insert(tenantId, entry)
    return entry
  }

  async list(auth: AuthContext, query: AuditLogQuery): Promise<AuditLog> {
    const { limit, offset, ...filter } = query
    const page = await this.store.list(auth.tenantId, filter, { limit, offset })
    return { entries: page.entries, total_count: page.total, returned_count: page.entries.length, limit, offset }
  }
}
