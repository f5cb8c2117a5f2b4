import type { Feedback, Interaction, Validation } from '@interlog/schema'
import type { MetricSource } from '../analytics/rollup-deltas.js'
import type { ArchivableRow, RestoredInteraction } from '../store/archive-store.js'
import { METRIC_COLUMNS, metricSourceOf, toInteractionColumns, type MetricColumns } from '../store/kysely/interaction.rows.js'

/** The version of the line format below; manifests carry it. */
export const ARCHIVE_SCHEMA_VERSION = 1

/** One archived interaction: what `GET /v1/interactions/:id` showed, plus its feedback and validation histories. */
export interface ArchivedRecord {
  interaction: Interaction
  feedback: Feedback[]
  validations: Validation[]
}

/**
 * One JSON line: the interaction as the API shows it (tenant, size, latest feedback and validation
 * included) and, when it has any, its `feedback` and `validations` histories. Built around the stored JSON text rather than re-serialising
 * the object, which is most of the cost of archiving a row.
 */
export function archiveLine(tenantId: string, row: ArchivableRow): string {
  let head = `{"tenant_id":${JSON.stringify(tenantId)},"size_bytes":${row.size_bytes},`
  if (row.feedback_kind !== null) head += `"feedback_kind":${JSON.stringify(row.feedback_kind)},`
  if (row.feedback_quality_score !== null) head += `"feedback_quality_score":${row.feedback_quality_score},`
  if (row.feedback.length > 0) head += `"feedback":${JSON.stringify(row.feedback)},`
  if (row.validation_passed !== null) head += `"validation_passed":${row.validation_passed},`
  if (row.validation_score !== null) head += `"validation_score":${row.validation_score},`
  if (row.validation_user_edited !== null) head += `"validation_user_edited":${row.validation_user_edited},`
  if (row.validations.length > 0) head += `"validations":${JSON.stringify(row.validations)},`
  return head + row.data.trimStart().slice(1)
}

export function parseLine(line: string): ArchivedRecord {
  const { feedback, validations, ...interaction } = JSON.parse(line) as Interaction & { feedback?: Feedback[]; validations?: Validation[] }
  return { interaction, feedback: feedback ?? [], validations: validations ?? [] }
}

/** The record as the hot store takes it back. */
export function restoredFrom(record: ArchivedRecord): RestoredInteraction {
  const { feedback_kind, feedback_quality_score, validation_passed, validation_score, validation_user_edited, size_bytes: _size, ...interaction } =
    record.interaction
  return {
    row: { interaction: interaction as Interaction, ts: Date.parse(interaction.timestamp), received_ts: Date.parse(interaction.received_at) },
    feedback_kind: feedback_kind ?? null,
    feedback_quality_score: feedback_quality_score ?? null,
    validation_passed: validation_passed ?? null,
    validation_score: validation_score ?? null,
    validation_user_edited: validation_user_edited ?? null,
    feedback: record.feedback,
    validations: record.validations,
  }
}

/** How the record counts in metrics (the same columns the hot row had). */
export function metricSourceOfRecord(tenantId: string, record: ArchivedRecord): MetricSource {
  const restored = restoredFrom(record)
  // Only the metric columns are read, so the JSON (which sets the size) need not be built.
  const unencoded = { data: '', payload: null, sizeBytes: 0 }
  const columns = { ...toInteractionColumns(tenantId, restored.row, unencoded), feedback_kind: restored.feedback_kind, feedback_quality_score: restored.feedback_quality_score }
  return metricSourceOf(Object.fromEntries(METRIC_COLUMNS.map((column) => [column, columns[column]])) as MetricColumns)
}
