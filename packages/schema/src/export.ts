import { z } from 'zod'
import { InteractionFilters } from './query.js'

export const EXPORT_FORMATS = ['json', 'csv', 'jsonl', 'openai-chat', 'openai-dpo', 'trl'] as const
export const ExportFormat = z.enum(EXPORT_FORMATS)
export type ExportFormat = z.infer<typeof ExportFormat>

/** Latest feedback kinds that flag an interaction: `exclude_flagged` leaves such interactions out. */
export const FLAGGED_FEEDBACK_KINDS = ['report', 'thumbs_down', 'rejected'] as const

const flag = (description: string) => z.stringbool().optional().meta({ description })

/**
 * Every filter of `GET /v1/interactions` plus the export's own. The list's paging parameters are
 * accepted and ignored, so a client can pass the query string of the view it shows unchanged.
 */
export const ExportQuery = z.strictObject({
  ...InteractionFilters,
  format: ExportFormat.default('jsonl'),
  source: z.enum(['interactions', 'examples']).default('interactions').meta({
    description: 'interactions, or curated examples (filtered by type, category, tag, min_quality as their quality_score; each export raises their usage_count)',
  }),
  success_only: flag('only interactions with status success'),
  with_feedback_only: flag('only interactions that have feedback'),
  min_quality: z.coerce.number().min(0).max(100).optional().meta({
    description: 'only interactions whose latest feedback quality score is at least this (0-100); unscored ones are left out',
  }),
  exclude_flagged: flag(`leave out interactions whose latest feedback is ${FLAGGED_FEEDBACK_KINDS.join(', ')}`),
  max_rows: z.coerce.number().int().min(1).optional().meta({ description: 'stop after writing this many rows' }),
  include_archived: flag(
    'also archived interactions matching the same filters, after the hot ones (newest archived object first); not with q or source=examples',
  ),
  limit: z.string().optional().meta({ description: 'ignored (a list paging parameter): the export covers every matching row' }),
  offset: z.string().optional().meta({ description: 'ignored (a list paging parameter)' }),
  cursor: z.string().optional().meta({ description: 'ignored (a list paging parameter)' }),
  sort: z.string().optional().meta({ description: 'ignored: exports are written newest first' }),
})
export type ExportQuery = z.infer<typeof ExportQuery>

export const ExportSummary = z
  .object({
    format: ExportFormat,
    records_read: z.number().int().meta({ description: 'matching records the export read' }),
    rows_written: z.number().int().meta({ description: 'rows (lines, array items or CSV records) written; openai-dpo writes one per pair' }),
    skipped_count: z.number().int(),
    skipped: z.record(z.string(), z.number().int()).meta({ description: 'records left out, by reason (e.g. no_assistant_message)' }),
    truncated: z.boolean().meta({ description: 'true when max_rows stopped the export early' }),
  })
  .meta({ id: 'ExportSummary' })
export type ExportSummary = z.infer<typeof ExportSummary>
