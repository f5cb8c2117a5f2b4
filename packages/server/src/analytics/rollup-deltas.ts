import { addFeedback, addRow, COUNT_MAPS, emptyAggregate, mergeInto, type Aggregate, type MetricRow } from './metric-aggregate.js'

export const HOUR_MS = 3_600_000
export const DAY_MS = 86_400_000
export type Period = 'h' | 'd'
export const PERIOD_MS: Record<Period, number> = { h: HOUR_MS, d: DAY_MS }

/** Rollups are keyed by these dimensions ('' stands for "not set"); other filters scan raw rows. */
export const ROLLUP_DIMENSIONS = ['type', 'model', 'provider', 'status'] as const
export type RollupDimension = (typeof ROLLUP_DIMENSIONS)[number]
export type RollupDims = Record<RollupDimension, string>

export interface RollupDelta extends RollupDims {
  period: Period
  start: number
  aggregate: Aggregate
}

export interface TenantDeltas {
  tenantId: string
  deltas: RollupDelta[]
}

/** One interaction as rollups see it. */
export interface MetricSource {
  ts: number
  dims: RollupDims
  row: MetricRow
}

const deltaKey = (delta: RollupDelta) => [delta.period, delta.start, ...ROLLUP_DIMENSIONS.map((d) => delta[d])].join('\u0000')

/**
 * One delta per (tenant, rollup row), in key order. A group commit carries many requests of one
 * tenant, whose deltas often hit the same rollup row; an upsert may touch each row only once.
 */
export function foldDeltas(groups: TenantDeltas[]): TenantDeltas[] {
  const byTenant = new Map<string, Map<string, RollupDelta>>()
  for (const { tenantId, deltas } of groups) {
    let folded = byTenant.get(tenantId)
    if (!folded) byTenant.set(tenantId, (folded = new Map()))
    for (const delta of deltas) {
      const key = deltaKey(delta)
      const existing = folded.get(key)
      if (existing) mergeInto(existing.aggregate, delta.aggregate)
      else folded.set(key, { ...delta, aggregate: { ...delta.aggregate, ...copyMaps(delta.aggregate) } })
    }
  }
  return [...byTenant.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([tenantId, folded]) => ({
      tenantId,
      deltas: [...folded.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, delta]) => delta),
    }))
}

/** Deltas are folded in place; copying the count maps keeps the caller's deltas untouched. */
const copyMaps = (aggregate: Aggregate) => Object.fromEntries(COUNT_MAPS.map((map) => [map, { ...aggregate[map] }]))

export const periodStart = (ts: number, period: Period) => Math.floor(ts / PERIOD_MS[period]) * PERIOD_MS[period]

/**
 * What inserted (sign 1) or removed (sign -1) interactions change in the hourly and daily rollups:
 * one delta per rollup row (an update's before and after fold into one when they share a row), in
 * key order so concurrent writers lock rows in the same order.
 */
export function rollupDeltas(changes: Iterable<readonly [MetricSource, 1 | -1]>): RollupDelta[] {
  const deltas = new Map<string, RollupDelta>()
  for (const [source, sign] of changes) {
    for (const period of ['h', 'd'] as const) {
      const start = periodStart(source.ts, period)
      const key = [period, start, ...ROLLUP_DIMENSIONS.map((d) => source.dims[d])].join('\u0000')
      let delta = deltas.get(key)
      if (!delta) deltas.set(key, (delta = { period, start, ...source.dims, aggregate: emptyAggregate() }))
      addRow(delta.aggregate, source.row, sign)
    }
  }
  return [...deltas.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, delta]) => delta)
}

export interface LatestFeedback {
  kind: string | null
  quality: number | null
}

/** What replacing an interaction's latest feedback changes in its hourly and daily rollup rows. */
export function feedbackDeltas(ts: number, dims: RollupDims, before: LatestFeedback, after: LatestFeedback): RollupDelta[] {
  return (['h', 'd'] as const).map((period) => {
    const aggregate = emptyAggregate()
    addFeedback(aggregate, before.kind, before.quality, -1)
    addFeedback(aggregate, after.kind, after.quality, 1)
    return { period, start: periodStart(ts, period), ...dims, aggregate }
  })
}
