import { z } from 'zod'
import { Identifier, IsoDateTime } from './common.js'
import { Interaction, InteractionStatus } from './interaction.js'

const optionalNumber = z.coerce.number().nonnegative().optional()

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
}

/** Offset paging of lists: newest first, 50 by default, 200 at most. */
export const Paging = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
}

export const InteractionListQuery = z.strictObject({
  ...InteractionFilters,
  ...Paging,
  cursor: z.string().min(1).max(512).optional().meta({ description: 'next_cursor of a previous page (keyset paging)' }),
  sort: z.enum(['newest', 'relevance']).default('newest').meta({ description: 'relevance needs q; it pages with offset' }),
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
