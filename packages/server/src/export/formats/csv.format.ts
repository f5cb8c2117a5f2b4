import type { Interaction } from '@interlog/schema'
import { stringify, type Options } from 'csv-stringify/sync'
import type { ExportFormatSpec } from './format-writer.js'

/** Flat fields, one column each, in this order; nested ones follow as JSON text. */
const FLAT_COLUMNS = [
  'id',
  'timestamp',
  'user_id',
  'thread_id',
  'session_id',
  'type',
  'category',
  'status',
  'provider',
  'model',
  'model_version',
  'prompt_id',
  'prompt_version',
  'user_message',
  'rendered_prompt',
  'assistant_response',
  'finish_reason',
  'latency_ms',
  'prompt_tokens',
  'completion_tokens',
  'total_tokens',
  'cached_tokens',
  'reasoning_tokens',
  'cost_usd',
  'error_type',
  'error_message',
  'confidence',
  'handoff',
  'handoff_reason',
  'message_type',
  'all_variables_present',
  'feedback_kind',
  'feedback_quality_score',
] as const satisfies readonly (keyof Interaction)[]

const JSON_COLUMNS = [
  'tags',
  'messages',
  'tool_calls',
  'structured_output',
  'input_variables',
  'missing_variables',
  'intents',
  'model_parameters',
  'metadata',
  'error_details',
] as const satisfies readonly (keyof Interaction)[]

export const CSV_COLUMNS: readonly string[] = [...FLAT_COLUMNS, ...JSON_COLUMNS]

const OPTIONS: Options = {
  // A cell starting with = + - @ would run as a formula in a spreadsheet: it gets a leading quote.
  escape_formulas: true,
  cast: { boolean: (value) => String(value) },
}

function cells(interaction: Interaction): unknown[] {
  const row: unknown[] = FLAT_COLUMNS.map((column) => interaction[column])
  for (const column of JSON_COLUMNS) {
    const value = interaction[column]
    row.push(value === undefined ? undefined : JSON.stringify(value))
  }
  return row
}

/** `csv`: a header, then one record per interaction; nested fields as JSON text. */
export const csvFormat: ExportFormatSpec = {
  mediaType: 'text/csv; charset=utf-8',
  extension: 'csv',
  view: 'full',
  create: () => ({
    start: (out) => out.text(stringify([CSV_COLUMNS], OPTIONS)),
    write: (record, out) => out.row(stringify([cells(record.interaction)], OPTIONS)),
    end() {},
  }),
}
