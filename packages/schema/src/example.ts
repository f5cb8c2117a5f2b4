import { z } from 'zod'
import { Identifier, JsonObject, JsonValue } from './common.js'
import { Paging } from './query.js'

const Tags = z.array(z.string().min(1).max(128)).max(32)

export const ExampleInput = z
  .strictObject({
    interaction_id: z.string().min(1).max(128).optional().meta({
      description: "copy the input and output of this interaction (and its type and category unless given)",
    }),
    input: JsonValue.optional().meta({ description: 'the prompt side; required without interaction_id, else it replaces the copied input' }),
    output: JsonValue.optional().meta({ description: 'the ideal answer; required without interaction_id, else it replaces the copied output' }),
    quality_score: z.number().min(0).max(100).optional(),
    type: Identifier.optional(),
    category: Identifier.optional(),
    tags: Tags.optional(),
    metadata: JsonObject.optional(),
  })
  .meta({ id: 'ExampleCreate' })
export type ExampleInput = z.infer<typeof ExampleInput>

export const Example = z
  .object({
    id: z.string(),
    interaction_id: z.string().nullable().meta({ description: 'the source interaction; null for raw examples and once the source is deleted' }),
    user_id: z.string().nullable().meta({ description: "the source interaction's end user (or the user of the key that created it)" }),
    input: z.unknown(),
    output: z.unknown(),
    quality_score: z.number().nullable(),
    type: z.string().nullable(),
    category: z.string().nullable(),
    tags: z.array(z.string()),
    metadata: JsonObject.nullable(),
    usage_count: z.number().int().meta({ description: 'how many times the example was exported' }),
    last_used_at: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({ id: 'Example' })
export type Example = z.infer<typeof Example>

export const ExampleListQuery = z.strictObject({
  type: Identifier.optional(),
  category: Identifier.optional(),
  tag: z.string().min(1).max(128).optional(),
  min_quality: z.coerce.number().min(0).max(100).optional().meta({ description: 'quality_score at least this' }),
  interaction_id: z.string().min(1).max(128).optional().meta({ description: 'examples copied from this interaction' }),
  ...Paging,
})
export type ExampleListQuery = z.infer<typeof ExampleListQuery>

export const ExampleList = z
  .object({ examples: z.array(Example), total_count: z.number().int(), returned_count: z.number().int(), limit: z.number().int(), offset: z.number().int() })
  .meta({ id: 'ExampleList' })
export type ExampleList = z.infer<typeof ExampleList>
