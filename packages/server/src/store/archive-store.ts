import type { ArchiveBatchStatus, Feedback, Validation } from '@interlog/schema'
import type { MetricSource } from '../analytics/rollup-deltas.js'
import type { ArchiveBatchesTable } from './kysely/database.js'
import type { InteractionRow } from './store.js'

export interface RetentionRecord {
  archive_after_days: number
  delete_archived_after_days: number | null
  /** null: the server's default target. */
  target: string | null
  updated_at: string
}

/** [from, to) in epoch milliseconds. */
export interface TimeRange {
  from: number
  to: number
}

/** The objects of one type ('' for none) and UTC day (YYYY-MM-DD) are numbered parts. */
export interface PartKey {
  type: string
  day: string
}

export const partKeyText = (key: PartKey) => `${key.type}\u0000${key.day}`

export interface RowKey {
  ts: number
  id: string
}

/** The latest validation's outcome, kept on the row beside its JSON; null where never validated. */
export interface LatestValidation {
  validation_passed: boolean | null
  validation_score: number | null
  validation_user_edited: boolean | null
}

/**
 * A hot interaction as the archive reads it: its stored JSON, the columns beside it, and its feedback
 * and validation histories.
 */
export interface ArchivableRow extends LatestValidation {
  id: string
  ts: number
  type: string | null
  user_id: string | null
  feedback_kind: string | null
  feedback_quality_score: number | null
  /** The stored JSON of the interaction (without tenant, size and feedback, which are columns). */
  data: string
  size_bytes: number
  /** Oldest first; empty for most rows. */
  feedback: Feedback[]
  /** Oldest first; empty for most rows. */
  validations: Validation[]
}

export type ArchiveBatchRecord = Omit<ArchiveBatchesTable, 'status'> & { status: ArchiveBatchStatus }

export interface BatchQuery {
  statuses?: ArchiveBatchStatus[]
  type?: string
  /** Batches holding interactions in [from, to). */
  overlapping?: Partial<TimeRange>
  /** Batches whose interactions all precede this instant. */
  endsBefore?: number
  /** Batches whose objects are not deleted yet. */
  undeleted?: boolean
  /** Oldest interactions first (readers), newest interactions first (exports), or newest batches first (listing). */
  order?: 'time' | 'latest' | 'newest'
  limit?: number
  offset?: number
}

export interface EligibleCount {
  /** '' for interactions without a type. */
  type: string
  records: number
  bytes: number
}

export interface ArchiveCommit {
  batchIds: string[]
  /** The interactions the objects hold; they leave the hot store. */
  ids: string[]
  /** Every interaction archived so far is before this instant (the end of the chunk's day, or the cutoff). */
  archivedBefore: number
  at: string
}

/** An archived interaction going back to the hot store, with its latest feedback and validation and their histories. */
export interface RestoredInteraction extends LatestValidation {
  row: InteractionRow
  feedback_kind: string | null
  feedback_quality_score: number | null
  feedback: Feedback[]
  validations: Validation[]
}

/** Interactions leaving an archived object: erased, or restored to the hot store. */
export interface ArchiveRewrite {
  oldBatchId: string
  /** The object written without them, already verified ('writing' until this commits); none when nothing is left. */
  replacementBatchId?: string
  /** Erased interactions leave history: they are taken out of the metric rollups (restored ones stay in). */
  erased: MetricSource[]
  restore?: RestoredInteraction[]
  hold?: { id: string } & TimeRange & { until: number }
  at: string
}

export interface ArchiveStatsRecord {
  tenant_id: string
  type: string
  batches: number
  records: number
  raw_bytes: number
  compressed_bytes: number
}

/**
 * What archiving needs from the database. Every change that moves interactions between the tiers
 * (archive, restore, erasure) happens in one transaction together with the rollups, the search index
 * and the batch metadata, so a crash at any point leaves either the before or the after.
 */
export interface ArchiveStore {
  getRetention(tenantId: string): Promise<RetentionRecord | undefined>
  putRetention(tenantId: string, settings: RetentionRecord): Promise<void>
  /**
   * Runs `work` holding the named lock, which every process on the database shares; answers undefined
   * without running it when another holds the lock.
   */
  withLock<T>(name: string, work: () => Promise<T>): Promise<{ value: T } | undefined>
  /** withLock on the tenant's archive lock: one archive, restore or erasure per tenant at a time. */
  withTenantLock<T>(tenantId: string, work: () => Promise<T>): Promise<{ value: T } | undefined>
  /** Hot interactions with ts before `before`, outside the held ranges, per type. */
  eligible(tenantId: string, before: number, holds: TimeRange[]): Promise<EligibleCount[]>
  /** Hot interactions with ts in the range and after the key, outside the held ranges, in (ts, id) order. */
  readRows(tenantId: string, range: TimeRange, after: RowKey | undefined, limit: number, holds: TimeRange[]): Promise<ArchivableRow[]>
  /** The highest part number used for each type and day of the tenant (0 when none), in the order asked. */
  lastParts(tenantId: string, keys: PartKey[]): Promise<number[]>
  insertBatches(tenantId: string, batches: ArchiveBatchRecord[]): Promise<void>
  /**
   * Starts (or stops) logging every change of the tenant's interactions in the database, and forgets
   * what was logged. Starting returns once no write that began before it can still be in flight.
   */
  watchChanges(tenantId: string, on: boolean): Promise<void>
  /**
   * Called as a run starts deleting interactions (on) and once it is done (off), whatever happened in
   * between: index upkeep that deletes would cause chunk after chunk is done once, at the end.
   */
  deferSearchUpkeep(on: boolean): Promise<void>
  /**
   * In one transaction: deletes the interactions with their tags, feedback and search entries, marks
   * the batches archived and moves the tenant's archived-before mark; the metric rollups keep counting
   * them. Answers false, with nothing written, when one of them changed since watching started (or is
   * gone): the objects hold a stale copy.
   */
  commitArchive(tenantId: string, commit: ArchiveCommit): Promise<boolean>
  /**
   * In one transaction: takes erased interactions out of the metric rollups, restores those to restore
   * (ids not already hot go into the hot store, its search index and feedback; the rollups count them
   * already, and an archived copy of an id that is hot again leaves them), marks the replacement
   * archived and the old batch superseded, and records the hold.
   */
  rewriteBatch(tenantId: string, rewrite: ArchiveRewrite): Promise<{ restored: number; alreadyPresent: number }>
  batches(tenantId: string, query: BatchQuery): Promise<{ batches: ArchiveBatchRecord[]; total: number }>
  /** Marks archived batches whose interactions all precede `before` as expired; answers them. */
  expire(tenantId: string, before: number): Promise<ArchiveBatchRecord[]>
  markDeleted(tenantId: string, ids: string[], at: string): Promise<void>
  deleteBatches(tenantId: string, ids: string[]): Promise<void>
  activeHolds(tenantId: string, now: number): Promise<TimeRange[]>
  /** Archived batches, records and bytes per tenant and type (one tenant, or all). */
  stats(tenantId: string | undefined): Promise<ArchiveStatsRecord[]>
}
