import type { Counter, CountMapName } from '../../analytics/metric-aggregate.js'
import type { RollupDimension } from '../../analytics/rollup-deltas.js'

/** Table shapes as Kysely sees them. Booleans are stored as 0/1 integers so both dialects agree. */
export interface Database {
  tenants: { id: string; name: string; created_at: string }
  api_keys: {
    id: string
    tenant_id: string
    name: string | null
    prefix: string
    hash: string
    scopes: string
    user_id: string | null
    is_root: number
    created_at: string
    revoked_at: string | null
  }
  interactions: InteractionsTable & LatestValidationColumns
  interaction_tags: { tenant_id: string; interaction_id: string; tag: string }
  system_claims: { name: string; value: string; claimed_at: string }
  sessions: { id: string; tenant_id: string; key_id: string; created_at: string; expires_ts: number }
  metric_rollups: MetricRollupsTable
  feedback: {
    tenant_id: string
    id: string
    interaction_id: string
    kind: string
    sentiment: number | null
    quality_score: number | null
    comment: string | null
    correction: string | null
    categories: string
    edit_distance: number | null
    created_at: string
  }
  tenant_prices: {
    tenant_id: string
    model: string
    provider: string | null
    input_per_mtok: number
    output_per_mtok: number
    cached_input_per_mtok: number | null
    reasoning_per_mtok: number | null
    updated_at: string
  }
  validations: {
    tenant_id: string
    id: string
    interaction_id: string
    user_id: string | null
    passed: number
    score: number | null
    /** JSON text, like original, edited and diff. */
    errors: string
    warnings: string
    duration_ms: number | null
    original: string | null
    edited: string | null
    diff: string | null
    user_edited: number
    created_at: string
  }
  examples: {
    tenant_id: string
    id: string
    interaction_id: string | null
    user_id: string | null
    /** JSON text, like tags and metadata. */
    input: string
    output: string
    quality_score: number | null
    type: string | null
    category: string | null
    tags: string
    metadata: string | null
    usage_count: number
    last_used_at: string | null
    created_at: string
  }
  example_tags: { tenant_id: string; example_id: string; tag: string }
  training_runs: {
    tenant_id: string
    id: string
    model_version: string
    base_model: string | null
    date: string
    dataset_size: number
    accuracy: number | null
    validation_rate: number | null
    cost_usd: number | null
    notes: string | null
    /** JSON text. */
    metadata: string | null
    created_at: string
  }
  readiness_settings: { tenant_id: string; settings: string; updated_at: string }
  archive_state: { tenant_id: string; archived_before: number | null; archiving: number }
  archive_changes: { tenant_id: string; interaction_id: string }
  retention_settings: {
    tenant_id: string
    archive_after_days: number
    delete_archived_after_days: number | null
    target: string | null
    updated_at: string
  }
  archive_batches: ArchiveBatchesTable
  archive_holds: { tenant_id: string; id: string; from_ts: number; to_ts: number; until_ts: number }
  archive_locks: { name: string; owner: string; heartbeat_ts: number }
  tenant_settings: { tenant_id: string; name: string; value: string; updated_at: string }
  audit_log: {
    tenant_id: string
    id: string
    /** Epoch milliseconds of created_at, for ordering and time filters. */
    ts: number
    action: string
    actor_key_id: string
    target_type: string | null
    target_id: string | null
    /** JSON text. */
    details: string
    created_at: string
  }
  otlp_requested_tool_calls: { tenant_id: string; trace_id: string; tool_call_id: string; interaction_id: string }
  otlp_tool_spans: {
    tenant_id: string
    trace_id: string
    span_id: string
    parent_span_id: string | null
    tool_call_id: string | null
    /** The tool call as JSON text. */
    tool_call: string
    received_ts: number
  }
  flow_definitions: { tenant_id: string; id: string; definition: string; created_at: string; updated_at: string }
  flow_sessions: {
    tenant_id: string
    flow_id: string
    session_id: string
    user_id: string | null
    status: string
    node: string
    version: number
    /** The whole session state as JSON text. */
    state: string
    created_at: string
    updated_at: string
  }
  otlp_log_events: {
    tenant_id: string
    trace_id: string
    span_id: string
    event_key: string
    event_name: string
    time_ms: number
    seq: number
    /** JSON text, like the attributes. */
    body: string
    attributes: string
    received_ts: number
  }
}

export interface ArchiveBatchesTable {
  tenant_id: string
  id: string
  run_id: string
  target: string
  object_key: string
  manifest_key: string
  /** '' for interactions without a type. */
  type: string
  day: string
  part: number
  record_count: number
  raw_bytes: number
  compressed_bytes: number
  sha256: string
  from_ts: number
  to_ts: number
  storage_class: string
  status: string
  users_bloom: string
  created_at: string
  archived_at: string | null
  deleted_at: string | null
}

/** Counters are numbers; count maps are JSON (TEXT in SQLite, JSONB in PostgreSQL). */
export type MetricRollupsTable = { tenant_id: string; period: string; start: number } & Record<RollupDimension, string> &
  Record<Counter, number> &
  Record<CountMapName, unknown>

/** The latest validation, kept on the interaction by the validation store alone (ingest and updates leave it). */
export interface LatestValidationColumns {
  validation_passed: number | null
  validation_score: number | null
  validation_user_edited: number | null
}

export interface InteractionsTable {
  tenant_id: string
  id: string
  ts: number
  received_ts: number
  user_id: string | null
  thread_id: string | null
  session_id: string | null
  type: string | null
  category: string | null
  status: string
  provider: string | null
  model: string | null
  prompt_version: string | null
  message_type: string | null
  error_type: string | null
  latency_ms: number | null
  prompt_tokens: number | null
  completion_tokens: number | null
  total_tokens: number | null
  cached_tokens: number | null
  reasoning_tokens: number | null
  cost_usd: number | null
  confidence: number | null
  handoff: number | null
  all_variables_present: number | null
  size_bytes: number
  handoff_reason: string | null
  /** JSON array of the required variables that were missing. */
  missing_variables: string | null
  feedback_kind: string | null
  feedback_quality_score: number | null
  /** The normalised interaction as JSON (TEXT in SQLite, JSONB in PostgreSQL), but for its compressed fields. */
  data: unknown
  /** The fields over the compression threshold, as compressed JSON; null when there are none. */
  payload: Buffer | null
}

/** Column order used by the bulk insert paths of both adapters. */
export const INTERACTION_COLUMNS = [
  'tenant_id',
  'id',
  'ts',
  'received_ts',
  'user_id',
  'thread_id',
  'session_id',
  'type',
  'category',
  'status',
  'provider',
  'model',
  'prompt_version',
  'message_type',
  'error_type',
  'latency_ms',
  'prompt_tokens',
  'completion_tokens',
  'total_tokens',
  'cached_tokens',
  'reasoning_tokens',
  'cost_usd',
  'confidence',
  'handoff',
  'all_variables_present',
  'size_bytes',
  'handoff_reason',
  'missing_variables',
  'feedback_kind',
  'feedback_quality_score',
  'data',
  'payload',
] as const satisfies readonly (keyof InteractionsTable)[]
