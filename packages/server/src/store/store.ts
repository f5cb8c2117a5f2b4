import type { AuditAction, AuditEntry, Example, Feedback, FlowDefinitionJson, FlowSession, Interaction, InteractionListQuery, ListSort, ReadinessSettingsInput, Scope, ToolCall, TrainingRun, Validation } from '@interlog/schema'
import type { Aggregate, Counter } from '../analytics/metric-aggregate.js'
import type { MetricSource, Period, RollupDims } from '../analytics/rollup-deltas.js'
import type { TenantPrice } from '../pricing/tenant-price.js'
import type { ArchiveStore } from './archive-store.js'

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
  readonly validations: ValidationStore
  readonly examples: ExampleStore
  readonly trainingRuns: TrainingRunStore
  readonly readinessSettings: ReadinessSettingsStore
  readonly otlp: OtlpJoinStore
  readonly exports: ExportStore
  readonly archive: ArchiveStore
  readonly sessions: SessionStore
  readonly settings: SettingsStore
  readonly audit: AuditStore
  readonly flows: FlowStore
  readonly storage: StorageStatsStore
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
  /**
   * Makes the stored key with this hash, revoked or not, the tenant's active root key with these scopes
   * (an INTERLOG_ADMIN_KEY used before, then replaced, then set again); false when no key has the hash.
   */
  reinstateRoot(tenantId: string, hash: string, scopes: Scope[]): Promise<boolean>
}

/** A dashboard session: the browser holds a random token in an HttpOnly cookie; only its hash is stored. */
export interface SessionRecord {
  /** SHA-256 of the session token. */
  id: string
  tenant_id: string
  key_id: string
  created_at: string
  expires_ts: number
}

export interface SessionStore {
  create(tenantId: string, session: SessionRecord): Promise<void>
  /**
   * Authentication, so not scoped by tenant (the session names it): the session unexpired at `now`
   * with its key, only while that key is not revoked.
   */
  findActive(id: string, now: number): Promise<{ session: SessionRecord; key: KeyRecord } | undefined>
  delete(tenantId: string, id: string): Promise<boolean>
  /** Removes sessions that expired before `now`; answers how many. */
  deleteExpired(now: number): Promise<number>
}

/** An interaction ready to store: already validated and normalised by the ingest service. */
export interface InteractionRow {
  interaction: Interaction
  /** Milliseconds since the epoch of `interaction.timestamp`. */
  ts: number
  received_ts: number
}

export type InsertOutcome = 'created' | 'duplicate'

/** Rows an erasure removed, per kind (interactions, feedback, tags, OTLP join rows...). */
export type ErasureCounts = Record<string, number>

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

/** Where a keyset page starts: after this row. `key` is its sort value when sorted by latency or cost. */
export interface KeysetAfter {
  ts: number
  id: string
  key?: number
}

export interface PageRequest {
  limit: number
  offset: number
  /** Default newest. Relevance needs a search query in the filter. */
  sort?: ListSort
  after?: KeysetAfter
}

export interface InteractionPage {
  interactions: Interaction[]
  total: number
  /** False when `total` is a lower bound: a search with more matches than it counts exactly. */
  totalExact: boolean
  /** Keyset position of the last row, for the next cursor. */
  last?: KeysetAfter
}

/** Sorts by a column other than time: the column, whose missing values sort last (as -1; values are never negative). */
export const VALUE_SORTS = { slowest: 'latency_ms', costliest: 'cost_usd' } as const satisfies Partial<Record<ListSort, string>>


/** Counts the interactions matching a filter, when the caller knows a cheaper way than the rows. */
export type TotalCounter = (filter: InteractionFilter) => Promise<number> | undefined

export interface InteractionStore {
  /** Inserts every group in one transaction; an existing (tenant, id) is left untouched and reported as duplicate. */
  insertGroups(groups: TenantRows[]): Promise<InsertOutcome[][]>
  get(tenantId: string, id: string, visibility: Visibility): Promise<Interaction | undefined>
  /** `total` comes from `countTotal` when it answers, else from counting the matching rows (a search's only up to a limit). */
  list(tenantId: string, filter: InteractionFilter, page: PageRequest, countTotal?: TotalCounter): Promise<InteractionPage>
  thread(tenantId: string, threadId: string, visibility: Visibility, limit: number): Promise<Interaction[]>
  /**
   * Removes the interaction and everything attached to it (tags, feedback, validations, its share of
   * the rollups). Examples copied from it stay, detached: their `interaction_id` becomes null.
   */
  delete(tenantId: string, id: string, visibility: Visibility): Promise<boolean>
  /**
   * Removes every interaction of one end user and everything attached to them, with their search
   * entries and their share of the metric rollups, in one transaction. Answers the rows removed per kind.
   */
  eraseUser(tenantId: string, userId: string): Promise<ErasureCounts>
  /**
   * Reads one interaction, applies `change` and stores its result, in one transaction with the row
   * locked, so concurrent changes of the same interaction (from any replica) never lose each other.
   * Answers the stored result; undefined when the interaction does not exist or `change` returned
   * undefined (nothing to change). The id, tenant and timestamp stay as they were.
   */
  update(tenantId: string, id: string, change: (current: Interaction) => Interaction | undefined): Promise<Interaction | undefined>
}

/** A tool call id that a model call (an interaction ingested over OTLP) asked for, within its trace. */
export interface RequestedToolCall {
  trace_id: string
  tool_call_id: string
  interaction_id: string
}

/** An OpenTelemetry `execute_tool` span, kept so that it joins its model call whichever arrives first. */
export interface ToolSpanRecord {
  trace_id: string
  span_id: string
  parent_span_id: string | null
  tool_call_id: string | null
  tool_call: ToolCall
  received_ts: number
}

/** A GenAI event (an OTLP log record such as `gen_ai.user.message`), kept until its span's interaction takes it in. */
export interface LogEventRecord {
  trace_id: string
  span_id: string
  /** Identifies the record's content, so the same record sent twice is kept once. */
  event_key: string
  event_name: string
  time_ms: number
  /** Order within its export request (events of one span often share a timestamp). */
  seq: number
  body: unknown
  attributes: Record<string, unknown>
  received_ts: number
}

/**
 * What joins OTLP data that arrives apart to the interaction it belongs to, across export requests:
 * tool spans to the model calls that requested them, GenAI log events to their span's interaction.
 */
export interface OtlpJoinStore {
  /** Saves requested tool call ids; one already known (tenant, trace, tool call id) is kept as it was. */
  saveRequestedCalls(tenantId: string, calls: RequestedToolCall[]): Promise<void>
  requestedCallsOfTraces(tenantId: string, traceIds: string[]): Promise<RequestedToolCall[]>
  /** Saves tool spans; one already known (tenant, trace, span) is kept as it was. */
  saveToolSpans(tenantId: string, spans: ToolSpanRecord[]): Promise<void>
  toolSpansOfTraces(tenantId: string, traceIds: string[]): Promise<ToolSpanRecord[]>
  /** Saves log events; one already known (tenant, trace, span, event key) is kept as it was. */
  saveLogEvents(tenantId: string, events: LogEventRecord[]): Promise<void>
  /** The log events of the traces, in time order, then receipt order. */
  logEventsOfTraces(tenantId: string, traceIds: string[]): Promise<LogEventRecord[]>
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

/** Rollup counters that can also be counted straight from interaction rows. */
export const ROW_COUNTERS = ['n', 'success_n', 'failure_n', 'partial_n', 'feedback_n'] as const satisfies readonly Counter[]
export type RowCounter = (typeof ROW_COUNTERS)[number]

export interface MetricsStore {
  /** Rollup rows of one period with start in [from, to), narrowed by rollup dimensions; archived interactions included. */
  rollups(tenantId: string, period: Period, from: number, to: number, dims: Partial<RollupDims>): Promise<RollupRecord[]>
  /** The metric columns of every interaction matching the filter with ts in [from, to): the exact path. */
  scan(tenantId: string, filter: InteractionFilter, from: number, to: number, groupBy: ScanGroupColumn | undefined): Promise<ScannedMetricRow[]>
  /** Sums of the given counters over the rollups of a period with start in [from, to). */
  rollupSums<C extends Counter>(tenantId: string, period: Period, from: number, to: number, dims: Partial<RollupDims>, counters: readonly C[]): Promise<Record<C, number>>
  /** The same counters counted from the rows matching the filter (with ts in [from, to) when a range is given). */
  rowSums<C extends RowCounter>(tenantId: string, filter: InteractionFilter, counters: readonly C[], range?: { from: number; to: number }): Promise<Record<C, number>>
  /**
   * Every interaction archived so far has ts before this (undefined: nothing archived). Rollups keep
   * counting archived interactions, so counts of hot rows before it come from the rows.
   */
  archivedBefore(tenantId: string): Promise<number | undefined>
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

/** A store whose rows belong to end users, so a user's erasure can remove them. */
export interface ErasableByUser {
  /** Removes every row of the user (also once the user's interactions are gone); answers how many. */
  deleteForUser(tenantId: string, userId: string): Promise<number>
}

export interface ValidationStore extends ErasableByUser {
  /**
   * Records a validation of a visible interaction (with the interaction's user) and makes it the
   * latest on the interaction, in one transaction. Undefined when the interaction is not found (or not visible).
   */
  add(tenantId: string, validation: Validation, visibility: Visibility): Promise<Validation | undefined>
  /** The interaction's validations, oldest first. */
  history(tenantId: string, interactionId: string): Promise<Validation[]>
}

export interface ExampleFilter {
  type?: string
  category?: string
  tag?: string
  /** quality_score at least this. */
  min_quality?: number
  interaction_id?: string
  user_id?: string
}

export interface ExampleStore extends ErasableByUser {
  /**
   * Stores an example. One copied from an interaction is stored only while that interaction exists and
   * is visible (checked in the same transaction, so a concurrent delete detaches it rather than missing
   * it); false when it is not.
   */
  insert(tenantId: string, example: Example, visibility: Visibility): Promise<boolean>
  get(tenantId: string, id: string, visibility: Visibility): Promise<Example | undefined>
  /** Newest first, with the total of the whole filter. */
  list(tenantId: string, filter: ExampleFilter, page: { limit: number; offset: number }): Promise<{ examples: Example[]; total: number }>
  count(tenantId: string, filter: ExampleFilter): Promise<number>
  delete(tenantId: string, id: string, visibility: Visibility): Promise<boolean>
  /**
   * Adds one to the usage count of each example (an id listed twice counts once) and stamps
   * last_used_at; for the dataset export, each time it writes examples. Answers how many were found.
   */
  incrementUsage(tenantId: string, ids: Iterable<string>, at: string): Promise<number>
}

export interface TrainingRunStore {
  insert(tenantId: string, run: TrainingRun): Promise<void>
  /** Newest run date first, with the total. */
  list(tenantId: string, filter: { model_version?: string }, page: { limit: number; offset: number }): Promise<{ runs: TrainingRun[]; total: number }>
}

export interface StoredReadinessSettings {
  /** Only what the tenant set; the rest takes the defaults. */
  thresholds: ReadinessSettingsInput
  updated_at: string
}

export interface ReadinessSettingsStore {
  get(tenantId: string): Promise<StoredReadinessSettings | undefined>
  put(tenantId: string, settings: StoredReadinessSettings): Promise<void>
}

/** What an export reads: the list filters plus the export's feedback and outcome conditions. */
export type ExportFilter = InteractionFilter & {
  success_only?: boolean
  with_feedback_only?: boolean
  /** Latest feedback quality score at least this; unscored interactions are left out. */
  min_quality?: number
  /** Leave out interactions whose latest feedback kind is one of FLAGGED_FEEDBACK_KINDS. */
  exclude_flagged?: boolean
}

/**
 * What an export page carries: every field, or only what training conversations are built from (the
 * input and output fields, id, status and latest feedback), which is much cheaper to read.
 */
export type ExportView = 'full' | 'conversation'

/** The interaction fields the conversation view reads. */
export const CONVERSATION_FIELDS = ['user_message', 'rendered_prompt', 'messages', 'assistant_response', 'structured_output', 'tool_calls', 'model_parameters'] as const

export interface ExportPage {
  /** In the conversation view, only CONVERSATION_FIELDS, id, tenant_id, status and the latest feedback are set. */
  interactions: Interaction[]
  /** The correction of the latest feedback that carried one, per interaction id of the page (ids without one are absent). */
  corrections: Map<string, unknown>
  /** Keyset position of the last row: pass it back as `after` for the next page. */
  last?: { ts: number; id: string }
}

/** Reads for dataset exports: keyset pages (newest first) that never hold more than one page in memory. */
export interface ExportStore {
  /** One page of the matching interactions after the keyset position, newest first. */
  page(tenantId: string, filter: ExportFilter, view: ExportView, after: { ts: number; id: string } | undefined, limit: number): Promise<ExportPage>
  count(tenantId: string, filter: ExportFilter): Promise<number>
  /** Which of these ids are in the hot store (an id sent again after it was archived is in both tiers). */
  hotIds(tenantId: string, interactionIds: string[]): Promise<Set<string>>
}

/** One named tenant setting (redaction, collection...): a JSON document replaced whole. */
export interface TenantSetting {
  name: string
  value: unknown
  updated_at: string
}

export interface SettingsStore {
  /** Every setting the tenant has set. */
  all(tenantId: string): Promise<TenantSetting[]>
  put(tenantId: string, setting: TenantSetting): Promise<void>
}

export interface AuditFilter {
  action?: AuditAction
  /** Inclusive, ISO 8601. */
  from?: string
  /** Exclusive, ISO 8601. */
  to?: string
}

export interface AuditPage {
  entries: AuditEntry[]
  total: number
}

export interface AuditStore {
  insert(tenantId: string, entry: AuditEntry): Promise<void>
  /** Newest first. */
  list(tenantId: string, filter: AuditFilter, page: { limit: number; offset: number }): Promise<AuditPage>
}

/** A tenant's flow definition as stored. */
export interface FlowDefinitionRecord {
  id: string
  definition: FlowDefinitionJson
  created_at: string
  updated_at: string
}

export interface FlowSessionPage {
  sessions: FlowSession[]
  total: number
}

export interface FlowStore {
  /** Creates or replaces a definition (keeping its created_at); answers whether it was new. */
  putDefinition(tenantId: string, record: FlowDefinitionRecord): Promise<'created' | 'updated'>
  getDefinition(tenantId: string, id: string): Promise<FlowDefinitionRecord | undefined>
  listDefinitions(tenantId: string): Promise<FlowDefinitionRecord[]>
  /** Removes the definition and its sessions. */
  deleteDefinition(tenantId: string, id: string): Promise<boolean>
  getSession(tenantId: string, flowId: string, sessionId: string, visibility: Visibility): Promise<FlowSession | undefined>
  /**
   * Stores a session state if the stored one has version `session.version - 1` (or, for version 1,
   * if there is none); answers false otherwise, so a concurrent turn (on any replica) is never overwritten.
   */
  saveSession(tenantId: string, session: FlowSession): Promise<boolean>
  /** Sessions of a flow, most recently updated first. */
  listSessions(tenantId: string, flowId: string, visibility: Visibility, page: { limit: number; offset: number }): Promise<FlowSessionPage>
}

/** A tenant's hot rows of one type and category: how many, their raw size and what they take stored. */
export interface ActiveStorageRow {
  type: string | null
  category: string | null
  records: number
  raw_bytes: number
  stored_bytes: number
}

export interface StorageStatsStore {
  active(tenantId: string): Promise<ActiveStorageRow[]>
}
