import { z } from 'zod'

const Ratio = z.number().nullable().meta({ description: 'raw bytes / stored bytes; null when nothing is stored' })

export const StorageTier = z
  .object({
    records: z.number().int(),
    raw_bytes: z.number().meta({ description: 'the interactions as JSON, uncompressed' }),
    stored_bytes: z.number().meta({ description: 'what they take: the database row payloads (hot) or the gzip objects (archived)' }),
    compression_ratio: Ratio,
    gb_month_usd: z.number().meta({ description: 'the configured storage price of this tier, USD per GiB-month' }),
    estimated_monthly_cost_usd: z.number(),
  })
  .meta({ id: 'StorageTier' })

const Breakdown = z.object({
  records: z.number().int(),
  active_records: z.number().int(),
  archived_records: z.number().int(),
  raw_bytes: z.number(),
  stored_bytes: z.number(),
})

export const StorageStats = z
  .object({
    tenant_id: z.string(),
    total: StorageTier.omit({ gb_month_usd: true }),
    active: StorageTier,
    archived: StorageTier.extend({ batches: z.number().int() }),
    eligible_for_archive: z.object({
      cutoff: z.string(),
      records: z.number().int(),
      raw_bytes: z.number(),
      estimated_monthly_saving_usd: z.number().meta({ description: 'if archived at the archive compression measured so far (or 8x before any)' }),
    }),
    by_type: z.array(Breakdown.extend({ type: z.string().nullable() })),
    by_category: z.array(Breakdown.extend({ category: z.string().nullable() }).omit({ archived_records: true }).meta({ description: 'hot rows only: archives are grouped by type' })),
    readiness: z.array(z.object({ type: z.string().nullable(), score: z.number(), ready: z.boolean() })),
    recommendations: z.array(z.string()),
  })
  .meta({ id: 'StorageStats' })
export type StorageStats = z.infer<typeof StorageStats>
