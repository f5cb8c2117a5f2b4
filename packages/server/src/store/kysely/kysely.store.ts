import type { Interaction } from '@interlog/schema'
import { sql, type Kysely, type SelectQueryBuilder, type SqlBool } from 'kysely'
import { COUNT_MAPS, type Aggregate, type Counter } from '../../analytics/metric-aggregate.js'
import type { Sketch } from '../../analytics/latency-sketch.js'
import { ROLLUP_DIMENSIONS, type Period, type RollupDims } from '../../analytics/rollup-deltas.js'
import type {
  MetricsStore,
  RollupRecord,
  TotalCounter,
  ScanGroupColumn,
  ScannedMetricRow,
  ErasureCounts,
  InsertOutcome,
  InteractionFilter,
  InteractionPage,
  InteractionStore,
  PageRequest,
  RowCounter,
  TenantRows,
  Visibility,
} from '../store.js'
import { VALUE_SORTS } from '../store.js'
import type { Database } from './database.js'
import { rollupDeltas, type TenantDeltas } from '../../analytics/rollup-deltas.js'
import { DENSE_MATCHES, type FullTextSearch } from '../../search/full-text-search.js'
import { scoped } from './interaction.scope.js'
import { parseSearchQuery } from '../../search/search-query.js'
import { eraseAttachedData, eraseUserData, type SearchRemoval } from './erasure.store.js'
import { fromStoredRow, LATEST_COLUMNS, METRIC_COLUMNS, metricSourceOf, toInteractionColumns, withoutLatest } from './interaction.rows.js'
import type { IdLists } from './id-lists.js'
import type { PayloadCodec } from './payload-codec.js'

/** The columns a read needs to rebuild an interaction (see fromStoredRow). */
export const STORED = ['interactions.tenant_id', 'data', 'payload', 'size_bytes', ...LATEST_COLUMNS] as const

type Db = Kysely<Database>
export type InteractionQuery = SelectQueryBuilder<Database, 'interactions', object>

/** Searches count their matches exactly up to this many; a larger total is reported as this lower bound. */
export const SEARCH_COUNT_LIMIT = 10_000

async function countRows<DB, TB extends keyof DB>(query: SelectQueryBuilder<DB, TB, object>): Promise<number> {
  const row = (await query.select(sql<number>`count(*)`.as('total')).executeTakeFirstOrThrow()) as { total: number | string | bigint }
  return Number(row.total)
}

/** What a dialect can do, so shared queries adapt without branching on the dialect's name. */
export interface DialectCapabilities {
  /** SELECT ... FOR UPDATE. SQLite has no row locks; its one connection makes each transaction exclusive anyway. */
  rowLocks: boolean
  idLists: IdLists
}

/**
 * Interaction reads, updates and deletes shared by both dialects. Adapters add the bulk insert, which
 * each dialect does its own fastest way.
 */
export abstract class KyselyInteractionStore implements InteractionStore, SearchRemoval {
  constructor(
    protected readonly db: Db,
    private readonly search: FullTextSearch,
    private readonly capabilities: DialectCapabilities,
    protected readonly codec: PayloadCodec,
  ) {}

  abstract insertGroups(groups: TenantRows[]): Promise<InsertOutcome[][]>

  get idLists(): IdLists {
    return this.capabilities.idLists
  }

  /** Adds rollup deltas inside the open transaction `trx`. */
  abstract applyRollupDeltas(trx: Db, groups: TenantDeltas[]): Promise<void>

  /** Removes the row's search entry, where the dialect keeps one apart from the row. */
  protected abstract removeFromSearch(trx: Db, tenantId: string, id: string): Promise<void>

  /** Removes the search entries of every row of one end user, where the dialect keeps them apart from the rows. */
  abstract removeUserFromSearch(trx: Db, tenantId: string, userId: string): Promise<void>

  /** Indexes the row's new text after an update, where the dialect keeps the index apart from the row. */
  protected abstract reindexSearch(trx: Db, tenantId: string, interaction: Interaction): Promise<void>

  async get(tenantId: string, id: string, visibility: Visibility): Promise<Interaction | undefined> {
    const row = await scoped(this.db.selectFrom('interactions'), tenantId, {}, visibility, this.search)
      .select(STORED)
      .where('id', '=', id)
      .executeTakeFirst()
    return row && fromStoredRow(row, this.codec)
  }

  async list(tenantId: string, filter: InteractionFilter, page: PageRequest, countTotal?: TotalCounter): Promise<InteractionPage> {
    const base = scoped(this.db.selectFrom('interactions'), tenantId, filter, {}, this.search)
    if (filter.q === undefined) {
      const total = countTotal?.(filter) ?? countRows(base)
      const [found, counted] = await Promise.all([this.page(tenantId, filter, page, false), total])
      return { ...found, total: counted, totalExact: true }
    }
    // A search counts first: how many rows match decides how the page is best found.
    const { total, totalExact } = await this.countSearch(tenantId, filter, base, countTotal)
    const found = await this.page(tenantId, filter, page, total >= DENSE_MATCHES)
    return { ...found, total, totalExact }
  }

  private async page(tenantId: string, filter: InteractionFilter, page: PageRequest, dense: boolean) {
    const walk = page.sort === 'slowest' || page.sort === 'costliest' ? 'value' : 'time'
    const rows = scoped(this.db.selectFrom('interactions'), tenantId, filter, {}, this.search, { dense, walk }).select([...STORED, 'ts', 'id'])
    const found = await this.ordered(rows, tenantId, filter, page, dense).limit(page.limit).offset(page.offset).execute()
    const lastRow = found.at(-1) as (typeof found)[number] & { sort_key?: number }
    return {
      interactions: found.map((row) => fromStoredRow(row, this.codec)),
      last: lastRow && { ts: Number(lastRow.ts), id: lastRow.id, ...(lastRow.sort_key === undefined ? {} : { key: Number(lastRow.sort_key) }) },
    }
  }

  /**
   * The page's order and keyset condition. Sorting by latency or cost orders by the value with missing
   * ones as -1 (so they come last), then by time: the same expression the indexes of migration 009 hold.
   */
  private ordered<Q extends SelectQueryBuilder<Database, 'interactions', { ts: number; id: string }>>(
    rows: Q,
    tenantId: string,
    filter: InteractionFilter,
    page: PageRequest,
    dense: boolean,
  ): Q {
    const sort = page.sort ?? 'newest'
    const after = page.after
    if (sort === 'slowest' || sort === 'costliest') {
      const key = sql<number>`coalesce(${sql.ref(VALUE_SORTS[sort])}, -1)`
      let q = rows.select(key.as('sort_key')).orderBy(key, 'desc').orderBy('ts', 'desc').orderBy('id', 'desc')
      // Written so both databases see a range on the index's expression (a row-value comparison over
      // an expression is not an index range in SQLite).
      if (after) {
        const k = after.key ?? -1
        q = q.where(sql<SqlBool>`${key} <= ${k} AND (${key} < ${k} OR (ts, id) < (${after.ts}, ${after.id}))`)
      }
      return q as unknown as Q
    }
    const direction = sort === 'oldest' ? 'asc' : 'desc'
    let q = rows
    if (sort === 'relevance' && filter.q !== undefined) {
      const terms = parseSearchQuery(filter.q)
      q = q.orderBy((eb) => this.search.rank(eb, terms, { tenantId }), 'desc') as Q
    }
    // Few matches: `ts + 0` keeps a planner from walking the time index in search of them (PostgreSQL
    // would, for a term its statistics do not know), so the matches are found by the text index and sorted.
    const sparseSearch = filter.q !== undefined && !dense
    q = q.orderBy(sparseSearch ? sql`interactions.ts + 0` : 'ts', direction).orderBy('id', direction) as Q
    if (after) q = q.where((eb) => eb(eb.refTuple('ts', 'id'), direction === 'asc' ? '>' : '<', eb.tuple(after.ts, after.id))) as Q
    return q
  }

  /**
   * A search's total is exact when the text index can count it alone, or when it is at most
   * SEARCH_COUNT_LIMIT; past that, counting every match would cost more than the page itself, so the
   * total is that limit, flagged as a lower bound.
   */
  private async countSearch(tenantId: string, filter: InteractionFilter, base: InteractionQuery, countTotal?: TotalCounter) {
    const known = countTotal?.(filter)
    if (known) return { total: await known, totalExact: true }
    const onlyText = Object.entries(filter).every(([key, value]) => key === 'q' || value === undefined)
    if (onlyText && this.search.countMatches) {
      return { total: await this.search.countMatches(this.db, parseSearchQuery(filter.q!), tenantId), totalExact: true }
    }
    const capped = this.db.selectFrom(base.select(sql<number>`1`.as('one')).limit(SEARCH_COUNT_LIMIT + 1).as('capped'))
    const counted = await countRows(capped)
    return { total: Math.min(counted, SEARCH_COUNT_LIMIT), totalExact: counted <= SEARCH_COUNT_LIMIT }
  }

  async thread(tenantId: string, threadId: string, visibility: Visibility, limit: number): Promise<Interaction[]> {
    const rows = await scoped(this.db.selectFrom('interactions'), tenantId, { thread_id: threadId }, visibility, this.search)
      .select(STORED)
      .orderBy('ts', 'asc')
      .orderBy('id', 'asc')
      .limit(limit)
      .execute()
    return rows.map((row) => fromStoredRow(row, this.codec))
  }

  async delete(tenantId: string, id: string, visibility: Visibility): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const row = await scoped(trx.selectFrom('interactions'), tenantId, {}, visibility, this.search)
        .select(METRIC_COLUMNS)
        .where('id', '=', id)
        .executeTakeFirst()
      if (!row) return false
      await this.removeFromSearch(trx, tenantId, id)
      await trx.deleteFrom('interactions').where('tenant_id', '=', tenantId).where('id', '=', id).execute()
      await eraseAttachedData(trx, { tenantId, interactionIds: [id] }, this.idLists)
      await this.applyRollupDeltas(trx, [{ tenantId, deltas: rollupDeltas([[metricSourceOf(row), -1]]) }])
      return true
    })
  }

  eraseUser(tenantId: string, userId: string): Promise<ErasureCounts> {
    return eraseUserData(this.db, tenantId, userId, this)
  }

  /**
   * Besides the row and its tags, an update moves the row's contribution in the metric rollups from
   * its old values to its new ones and re-indexes its text, all in the same transaction. The latest
   * feedback and validation are not the change's to make; they stay as they were.
   */
  async update(tenantId: string, id: string, change: (current: Interaction) => Interaction | undefined): Promise<Interaction | undefined> {
    return this.db.transaction().execute(async (trx) => {
      let select = trx
        .selectFrom('interactions')
        .select([...STORED, ...METRIC_COLUMNS])
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
      if (this.capabilities.rowLocks) select = select.forUpdate()
      const found = await select.executeTakeFirst()
      if (!found) return undefined
      const current = fromStoredRow(found, this.codec)
      const changed = change(current)
      if (!changed) return undefined
      const next: Interaction = { ...withoutLatest(changed), id, tenant_id: tenantId, timestamp: current.timestamp, received_at: current.received_at }
      const row = { interaction: next, ts: Date.parse(next.timestamp), received_ts: Date.parse(next.received_at) }
      const {
        tenant_id: _tenant,
        id: _id,
        feedback_kind: _keptKind,
        feedback_quality_score: _keptQuality,
        ...columns
      } = toInteractionColumns(tenantId, row, this.codec.encode(next))
      await trx.updateTable('interactions').set(columns).where('tenant_id', '=', tenantId).where('id', '=', id).execute()
      const after = metricSourceOf({ ...found, ...columns })
      await this.applyRollupDeltas(trx, [{ tenantId, deltas: rollupDeltas([[metricSourceOf(found), -1], [after, 1]]) }])
      await this.reindexSearch(trx, tenantId, next)
      await trx.deleteFrom('interaction_tags').where('tenant_id', '=', tenantId).where('interaction_id', '=', id).execute()
      const tags = [...new Set(next.tags ?? [])]
      if (tags.length > 0) {
        await trx.insertInto('interaction_tags').values(tags.map((tag) => ({ tenant_id: tenantId, interaction_id: id, tag }))).execute()
      }
      return fromStoredRow({ ...found, tenant_id: tenantId, data: columns.data, payload: columns.payload, size_bytes: columns.size_bytes }, this.codec)
    })
  }
}

/** The status each status counter counts. */
const ROW_STATUS: Record<Exclude<RowCounter, 'n' | 'feedback_n'>, string> = { success_n: 'success', failure_n: 'failure', partial_n: 'partial' }

const parseCounts = (value: unknown): Sketch => (typeof value === 'string' ? JSON.parse(value) : value) as Sketch

/** Metric reads shared by both dialects: rollup rows, raw metric columns, failure error types. */
export class KyselyMetricsStore implements MetricsStore {
  constructor(
    private readonly db: Db,
    private readonly search: FullTextSearch,
  ) {}

  async rollups(tenantId: string, period: Period, from: number, to: number, dims: Partial<RollupDims>): Promise<RollupRecord[]> {
    const rows = await this.rollupRange(tenantId, period, from, to, dims).selectAll().execute()
    // The row already holds every counter as a number: decode its count maps in place and let it
    // serve as the aggregate, rather than copying thousands of rows into new objects per request.
    return rows.map((row) => {
      for (const map of COUNT_MAPS) row[map] = parseCounts(row[map])
      return { period, start: Number(row.start), type: row.type, model: row.model, provider: row.provider, status: row.status, aggregate: row as unknown as Aggregate }
    })
  }

  /** Rollup rows of one period with start in [from, to), narrowed by rollup dimensions. */
  private rollupRange(tenantId: string, period: Period, from: number, to: number, dims: Partial<RollupDims>) {
    let query = this.db
      .selectFrom('metric_rollups')
      .where('tenant_id', '=', tenantId)
      .where('period', '=', period)
      .where('start', '>=', from)
      .where('start', '<', to)
    for (const dimension of ROLLUP_DIMENSIONS) {
      const value = dims[dimension]
      if (value !== undefined) query = query.where(dimension, '=', value)
    }
    return query
  }

  async scan(tenantId: string, filter: InteractionFilter, from: number, to: number, groupBy: ScanGroupColumn | undefined): Promise<ScannedMetricRow[]> {
    const rows = await scoped(this.db.selectFrom('interactions'), tenantId, filter, {}, this.search)
      .select(METRIC_COLUMNS)
      .$if(groupBy !== undefined, (q) => q.select(sql<string | null>`${sql.ref(groupBy!)}`.as('group_value')))
      .where('ts', '>=', from)
      .where('ts', '<', to)
      .execute()
    return rows.map((row) => ({ ...metricSourceOf(row), group: groupBy ? ((row as { group_value?: string | null }).group_value ?? null) : null }))
  }

  async rollupSums<C extends Counter>(tenantId: string, period: Period, from: number, to: number, dims: Partial<RollupDims>, counters: readonly C[]): Promise<Record<C, number>> {
    const row = await this.rollupRange(tenantId, period, from, to, dims)
      .select((eb) => counters.map((counter) => eb.fn.sum<number>(counter).as(counter)))
      .executeTakeFirst()
    return Object.fromEntries(counters.map((counter) => [counter, Number((row as Record<string, unknown> | undefined)?.[counter] ?? 0)])) as Record<C, number>
  }

  async rowSums<C extends RowCounter>(tenantId: string, filter: InteractionFilter, counters: readonly C[], range?: { from: number; to: number }): Promise<Record<C, number>> {
    let query = scoped(this.db.selectFrom('interactions'), tenantId, filter, {}, this.search)
    if (range) query = query.where('ts', '>=', range.from).where('ts', '<', range.to)
    const row = await query
      .select((eb) =>
        counters.map((counter: RowCounter) => {
          const all = eb.fn.countAll<number>()
          const counted =
            counter === 'n' ? all : counter === 'feedback_n' ? all.filterWhere('feedback_kind', 'is not', null) : all.filterWhere('status', '=', ROW_STATUS[counter])
          return counted.as(counter)
        }),
      )
      .executeTakeFirstOrThrow()
    return Object.fromEntries(counters.map((counter) => [counter, Number((row as Record<string, unknown>)[counter])])) as Record<C, number>
  }

  async archivedBefore(tenantId: string): Promise<number | undefined> {
    const row = await this.db.selectFrom('archive_state').select('archived_before').where('tenant_id', '=', tenantId).executeTakeFirst()
    return row?.archived_before == null ? undefined : Number(row.archived_before)
  }

  async errorTypes(tenantId: string, filter: InteractionFilter, limit: number): Promise<{ error_type: string | null; count: number }[]> {
    const rows = await scoped(this.db.selectFrom('interactions'), tenantId, { ...filter, status: 'failure' }, {}, this.search)
      .select(['error_type', (eb) => eb.fn.countAll<number>().as('count')])
      .groupBy('error_type')
      .orderBy('count', 'desc')
      .limit(limit)
      .execute()
    return rows.map((row) => ({ error_type: row.error_type, count: Number(row.count) }))
  }
}
