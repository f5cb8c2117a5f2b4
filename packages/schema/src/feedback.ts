import { z } from 'zod'

export const FEEDBACK_KINDS = ['thumbs_up', 'thumbs_down', 'accepted', 'rejected', 'modified', 'edit', 'report'] as const

export const FeedbackInput = z
  .strictObject({
    kind: z.enum(FEEDBACK_KINDS),
    sentiment: z.number().int().min(1).max(5).optional(),
    quality_score: z.number().min(0).max(100).optional(),
    comment: z.string().max(10_000).optional(),
    correction: z.unknown().optional().meta({ description: 'the corrected output: text, or JSON for structured output' }),
    categories: z.array(z.string().min(1).max(128)).max(32).optional().meta({ description: 'issue categories' }),
  })
  .meta({ id: 'FeedbackCreate' })
export type FeedbackInput = z.infer<typeof FeedbackInput>

export const Feedback = z
  .object({
    id: z.string(),
    interaction_id: z.string(),
    kind: z.enum(FEEDBACK_KINDS),
    sentiment: z.number().nullable(),
    quality_score: z.number().nullable(),
    comment: z.string().nullable(),
    correction: z.unknown().nullable(),
    categories: z.array(z.string()),
    edit_distance: z.number().int().nullable().meta({ description: 'Levenshtein distance from the original output to the correction' }),
    created_at: z.string(),
  })
  .meta({ id: 'Feedback' })
export type Feedback = z.infer<typeof Feedback>
