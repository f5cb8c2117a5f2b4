import type { StorageStats } from '@interlog/schema'
import type { StoragePrices } from '../archive/archive-summary.js'
import type { ArchiveService } from '../archive/archive.service.js'
import type { AuthContext } from '../auth/auth-context.js'
import { ForbiddenError } from '../errors/errors.js'
import type { StorageStatsStore } from '../store/store.js'

const GIB = 2 ** 30
/** Readiness is reported for this many of the tenant's largest types. */
const READINESS_TYPES = 10
/** gzip on interaction JSONL, until the tenant's own archives show their ratio (docs/benchmarks.md: 6-10x). */
const ASSUMED_ARCHIVE_RATIO = 8

export type ReadinessOf = (auth: AuthContext, type: string | null) => Promise<{ score: number; ready: boolean }>

export interface StorageStatsDeps {
  store: StorageStatsStore
  archive: Pick<ArchiveService, 'overview'>
  readinessOf: ReadinessOf
  prices: StoragePrices
}

interface Sizes {
  records: number
  raw_bytes: number
  stored_bytes: number
}

const ratio = (sizes: Sizes) => (sizes.stored_bytes > 0 ? round(sizes.raw_bytes / sizes.stored_bytes, 100) : null)
const round = (value: number, scale: number) => Math.round(value * scale) / scale
const monthly = (bytes: number, gbMonthUsd: number) => round((bytes / GIB) * gbMonthUsd, 10_000)
const sum = <T>(rows: T[], pick: (row: T) => number) => rows.reduce((total, row) => total + pick(row), 0)

/** Both tiers of a tenant's storage: counts, sizes, what they cost a month, and what to do about it. */
export class StorageStatsService {
  constructor(private readonly deps: StorageStatsDeps) {}

  async report(auth: AuthContext): Promise<StorageStats> {
    if (auth.userId !== undefined) throw new ForbiddenError('A key bound to one user cannot read tenant-wide storage statistics')
    const { store, archive, prices } = this.deps
    const [active, [overview]] = await Promise.all([store.active(auth.tenantId), archive.overview([auth.tenantId])])
    const archived = overview!.archived.map((row) => ({ ...row, stored_bytes: row.compressed_bytes }))

    const hot: Sizes = { records: sum(active, (r) => r.records), raw_bytes: sum(active, (r) => r.raw_bytes), stored_bytes: sum(active, (r) => r.stored_bytes) }
    const cold: Sizes = { records: sum(archived, (r) => r.records), raw_bytes: sum(archived, (r) => r.raw_bytes), stored_bytes: sum(archived, (r) => r.stored_bytes) }
    const activeTier = { ...hot, compression_ratio: ratio(hot), gb_month_usd: prices.hotGbMonthUsd, estimated_monthly_cost_usd: monthly(hot.stored_bytes, prices.hotGbMonthUsd) }
    const archivedTier = {
      ...cold,
      batches: sum(archived, (r) => r.batches),
      compression_ratio: ratio(cold),
      gb_month_usd: prices.coldGbMonthUsd,
      estimated_monthly_cost_usd: monthly(cold.stored_bytes, prices.coldGbMonthUsd),
    }
    const all: Sizes = { records: hot.records + cold.records, raw_bytes: hot.raw_bytes + cold.raw_bytes, stored_bytes: hot.stored_bytes + cold.stored_bytes }

    const eligibleRaw = sum(overview!.eligible, (r) => r.bytes)
    const archiveRatio = ratio(cold) ?? ASSUMED_ARCHIVE_RATIO
    const eligible = {
      cutoff: overview!.cutoff,
      records: sum(overview!.eligible, (r) => r.records),
      raw_bytes: eligibleRaw,
      estimated_monthly_saving_usd: round(monthly(eligibleRaw, prices.hotGbMonthUsd) - monthly(eligibleRaw / archiveRatio, prices.coldGbMonthUsd), 10_000),
    }

    const byType = new Map<string | null, { type: string | null; records: number; active_records: number; archived_records: number; raw_bytes: number; stored_bytes: number }>()
    const typeEntry = (type: string | null) => {
      const entry = byType.get(type) ?? { type, records: 0, active_records: 0, archived_records: 0, raw_bytes: 0, stored_bytes: 0 }
      byType.set(type, entry)
      return entry
    }
    for (const row of active) addTo(typeEntry(row.type), row, 'active_records')
    for (const row of archived) addTo(typeEntry(row.type), row, 'archived_records')
    const byCategory = new Map<string | null, { category: string | null; records: number; active_records: number; raw_bytes: number; stored_bytes: number }>()
    for (const row of active) {
      const entry = byCategory.get(row.category) ?? { category: row.category, records: 0, active_records: 0, raw_bytes: 0, stored_bytes: 0 }
      byCategory.set(row.category, entry)
      addTo(entry, row, 'active_records')
    }
    const types = [...byType.values()].sort((a, b) => b.records - a.records)
    const readiness = await Promise.all(
      types.slice(0, READINESS_TYPES).map(async ({ type }) => ({ type, ...(await this.deps.readinessOf(auth, type)) })),
    )

    return {
      tenant_id: auth.tenantId,
      total: { ...all, compression_ratio: ratio(all), estimated_monthly_cost_usd: round(activeTier.estimated_monthly_cost_usd + archivedTier.estimated_monthly_cost_usd, 10_000) },
      active: activeTier,
      archived: archivedTier,
      eligible_for_archive: eligible,
      by_type: types,
      by_category: [...byCategory.values()].sort((a, b) => b.records - a.records),
      readiness,
      recommendations: recommend(all.records, eligible, readiness),
    }
  }
}

function addTo(entry: Sizes & { active_records: number; archived_records?: number }, row: Sizes, tier: 'active_records' | 'archived_records') {
  entry.records += row.records
  entry[tier] = (entry[tier] ?? 0) + row.records
  entry.raw_bytes += row.raw_bytes
  entry.stored_bytes += row.stored_bytes
}

function recommend(records: number, eligible: StorageStats['eligible_for_archive'], readiness: StorageStats['readiness']): string[] {
  if (records === 0) return ['Nothing is stored yet: send a first interaction (README, "Quick start").']
  const advice: string[] = []
  if (eligible.records > 0) {
    advice.push(
      `Archive the ${eligible.records.toLocaleString('en-US')} interactions older than ${eligible.cutoff.slice(0, 10)} (interlog archive, or POST /v1/archive): about $${eligible.estimated_monthly_saving_usd.toFixed(2)} a month less storage.`,
    )
  }
  for (const { type, score, ready } of readiness) {
    const name = type ?? '(no type)'
    if (ready) advice.push(`"${name}" is ready for fine-tuning (readiness ${score}/100): export it with GET /v1/export?type=${type ?? ''}&format=openai-chat.`)
    else advice.push(`"${name}" is not ready for fine-tuning yet (readiness ${score}/100): GET /v1/readiness?type=${type ?? ''} says what is missing.`)
  }
  return advice
}
