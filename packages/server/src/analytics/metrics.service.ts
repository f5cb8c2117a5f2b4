import type { MetricsQuery } from '@interlog/schema'
import type { AuthContext } from '../auth/auth-context.js'
import { ForbiddenError, ValidationError } from '../errors/errors.js'
import type { Clock } from '../runtime/clock.js'
import type { InteractionFilter, MetricsStore, RowCounter, ScanGroupColumn } from '../store/store.js'
import { addRow, emptyAggregate, mergeInto, type Aggregate } from './metric-aggregate.js'
import { latencyPercentiles, metricTotals } from './metric-totals.js'
import { INTERVAL_MS, planRanges, type Interval } from './metrics.plan.js'
import { DAY_MS, ROLLUP_DIMENSIONS, type RollupDimension } from './rollup-deltas.js'

const DEFAULT_RANGE_MS = 30 * DAY_MS
/** The earliest and latest instants a JavaScript date can hold: "no bound". */
const MIN_TS = -8.64e15
const MAX_TS = 8.64e15
const MAX_SERIES_BUCKETS = 2000
/** Filters rollups can answer; any other filter means scanning raw rows. */
const ROLLUP_FILTERS = new Set<string>([...ROLLUP_DIMENSIONS, 'from', 'to'])

/**
 * Rows and rollups are merged once, into cells of (series bucket, group); totals, the series and the
 * groups are then merged from the few cells rather than from every row.
 */
class Accumulator {
  private readonly cells = new Map<string, { bucket: number; group: string | null; aggregate: Aggregate }>()

  cell(bucket: number, group: string | null): Aggregate {
    const key = `${bucket}\u0000${group}`
    let cell = this.cells.get(key)
    if (!cell) this.cells.set(key, (cell = { bucket, group, aggregate: emptyAggregate() }))
    return cell.aggregate
  }

  rollUp() {
    const totals = emptyAggregate()
    const series = new Map<number, Aggregate>()
    const groups = new Map<string | null, Aggregate>()
    for (const { bucket, group, aggregate } of this.cells.values()) {
      mergeInto(totals, aggregate)
      mergeInto(slot(series, bucket), aggregate)
      mergeInto(slot(groups, group), aggregate)
    }
    return { totals, series, groups }
  }
}

const rollupsCanAnswer = (filter: InteractionFilter) =>
  Object.entries(filter).every(([key, value]) => value === undefined || ROLLUP_FILTERS.has(key))

function slot<K>(map: Map<K, Aggregate>, key: K): Aggregate {
  let aggregate = map.get(key)
  if (!aggregate) map.set(key, (aggregate = emptyAggregate()))
  return aggregate
}

/**
 * GET /v1/metrics: totals, a filled time series and per-group totals for a time range. Reads hourly
 * and daily rollups for whole hours and days and scans raw rows only for the partial hours at the
 * edges — or for the whole range when a filter or grouping is not a rollup dimension.
 */
export class MetricsService {
  constructor(
    private readonly store: MetricsStore,
    private readonly clock: Clock,
  ) {}

  async report(auth: AuthContext, query: MetricsQuery, options: { forceScan?: boolean } = {}) {
    const { accumulator, from, to, interval, step, firstBucket, groupBy, usesRollups } = await this.accumulate(auth, query, options)
    const series = []
    for (let start = firstBucket; start < to; start += step) {
      const aggregate = accumulator.series.get(start) ?? emptyAggregate()
      series.push({
        start: new Date(start).toISOString(),
        count: aggregate.n,
        failure_count: aggregate.failure_n,
        latency_p95_ms: latencyPercentiles(aggregate).p95,
        cost_usd: Math.round(aggregate.cost_sum * 1e9) / 1e9,
        total_tokens: aggregate.total_tokens,
      })
    }
    const groups = [...accumulator.groups.entries()]
      .map(([value, aggregate]) => ({ value, ...metricTotals(aggregate) }))
      .sort((a, b) => b.count - a.count || String(a.value).localeCompare(String(b.value)))
    return {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      interval,
      group_by: groupBy ?? null,
      source: usesRollups ? ('rollups' as const) : ('scan' as const),
      totals: metricTotals(accumulator.totals),
      series,
      groups: groupBy === undefined ? [] : groups,
    }
  }

  /** The merged state of every matching interaction, for views that need more than the top lists. */
  async aggregate(auth: AuthContext, query: MetricsQuery): Promise<Aggregate> {
    return (await this.accumulate(auth, query, {})).accumulator.totals
  }

  private async accumulate(auth: AuthContext, query: MetricsQuery, options: { forceScan?: boolean }) {
    const { interval: requestedInterval, group_by: groupBy, ...filters } = query
    const filter: InteractionFilter = { ...filters, user_id: this.visibleUser(auth, filters.user_id) }
    const to = filter.to ? Date.parse(filter.to) : this.clock.now().getTime()
    const from = filter.from ? Date.parse(filter.from) : to - DEFAULT_RANGE_MS
    if (from >= to) throw new ValidationError('`from` must be before `to`', [{ path: 'from', message: 'must be before to' }])
    const interval: Interval = requestedInterval ?? (to - from > 2 * DAY_MS ? 'day' : 'hour')
    const step = INTERVAL_MS[interval]
    const firstBucket = Math.floor(from / step) * step
    if ((to - firstBucket) / step > MAX_SERIES_BUCKETS) {
      throw new ValidationError(`The range holds more than ${MAX_SERIES_BUCKETS} ${interval} buckets; use interval=day or a shorter range`, [
        { path: 'interval', message: 'too many buckets for this range' },
      ])
    }

    const usesRollups =
      !options.forceScan && rollupsCanAnswer(filter) && (groupBy === undefined || (ROLLUP_DIMENSIONS as readonly string[]).includes(groupBy))
    const cells = new Accumulator()
    const pieces = usesRollups ? planRanges(from, to, interval) : [{ source: 'scan' as const, from, to }]
    await Promise.all(pieces.map((piece) => this.collect(auth.tenantId, filter, piece, groupBy, step, cells)))
    return { accumulator: cells.rollUp(), from, to, interval, step, firstBucket, groupBy, usesRollups }
  }

  /**
   * How many hot interactions match, read from rollups (plus the partial hours at the edges) when every
   * filter is a rollup dimension or the time range; undefined when only counting rows can answer.
   */
  countFromRollups(tenantId: string, filter: InteractionFilter): Promise<number> | undefined {
    return this.sumsFromRollups(tenantId, filter, ['n'])?.then((sums) => sums.n)
  }

  /** Counters summed the same way: rollups where they answer, rows at the edges; undefined when only rows can answer. */
  sumsFromRollups<C extends RowCounter>(tenantId: string, filter: InteractionFilter, counters: readonly C[]): Promise<Record<C, number>> | undefined {
    if (!rollupsCanAnswer(filter)) return undefined
    return this.sumHot(tenantId, filter, counters)
  }

  private async sumHot<C extends RowCounter>(tenantId: string, filter: InteractionFilter, counters: readonly C[]): Promise<Record<C, number>> {
    const from = filter.from ? Date.parse(filter.from) : MIN_TS
    const to = filter.to ? Date.parse(filter.to) : MAX_TS
    // Rollups count archived interactions too: before the archive's mark, only the rows say what is hot.
    const archivedBefore = await this.store.archivedBefore(tenantId)
    const split = archivedBefore === undefined ? from : Math.min(Math.max(from, archivedBefore), to)
    const dims = Object.fromEntries(ROLLUP_DIMENSIONS.filter((d) => filter[d] !== undefined).map((d) => [d, filter[d]]))
    const pieces = [...(split > from ? [{ source: 'scan' as const, from, to: split }] : []), ...planRanges(split, to, 'day')]
    const sums = await Promise.all(
      pieces.map((piece) =>
        piece.source === 'scan'
          ? this.store.rowSums(tenantId, filter, counters, piece)
          : this.store.rollupSums(tenantId, piece.source, piece.from, piece.to, dims, counters),
      ),
    )
    return Object.fromEntries(counters.map((counter) => [counter, sums.reduce((total, part) => total + part[counter], 0)])) as Record<C, number>
  }

  /** Counters over every interaction matching the filter: from rollups when they can answer, else from the rows. */
  sums<C extends RowCounter>(tenantId: string, filter: InteractionFilter, counters: readonly C[]): Promise<Record<C, number>> {
    return this.sumsFromRollups(tenantId, filter, counters) ?? this.store.rowSums(tenantId, filter, counters)
  }

  private async collect(
    tenantId: string,
    filter: InteractionFilter,
    piece: { source: 'scan' | 'h' | 'd'; from: number; to: number },
    groupBy: MetricsQuery['group_by'],
    step: number,
    into: Accumulator,
  ): Promise<void> {
    const bucketOf = (ts: number) => Math.floor(ts / step) * step
    if (piece.source === 'scan') {
      const rows = await this.store.scan(tenantId, filter, piece.from, piece.to, groupBy as ScanGroupColumn | undefined)
      for (const row of rows) addRow(into.cell(bucketOf(row.ts), row.group), row.row)
      return
    }
    const dims = Object.fromEntries(ROLLUP_DIMENSIONS.filter((d) => filter[d] !== undefined).map((d) => [d, filter[d]]))
    const rollups = await this.store.rollups(tenantId, piece.source, piece.from, piece.to, dims)
    for (const rollup of rollups) {
      const group = groupBy === undefined ? null : rollup[groupBy as RollupDimension] || null
      mergeInto(into.cell(bucketOf(rollup.start), group), rollup.aggregate)
    }
  }

  private visibleUser(auth: AuthContext, requested: string | undefined): string | undefined {
    if (auth.userId === undefined) return requested
    if (requested !== undefined && requested !== auth.userId) throw new ForbiddenError(`This key may only read metrics of user '${auth.userId}'`)
    return auth.userId
  }
}
