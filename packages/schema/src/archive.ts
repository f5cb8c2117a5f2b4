import { z } from 'zod'
import { Identifier, IsoDateTime } from './common.js'

/** Where archived objects go: the server's filesystem or the S3-compatible store it is configured with. */
export const ARCHIVE_TARGETS = ['filesystem', 's3'] as const
export const ArchiveTarget = z.enum(ARCHIVE_TARGETS)
export type ArchiveTarget = z.infer<typeof ArchiveTarget>

const days = z.number().int().min(1).max(36_500)

export const RetentionSettings = z
  .object({
    archive_after_days: z.number().int().meta({ description: 'interactions older than this many days move to the archive' }),
    delete_archived_after_days: z.number().int().nullable().meta({ description: 'archived interactions older than this many days are deleted; null: never' }),
    target: ArchiveTarget,
    updated_at: z.string().nullable().meta({ description: 'null while the defaults apply' }),
  })
  .meta({ id: 'RetentionSettings' })
export type RetentionSettings = z.infer<typeof RetentionSettings>

export const RetentionSettingsUpdate = z
  .strictObject({
    archive_after_days: days.optional(),
    delete_archived_after_days: days.nullable().optional(),
    target: ArchiveTarget.optional(),
  })
  .meta({ id: 'RetentionSettingsUpdate', description: 'fields left out keep their current value' })
export type RetentionSettingsUpdate = z.infer<typeof RetentionSettingsUpdate>

export const ArchiveRunRequest = z
  .strictObject({
    older_than_days: z.number().int().min(0).max(36_500).optional().meta({
      description: "archive interactions from before the start of the UTC day this many days ago; default: the tenant's archive_after_days",
    }),
    dry_run: z.boolean().default(false).meta({ description: 'read and compress what would be archived, write and delete nothing' }),
  })
  .meta({ id: 'ArchiveRunRequest' })
export type ArchiveRunRequest = z.infer<typeof ArchiveRunRequest>

const sizes = {
  records: z.number().int(),
  objects: z.number().int(),
  bytes_before: z.number().int().meta({ description: 'uncompressed JSON lines' }),
  bytes_after: z.number().int().meta({ description: 'gzip-compressed objects' }),
  compression_ratio: z.number().nullable(),
  estimated_monthly_saving_usd: z.number().meta({ description: 'hot storage no longer paid for, less the archive storage now paid for' }),
}

export const ArchiveTypeSummary = z.object({ type: z.string().nullable(), ...sizes })
export type ArchiveTypeSummary = z.infer<typeof ArchiveTypeSummary>

export const ArchiveTenantSummary = z.object({
  tenant_id: z.string(),
  cutoff: z.string().meta({ description: 'interactions before this instant were archived' }),
  ...sizes,
  skipped_records: z.number().int().meta({ description: 'changed while being archived; left hot for the next run' }),
  expired_batches: z.number().int().meta({ description: 'archived batches deleted by delete_archived_after_days' }),
  by_type: z.array(ArchiveTypeSummary),
})
export type ArchiveTenantSummary = z.infer<typeof ArchiveTenantSummary>

export const ArchiveRunSummary = z
  .object({
    run_id: z.string(),
    dry_run: z.boolean(),
    started_at: z.string(),
    finished_at: z.string(),
    tenants: z.array(ArchiveTenantSummary),
    locked_tenants: z.array(z.string()).meta({ description: 'tenants another archive run was busy with; left for the next run' }),
    failed_tenants: z
      .array(z.object({ tenant_id: z.string(), code: z.string(), message: z.string() }))
      .meta({ description: "tenants of a run over several whose archiving failed (an unreachable target, say); the others' went on, and the next run tries again" }),
    totals: z.object(sizes),
  })
  .meta({ id: 'ArchiveRunSummary' })
export type ArchiveRunSummary = z.infer<typeof ArchiveRunSummary>

export const ARCHIVE_BATCH_STATUSES = ['writing', 'archived', 'superseded', 'expired'] as const
export const ArchiveBatchStatus = z.enum(ARCHIVE_BATCH_STATUSES)
export type ArchiveBatchStatus = z.infer<typeof ArchiveBatchStatus>

export const ArchiveBatch = z
  .object({
    id: z.string(),
    object_key: z.string(),
    manifest_key: z.string(),
    target: ArchiveTarget,
    type: z.string().nullable(),
    day: z.string().meta({ description: 'UTC day of the interactions, YYYY-MM-DD' }),
    part: z.number().int(),
    from: z.string().meta({ description: 'earliest interaction timestamp in the object' }),
    to: z.string().meta({ description: 'latest interaction timestamp in the object' }),
    record_count: z.number().int(),
    raw_bytes: z.number().int(),
    compressed_bytes: z.number().int(),
    compression_ratio: z.number().nullable(),
    sha256: z.string(),
    storage_class: z.string(),
    status: ArchiveBatchStatus,
    created_at: z.string(),
    archived_at: z.string().nullable(),
  })
  .meta({ id: 'ArchiveBatch' })
export type ArchiveBatch = z.infer<typeof ArchiveBatch>

export const ArchiveBatchQuery = z.strictObject({
  status: ArchiveBatchStatus.optional(),
  type: Identifier.optional(),
  from: IsoDateTime.optional().meta({ description: 'batches holding interactions at or after this instant' }),
  to: IsoDateTime.optional().meta({ description: 'batches holding interactions before this instant' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
})
export type ArchiveBatchQuery = z.infer<typeof ArchiveBatchQuery>

export const ArchiveBatchList = z
  .object({
    batches: z.array(ArchiveBatch),
    total_count: z.number().int(),
    returned_count: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  })
  .meta({ id: 'ArchiveBatchList' })

/** A day (YYYY-MM-DD, midnight UTC) or an ISO 8601 instant. */
export const DateOrDateTime = z.union([z.iso.date(), IsoDateTime]).meta({ description: 'YYYY-MM-DD (midnight UTC) or an ISO 8601 date-time' })

export const RestoreRequest = z
  .strictObject({
    from: DateOrDateTime.meta({ description: 'inclusive' }),
    to: DateOrDateTime.meta({ description: 'exclusive' }),
  })
  .meta({ id: 'ArchiveRestoreRequest' })
export type RestoreRequest = z.infer<typeof RestoreRequest>

export const RestoreResult = z
  .object({
    restored: z.number().int().meta({ description: 'interactions brought back into the hot store' }),
    already_present: z.number().int().meta({ description: 'archived interactions whose id was already in the hot store (kept as they were there)' }),
    batches_rewritten: z.number().int().meta({ description: 'objects rewritten without the restored interactions' }),
    batches_emptied: z.number().int().meta({ description: 'objects removed because every interaction in them was restored' }),
    held_until: z.string().nullable().meta({ description: 'archive runs leave the restored range hot until then; null when nothing was restored (no hold was made)' }),
  })
  .meta({ id: 'ArchiveRestoreResult' })
export type RestoreResult = z.infer<typeof RestoreResult>
