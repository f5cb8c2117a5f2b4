import type { Interaction } from '@interlog/schema'
import type { InteractionRow } from '../store.js'
import type { MetricRow } from '../../analytics/metric-aggregate.js'
import type { MetricSource } from '../../analytics/rollup-deltas.js'
import type { InteractionsTable, LatestValidationColumns } from './database.js'
import type { EncodedInteraction, PayloadCodec } from './payload-codec.js'

const flag = (value: boolean | undefined): number | null => (value === undefined ? null : value ? 1 : 0)

/** The promoted (filterable, aggregatable) columns of a row, plus the interaction's JSON and compressed payload. */
export function toInteractionColumns(tenantId: string, row: InteractionRow, encoded: EncodedInteraction): InteractionsTable {
  const it = row.interaction
  return {
    tenant_id: tenantId,
    id: it.id,
    ts: row.ts,
    received_ts: row.received_ts,
    user_id: it.user_id ?? null,
    thread_id: it.thread_id ?? null,
    session_id: it.session_id ?? null,
    type: it.type ?? null,
    category: it.category ?? null,
    status: it.status,
    provider: it.provider ?? null,
    model: it.model ?? null,
    prompt_version: it.prompt_version ?? null,
    message_type: it.message_type ?? null,
    error_type: it.error_type ?? null,
    latency_ms: it.latency_ms ?? null,
    prompt_tokens: it.prompt_tokens ?? null,
    completion_tokens: it.completion_tokens ?? null,
    total_tokens: it.total_tokens ?? null,
    cached_tokens: it.cached_tokens ?? null,
    reasoning_tokens: it.reasoning_tokens ?? null,
    cost_usd: it.cost_usd ?? null,
    confidence: it.confidence ?? null,
    handoff: flag(it.handoff),
    all_variables_present: flag(it.all_variables_present),
    size_bytes: encoded.sizeBytes,
    handoff_reason: it.handoff_reason ?? null,
    missing_variables: it.missing_variables && it.missing_variables.length > 0 ? JSON.stringify(it.missing_variables) : null,
    feedback_kind: null,
    feedback_quality_score: null,
    data: encoded.data,
    payload: encoded.payload,
  }
}

export interface StoredColumns extends LatestValidationColumns {
  tenant_id: string
  data: unknown
  payload: Buffer | null
  size_bytes: number
  feedback_kind: string | null
  feedback_quality_score: number | null
}

/** What an interaction shows of its latest feedback and validation: columns the row keeps beside its JSON. */
export const LATEST_COLUMNS = ['feedback_kind', 'feedback_quality_score', 'validation_passed', 'validation_score', 'validation_user_edited'] as const

/** Drops the fields that come from the latest feedback and validation, which only their own stores change. */
export function withoutLatest(interaction: Interaction): Interaction {
  const { feedback_kind: _kind, feedback_quality_score: _quality, validation_passed: _passed, validation_score: _score, validation_user_edited: _edited, ...rest } =
    interaction
  return rest
}

/** The stored JSON omits the tenant and the size (they are columns) and the compressed fields; reads put them back. */
export function fromStoredRow(row: StoredColumns, codec: PayloadCodec): Interaction {
  const { id, ...body } = codec.decode(row.data, row.payload) as Omit<Interaction, 'tenant_id'>
  const interaction = { id, tenant_id: row.tenant_id, ...body, size_bytes: Number(row.size_bytes) } as Interaction
  if (row.feedback_kind !== null) interaction.feedback_kind = row.feedback_kind
  if (row.feedback_quality_score !== null) interaction.feedback_quality_score = Number(row.feedback_quality_score)
  if (row.validation_passed !== null) interaction.validation_passed = row.validation_passed === 1
  if (row.validation_score !== null) interaction.validation_score = Number(row.validation_score)
  if (row.validation_user_edited !== null) interaction.validation_user_edited = row.validation_user_edited === 1
  return interaction
}

/** The interaction columns metrics read. */
export type MetricColumns = Pick<InteractionsTable, 'ts' | 'type' | 'model' | 'provider' | keyof MetricRow>

export const METRIC_COLUMNS = [
  'ts',
  'type',
  'model',
  'provider',
  'status',
  'latency_ms',
  'prompt_tokens',
  'completion_tokens',
  'cached_tokens',
  'reasoning_tokens',
  'total_tokens',
  'cost_usd',
  'confidence',
  'handoff',
  'handoff_reason',
  'all_variables_present',
  'missing_variables',
  'feedback_kind',
  'feedback_quality_score',
] as const satisfies readonly (keyof MetricColumns)[]

/** How an interaction's columns count in metrics and rollups. */
export function metricSourceOf(columns: MetricColumns): MetricSource {
  return {
    ts: Number(columns.ts),
    dims: { type: columns.type ?? '', model: columns.model ?? '', provider: columns.provider ?? '', status: columns.status },
    row: {
      ...columns,
      missing_variables: columns.missing_variables ? (JSON.parse(columns.missing_variables) as string[]) : null,
    },
  }
}
