import { z } from 'zod'
import { Identifier, IsoDateTime } from './common.js'
import { FEEDBACK_KINDS } from './feedback.js'
import { Interaction, InteractionStatus } from './interaction.js'

const optionalNumber = z.coerce.number().nonnegative().optional()
const optionalBetween = (min: number, max: number) => z.coerce.number().min(min).max(max).optional()

export const InteractionFilters = {
  user_id: Identifier.optional(),
  thread_id: Identifier.optional(),
  session_id: Identifier.optional(),
  type: Identifier.optional(),
  category: Identifier.optional(),
  status: InteractionStatus.optional(),
  model: Identifier.optional(),
  provider: Identifier.optional(),
  tag: z.string().min(1).max(128).optional(),
  from: IsoDateTime.optional().meta({ description: 'inclusive lower bound on timestamp' }),
  to: IsoDateTime.optional().meta({ description: 'exclusive upper bound on timestamp' }),
  min_latency_ms: optionalNumber,
  max_latency_ms: optionalNumber,
  q: z.string().min(1).max(512).optional().meta({
    description: 'full-text search in user message, assistant response, rendered prompt and error message: words, "phrases", prefix*',
  }),
  feedback_kind: z.enum([...FEEDBACK_KINDS, 'any']).optional().meta({ description: 'kind of the latest feedback; any = has feedback' }),
  min_quality_score: optionalBetween(0, 100).meta({ description: 'latest feedback quality score at least this (0-100)' }),
  max_quality_score: optionalBetween(0, 100).meta({ description: 'latest feedback quality score at most this (0-100)' }),
  min_confidence: optionalBetween(0, 1).meta({ description: 'confidence at least this (0-1)' }),
  max_confidence: optionalBetween(0, 1).meta({ description: 'confidence at most this (0-1)' }),
  handoff: z.stringbool().optional().meta({ description: 'true: handed off to a human; false: explicitly not handed off' }),
}

/** Orders a list can take. Every one but relevance pages with `next_cursor`. */
export const LIST_SORTS = ['newest', 'oldest', 'slowest', 'costliest', 'relevance'] as const
export type ListSort = (typeof LIST_SORTS)[number]

/** Offset paging of lists: newest first, 50 by default, 200 at most. */
export const Paging = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
}

export const InteractionListQuery = z.strictObject({
  ...InteractionFilters,
  ...Paging,
  cursor: z.string().min(1).max(512).optional().meta({ description: 'next_cursor of a previous page (keyset paging)' }),
  sort: z.enum(LIST_SORTS).default('newest').meta({
    description:
      'newest / oldest by timestamp; slowest by latency, costliest by cost (interactions without one last); relevance needs q and pages with offset',
  }),
})
export type InteractionListQuery = z.infer<typeof InteractionListQuery>

export const InteractionList = z
  .object({
    interactions: z.array(Interaction),
    total_count: z.number().int(),
    total_count_exact: z.boolean().meta({
      description: 'false when total_count is a lower bound: a full-text search matching more than 10,000 rows counts only that many',
    }),
    returned_count: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
    next_cursor: z.string().nullable(),
  })
  .meta({ id: 'InteractionList' })
export type InteractionList = z.infer<typeof InteractionList>

export const Thread = z
  .object({ thread_id: z.string(), interactions: z.array(Interaction), returned_count: z.number().int() })
  .meta({ id: 'Thread' })
