import type { ArchiveTenantSummary, ArchiveTypeSummary } from '@interlog/schema'

/** Storage prices behind the estimated saving, in USD per GiB-month. */
export interface StoragePrices {
  hotGbMonthUsd: number
  coldGbMonthUsd: number
}

const GIB = 2 ** 30

export interface SizeCounts {
  records: number
  objects: number
  bytesBefore: number
  bytesAfter: number
}

export const noSizes = (): SizeCounts => ({ records: 0, objects: 0, bytesBefore: 0, bytesAfter: 0 })

export function addSizes(into: SizeCounts, more: SizeCounts): SizeCounts {
  into.records += more.records
  into.objects += more.objects
  into.bytesBefore += more.bytesBefore
  into.bytesAfter += more.bytesAfter
  return into
}

/** Sizes as the summaries show them: with the compression ratio and the monthly saving they bring. */
export function describeSizes(sizes: SizeCounts, prices: StoragePrices) {
  const saving = (sizes.bytesBefore / GIB) * prices.hotGbMonthUsd - (sizes.bytesAfter / GIB) * prices.coldGbMonthUsd
  return {
    records: sizes.records,
    objects: sizes.objects,
    bytes_before: sizes.bytesBefore,
    bytes_after: sizes.bytesAfter,
    compression_ratio: sizes.bytesAfter > 0 ? Math.round((sizes.bytesBefore / sizes.bytesAfter) * 100) / 100 : null,
    estimated_monthly_saving_usd: Math.round(saving * 10_000) / 10_000,
  }
}

/** Sizes per interaction type ('' for none) for one tenant's run. */
export class TypeSizes {
  private readonly byType = new Map<string, SizeCounts>()

  add(type: string, sizes: SizeCounts): void {
    addSizes(this.byType.get(type) ?? this.byType.set(type, noSizes()).get(type)!, sizes)
  }

  summary(
    tenantId: string,
    cutoff: number,
    extra: { skippedRecords: number; expiredBatches: number },
    prices: StoragePrices,
  ): ArchiveTenantSummary {
    const types = [...this.byType.entries()].sort(([a], [b]) => a.localeCompare(b))
    const byType: ArchiveTypeSummary[] = types.map(([type, sizes]) => ({ type: type === '' ? null : type, ...describeSizes(sizes, prices) }))
    const total = types.reduce((sum, [, sizes]) => addSizes(sum, sizes), noSizes())
    return {
      tenant_id: tenantId,
      cutoff: new Date(cutoff).toISOString(),
      ...describeSizes(total, prices),
      skipped_records: extra.skippedRecords,
      expired_batches: extra.expiredBatches,
      by_type: byType,
    }
  }
}

/** The run's totals over every tenant's summary. */
export function runTotals(tenants: ArchiveTenantSummary[], prices: StoragePrices) {
  const total = tenants.reduce(
    (sum, tenant) => addSizes(sum, { records: tenant.records, objects: tenant.objects, bytesBefore: tenant.bytes_before, bytesAfter: tenant.bytes_after }),
    noSizes(),
  )
  return describeSizes(total, prices)
}
