import type { Feedback, Interaction, InteractionListQuery, Scope } from '@interlog/schema'
import type { Aggregate } from '../analytics/metric-aggregate.js'
import type { MetricSource, Period, RollupDims } from '../analytics/rollup-deltas.js'
import type { TenantPrice } from '../pricing/tenant-price.js'

/**
 * The one storage interface. SQLite and PostgreSQL adapters implement it; the contract suite
 * (test/store/store.contract.ts) runs unchanged against both. Every method that reads or writes
 * tenant data takes the tenant first, so an unscoped query cannot be written by accident.
 */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres'
  readonly tenants: TenantStore
  readonly keys: KeyStore
  readonly interactions: InteractionStore
  readonly metrics: MetricsStore
  readonly prices: PriceStore
  readonly feedback: FeedbackStore
  migrate(): Promise<void>
  ping(): Promise<void>
  close(): Promise<void>
  /** Sets a value once; answers whether this call was the one that set it (safe across replicas). */
  claimOnce(name: string, value: string): Promise<boolean>
}

export interface TenantRecord {
  id: string
  name: string
  created_at: string
}

export interface TenantStore {
  create(tenant: TenantRecord): Promise<void>
  getById(id: string): Promise<TenantRecord | undefined>
  getByName(name: string): Promise<TenantRecord | undefined>
  list(): Promise<TenantRecord[]>
}

export interface KeyRecord {
  id: string
  tenant_id: string
  name: string | null
  prefix: string
  hash: string
  scopes: Scope[]
  user_id: string | null
  /** A root key manages every tenant (the bootstrap admin key). */
  is_root: boolean
  created_at: string
  revoked_at: string | null
}

export interface KeyStore {
  insert(tenantId: string, key: KeyRecord): Promise<void>
  /** Authentication: the only lookup not scoped by tenant, since the key is what names the tenant. */
  findActiveByHash(hash: string): Promise<KeyRecord | undefined>
  list(tenantId: string | undefined): Promise<KeyRecord[]>
  getById(tenantId: string | undefined, id: string): Promise<KeyRecord | undefined>
  revoke(tenantId: string, id: string, at: string): Promise<boolean>
  /** Revokes root keys other than the one with this hash (a changed INTERLOG_ADMIN_KEY replaces the old one). */
  revokeRootKeysExcept(hash: string, at: string): Promise<number>
}

/** An interaction ready to store: already validated and normalised by the ingest service. */
export interface InteractionRow {
  interaction: Interaction
  /** Milliseconds since the epoch of `interaction.timestamp`. */
  ts: number
  received_ts: number
}

export type InsertOutcome = 'created' | 'duplicate'

export interface TenantRows {
  tenantId: string
  rows: InteractionRow[]
}

/** Narrows reads to one end user (a user-bound key). */
export interface Visibility {
  userId?: string
}

export type InteractionFilter = Omit<InteractionListQuery, 'limit' | 'offset' | 'cursor' | 'sort'> & {
  /** Only interactions whose required variables were not all present. */
  incomplete_variables?: boolean
}

export interface PageRequest {
  limit: number
  offset: number
  /** Relevance needs a search query in the filter. */
  sort?: 'newest' | 'relevance'
  after?: { ts: number; id: string }
}

export interface InteractionPage {
  interactions: Interaction[]
  total: number
  /** Keyset position of the last row, for the next cursor. */
  last?: { ts: number; id: string }
}

/** Counts the interactions matching a filter, when the caller knows a cheaper way than the rows. */
export type TotalCounter = (filter: InteractionFilter) => Promise<number> | undefined

export interface InteractionStore {
  /** Inserts every group in one transaction; an existing (tenant, id) is left untouched and reported as duplicate. */
  insertGroups(groups: TenantRows[]): Promise<InsertOutcome[][]>
  get(tenantId: string, id: string, visibility: Visibility): Promise<Interaction | undefined>
  /** `total` comes from `countTotal` when it answers, else from counting the matching rows. */
  list(tenantId: string, filter: InteractionFilter, page: PageRequest, countTotal?: TotalCounter): Promise<InteractionPage>
  thread(tenantId: string, threadId: string, visibility: Visibility, limit: number): Promise<Interaction[]>
  /** Removes the interaction and everything attached to it. */
  delete(tenantId: string, id: string, visibility: Visibility): Promise<boolean>
}

export interface RollupRecord extends RollupDims {
  period: Period
  start: number
  aggregate: Aggregate
}

/** Columns metrics can group by when scanning raw rows. */
export const SCAN_GROUP_COLUMNS = ['type', 'model', 'provider', 'status', 'category', 'message_type', 'prompt_version', 'user_id'] as const
export type ScanGroupColumn = (typeof SCAN_GROUP_COLUMNS)[number]

export interface ScannedMetricRow extends MetricSource {
  group: string | null
}

export interface MetricsStore {
  /** Rollup rows of one period with start in [from, to), narrowed by rollup dimensions. */
  rollups(tenantId: string, period: Period, from: number, to: number, dims: Partial<RollupDims>): Promise<RollupRecord[]>
  /** The metric columns of every interaction matching the filter with ts in [from, to): the exact path. */
  scan(tenantId: string, filter: InteractionFilter, from: number, to: number, groupBy: ScanGroupColumn | undefined): Promise<ScannedMetricRow[]>
  /** How many interactions the rollups of a period with start in [from, to) count. */
  rollupCount(tenantId: string, period: Period, from: number, to: number, dims: Partial<RollupDims>): Promise<number>
  /** How many interactions match the filter with ts in [from, to), counted from the rows. */
  countRows(tenantId: string, filter: InteractionFilter, from: number, to: number): Promise<number>
  /** Error types of failures matching the filter, most frequent first. */
  errorTypes(tenantId: string, filter: InteractionFilter, limit: number): Promise<{ error_type: string | null; count: number }[]>
}

export interface PriceStore {
  get(tenantId: string, model: string): Promise<TenantPrice | undefined>
  list(tenantId: string): Promise<TenantPrice[]>
  put(tenantId: string, price: TenantPrice): Promise<void>
  delete(tenantId: string, model: string): Promise<boolean>
}

export interface FeedbackStore {
  /**
   * Records feedback on a visible interaction and makes it the latest, adjusting metric rollups in the
   * same transaction. Undefined when the interaction is not found (or not visible).
   */
  add(tenantId: string, feedback: Feedback, visibility: Visibility): Promise<Feedback | undefined>
  /** The interaction's feedback, oldest first. */
  history(tenantId: string, interactionId: string): Promise<Feedback[]>
}
