import { join } from 'node:path'
import {
  ArchiveBatchQuery,
  ArchiveRunRequest,
  type ArchiveBatch,
  type ArchiveRunSummary,
  type ArchiveTarget,
  type ArchiveTenantSummary,
} from '@interlog/schema'
import { DAY_MS } from '../analytics/rollup-deltas.js'
import type { AuditService } from '../audit/audit.service.js'
import type { AuthContext } from '../auth/auth-context.js'
import { AppError, ConflictError } from '../errors/errors.js'
import { parseOrThrow } from '../errors/zod-issues.js'
import type { Clock, IdGenerator } from '../runtime/clock.js'
import type { ArchiveStore, EligibleCount } from '../store/archive-store.js'
import type { InteractionFilter, TenantStore } from '../store/store.js'
import { cleanUp, removeObjects, toWireBatch } from './archive-batch.js'
import { archiveFilter } from './archive-filter.js'
import { pathSegment, startOfUtcDay } from './archive-keys.js'
import { readLines } from './archive-object.js'
import { parseLine, type ArchivedRecord } from './archive-record.js'
import { TenantArchiver, type ArchiverSettings, type ArchiveEvent } from './archive-run.js'
import type { ArchiveSinks } from './archive-sink.js'
import { runTotals, TypeSizes, type StoragePrices } from './archive-summary.js'
import { requireTenantWide, type RetentionService } from './retention.service.js'

export interface ArchiveServiceOptions {
  /** Each tenant's objects are staged in a directory of its own below this one. */
  stagingDir: string
  prices: StoragePrices
  settings: ArchiverSettings
  /** How long a restore or an erasure waits for a running archive of the tenant to finish. */
  lockWaitMs: number
}

export interface RunRequest {
  /** Who runs it, for the audit log: a caller, or a name (the schedule). */
  actor: AuthContext | string
  /** Default: every tenant. */
  tenantIds?: string[]
  /** Default: each tenant's archive_after_days. */
  olderThanDays?: number
  dryRun: boolean
  onEvent?: (event: ArchiveEvent) => void
  /** Stops between chunks; what is committed stays committed. */
  signal?: AbortSignal
}

export interface ArchivedStats {
  tenant_id: string
  type: string | null
  batches: number
  records: number
  raw_bytes: number
  compressed_bytes: number
}

export interface TenantOverview {
  tenant_id: string
  cutoff: string
  eligible: (Omit<EligibleCount, 'type'> & { type: string | null })[]
  archived: ArchivedStats[]
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const LOCK_POLL_MS = 250
/** The audit log's actor for scheduled runs. */
export const SCHEDULE_ACTOR = 'archive-schedule'

/** A tenant's archive lock, held until released. */
export interface TenantLease {
  release(): Promise<void>
}

/** The tenant's lock if it is free: withTenantLock around a callback that waits for release(). */
async function tryHold(store: ArchiveStore, tenantId: string): Promise<TenantLease | undefined> {
  let acquired!: () => void
  let release!: () => void
  const taken = new Promise<true>((resolve) => (acquired = () => resolve(true)))
  const released = new Promise<void>((resolve) => (release = resolve))
  const done = store.withTenantLock(tenantId, async () => {
    acquired()
    await released
  })
  // Answers undefined at once when another holds the lock; otherwise runs the callback until release.
  const held = await Promise.race([taken, done.then((result) => result !== undefined)])
  if (!held) return undefined
  return {
    async release() {
      release()
      await done
    },
  }
}

/**
 * Archive runs, batch metadata, reading archived interactions back, and the locks and clean-up every
 * operation on a tenant's archive shares. Restore and erasure live in ArchiveMaintenance.
 */
export class ArchiveService {
  constructor(
    readonly deps: {
      store: ArchiveStore
      tenants: TenantStore
      sinks: ArchiveSinks
      retention: RetentionService
      audit: AuditService
      clock: Clock
      ids: IdGenerator
      options: ArchiveServiceOptions
    },
  ) {}

  /** POST /v1/archive: the caller's tenant, now. */
  async runForTenant(auth: AuthContext, input: unknown): Promise<ArchiveRunSummary> {
    requireTenantWide(auth)
    const request = parseOrThrow(ArchiveRunRequest, input ?? {}, 'archive request')
    const summary = await this.run({ actor: auth, tenantIds: [auth.tenantId], olderThanDays: request.older_than_days, dryRun: request.dry_run })
    if (summary.locked_tenants.length > 0) throw new ConflictError('An archive run for this tenant is in progress; try again once it has finished')
    return summary
  }

  /**
   * A scheduled run over every tenant. Replicas on one PostgreSQL database each have a schedule, but
   * the schedule lock lets one of them run at a time; the others skip (answer undefined).
   */
  async runScheduled(signal: AbortSignal): Promise<ArchiveRunSummary | undefined> {
    const done = await this.deps.store.withLock('archive:schedule', () => this.run({ actor: SCHEDULE_ACTOR, dryRun: false, signal }))
    return done?.value
  }

  /** Archives each tenant under its lock; a tenant another run is busy with is skipped and named. */
  async run(request: RunRequest): Promise<ArchiveRunSummary> {
    const { tenants, store, clock, ids, options } = this.deps
    const runId = ids.next()
    const startedAt = clock.now().toISOString()
    const tenantIds = request.tenantIds ?? (await tenants.list()).map((tenant) => tenant.id)
    const summaries: ArchiveTenantSummary[] = []
    const locked: string[] = []
    const failed: ArchiveRunSummary['failed_tenants'] = []
    for (const tenantId of tenantIds) {
      if (request.signal?.aborted) break
      const work = () => this.archiveTenant(tenantId, runId, request)
      let done: { value: ArchiveTenantSummary } | undefined
      try {
        done = request.dryRun ? { value: await work() } : await store.withTenantLock(tenantId, work)
      } catch (error) {
        // One tenant's unreachable target must not hold back the others' archiving. A run for one
        // tenant (the API's, or --tenant) answers with the error itself.
        if (tenantIds.length === 1) throw error
        const { code, message } = error instanceof AppError ? error : { code: 'internal_error', message: error instanceof Error ? error.message : String(error) }
        failed.push({ tenant_id: tenantId, code, message })
        request.onEvent?.({ kind: 'failed', tenantId, message })
        continue
      }
      if (done) {
        summaries.push(done.value)
        await this.audited(request, done.value)
      } else {
        locked.push(tenantId)
        request.onEvent?.({ kind: 'locked', tenantId })
      }
    }
    return {
      run_id: runId,
      dry_run: request.dryRun,
      started_at: startedAt,
      finished_at: clock.now().toISOString(),
      tenants: summaries,
      locked_tenants: locked,
      failed_tenants: failed,
      totals: runTotals(summaries, options.prices),
    }
  }

  /** A run that moved or deleted data goes in the tenant's audit log. */
  private async audited(request: RunRequest, summary: ArchiveTenantSummary): Promise<void> {
    if (request.dryRun || (summary.records === 0 && summary.expired_batches === 0)) return
    const { tenant_id, cutoff, records, objects, bytes_before, bytes_after, skipped_records, expired_batches } = summary
    await this.deps.audit.record(tenant_id, {
      actor: request.actor,
      action: 'archive.run',
      target: { type: 'tenant', id: tenant_id },
      details: { cutoff, records, objects, bytes_before, bytes_after, skipped_records, expired_batches },
    })
  }

  private async archiveTenant(tenantId: string, runId: string, request: RunRequest): Promise<ArchiveTenantSummary> {
    const { store, sinks, clock, ids, options } = this.deps
    const retention = await this.deps.retention.effective(tenantId)
    const now = clock.now().getTime()
    const today = startOfUtcDay(now)
    const cutoff = today - (request.olderThanDays ?? retention.archive_after_days) * DAY_MS
    const holds = await store.activeHolds(tenantId, now)
    let expiredBatches = 0
    const deleteBefore = retention.delete_archived_after_days === null ? undefined : today - retention.delete_archived_after_days * DAY_MS
    if (request.dryRun) {
      if (deleteBefore !== undefined) expiredBatches = (await store.batches(tenantId, { statuses: ['archived'], endsBefore: deleteBefore, limit: 1 })).total
    } else {
      await cleanUp(store, sinks, tenantId, clock.now().toISOString())
      if (deleteBefore !== undefined) {
        const expired = await store.expire(tenantId, deleteBefore)
        await removeObjects(sinks, expired)
        await store.markDeleted(tenantId, expired.map((batch) => batch.id), clock.now().toISOString())
        expiredBatches = expired.length
      }
    }
    const eligible = await store.eligible(tenantId, cutoff, holds)
    const emit = request.onEvent ?? (() => {})
    const records = eligible.reduce((sum, e) => sum + e.records, 0)
    emit({ kind: 'tenant', tenantId, records, bytes: eligible.reduce((sum, e) => sum + e.bytes, 0) })
    const nothing = { skippedRecords: 0, expiredBatches }
    // Most scheduled visits find nothing: no staging, no change logging, no table lock.
    if (records === 0) return new TypeSizes().summary(tenantId, cutoff, nothing, options.prices)
    const archiver = new TenantArchiver(
      { store, sinks, clock, ids, settings: options.settings, emit, signal: request.signal },
      { tenantId, runId, cutoff, holds, dryRun: request.dryRun, sink: await sinks.get(retention.target), stagingDir: this.stagingDirOf(tenantId) },
    )
    await archiver.archive()
    return archiver.sizes.summary(tenantId, cutoff, { skippedRecords: archiver.skippedRecords, expiredBatches }, options.prices)
  }

  stagingDirOf(tenantId: string): string {
    return join(this.deps.options.stagingDir, pathSegment(tenantId))
  }

  /**
   * Runs `work` holding the tenant's lock (waiting up to lockWaitMs for a running archive), after
   * finishing whatever a crash left behind. Restore and erasure go through here.
   */
  async exclusive<T>(tenantId: string, work: () => Promise<T>): Promise<T> {
    const { store, sinks, clock } = this.deps
    const lease = await this.hold(tenantId)
    try {
      await cleanUp(store, sinks, tenantId, clock.now().toISOString())
      return await work()
    } finally {
      await lease.release()
    }
  }

  /**
   * Takes the tenant's archive lock until `release()`, waiting up to lockWaitMs for whoever holds it;
   * then a 409. While it is held no archive run, restore or erasure moves the tenant's interactions
   * between the tiers or removes an object (exports that read both tiers hold it).
   */
  async hold(tenantId: string): Promise<TenantLease> {
    const deadline = Date.now() + this.deps.options.lockWaitMs
    for (;;) {
      const lease = await tryHold(this.deps.store, tenantId)
      if (lease) return lease
      if (Date.now() >= deadline) throw new ConflictError('An archive run, restore, erasure or export of archived data for this tenant is in progress; try again once it has finished')
      await sleep(LOCK_POLL_MS)
    }
  }

  /** GET /v1/archive/batches: newest first. */
  async listBatches(auth: AuthContext, input: unknown) {
    requireTenantWide(auth)
    const query = parseOrThrow(ArchiveBatchQuery, input ?? {}, 'query parameters')
    const { batches, total } = await this.deps.store.batches(auth.tenantId, {
      statuses: query.status ? [query.status] : undefined,
      type: query.type,
      overlapping: { from: query.from === undefined ? undefined : Date.parse(query.from), to: query.to === undefined ? undefined : Date.parse(query.to) },
      order: 'newest',
      limit: query.limit,
      offset: query.offset,
    })
    const wire: ArchiveBatch[] = batches.map(toWireBatch)
    return { batches: wire, total_count: total, returned_count: wire.length, limit: query.limit, offset: query.offset }
  }

  /**
   * Archived interactions of a tenant matching the list filters (all but `q`), with their feedback
   * history, streamed object by object: memory stays flat. Objects come oldest first, or with
   * `newestFirst` newest first (exports); inside an object, oldest first either way.
   */
  async *readArchived(tenantId: string, filter: InteractionFilter, options: { newestFirst?: boolean } = {}): AsyncGenerator<ArchivedRecord> {
    const matches = archiveFilter(filter)
    const batches = await this.archivedBatches(tenantId, filter, options.newestFirst ? 'latest' : 'time')
    for (const batch of batches) {
      const sink = await this.deps.sinks.get(batch.target as ArchiveTarget)
      for await (const line of readLines(sink, batch.object_key)) {
        const record = parseLine(line)
        if (matches(record.interaction)) yield record
      }
    }
  }

  /** At most how many archived interactions match: the records of the objects whose type and time range fit (for progress bars). */
  async archivedAtMost(tenantId: string, filter: InteractionFilter): Promise<number> {
    return (await this.archivedBatches(tenantId, filter, 'time')).reduce((sum, batch) => sum + batch.record_count, 0)
  }

  private async archivedBatches(tenantId: string, filter: InteractionFilter, order: 'time' | 'latest') {
    const from = filter.from === undefined ? undefined : Date.parse(filter.from)
    const to = filter.to === undefined ? undefined : Date.parse(filter.to)
    return (await this.deps.store.batches(tenantId, { statuses: ['archived'], type: filter.type, overlapping: { from, to }, order })).batches
  }

  /** Archived batches, records and bytes per tenant and type, for storage statistics over both tiers. */
  async archivedStats(tenantId?: string): Promise<ArchivedStats[]> {
    const rows = await this.deps.store.stats(tenantId)
    return rows.map((row) => ({ ...row, type: row.type === '' ? null : row.type }))
  }

  /** What each tenant has archived, and what is eligible now (`interlog archive --stats-only`). */
  async overview(tenantIds?: string[], olderThanDays?: number): Promise<TenantOverview[]> {
    const { store, tenants, clock } = this.deps
    const ids = tenantIds ?? (await tenants.list()).map((tenant) => tenant.id)
    const now = clock.now().getTime()
    return Promise.all(
      ids.map(async (tenantId) => {
        const retention = await this.deps.retention.effective(tenantId)
        const cutoff = startOfUtcDay(now) - (olderThanDays ?? retention.archive_after_days) * DAY_MS
        const eligible = await store.eligible(tenantId, cutoff, await store.activeHolds(tenantId, now))
        return {
          tenant_id: tenantId,
          cutoff: new Date(cutoff).toISOString(),
          eligible: eligible.map((row) => ({ ...row, type: row.type === '' ? null : row.type })),
          archived: await this.archivedStats(tenantId),
        }
      }),
    )
  }
}
