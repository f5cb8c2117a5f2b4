import { z } from 'zod'
import { JsonValue } from './common.js'

/** A validation error or warning: a message, or an object such as `{"path": "items[2]", "message": "..."}`. */
const ValidationMessage = z.union([z.string().max(10_000), z.record(z.string(), z.unknown())])

export const ValidationInput = z
  .strictObject({
    passed: z.boolean(),
    score: z.number().min(0).max(100).optional(),
    errors: z.array(ValidationMessage).max(1000).optional(),
    warnings: z.array(ValidationMessage).max(1000).optional(),
    duration_ms: z.number().nonnegative().optional().meta({ description: 'how long the validation took' }),
    original: JsonValue.optional().meta({
      description: "the output as generated; default: the interaction's structured_output, else its assistant_response",
    }),
    edited: JsonValue.optional().meta({ description: 'the output after the user edited it; the server computes the diff to the original' }),
  })
  .meta({ id: 'ValidationCreate' })
export type ValidationInput = z.infer<typeof ValidationInput>

export const JsonDiff = z
  .object({
    added: z.array(z.string()).meta({ description: 'paths only in the edited value, e.g. items[3]' }),
    removed: z.array(z.string()).meta({ description: 'paths only in the original value' }),
    modified: z.array(z.string()).meta({ description: 'paths whose value changed, e.g. items[2].title; $ is the whole value' }),
    truncated: z.boolean().meta({ description: 'true when there were more changed paths than are listed (1,000 at most)' }),
  })
  .meta({ id: 'JsonDiff' })
export type JsonDiff = z.infer<typeof JsonDiff>

export const Validation = z
  .object({
    id: z.string(),
    interaction_id: z.string(),
    passed: z.boolean(),
    score: z.number().nullable(),
    errors: z.array(ValidationMessage),
    warnings: z.array(ValidationMessage),
    duration_ms: z.number().nullable(),
    original: z.unknown().nullable(),
    edited: z.unknown().nullable(),
    diff: JsonDiff.nullable().meta({ description: 'from the original to the edited value; null when no edited value was sent' }),
    user_edited: z.boolean().meta({ description: 'whether the edited value differs from the original' }),
    created_at: z.string(),
  })
  .meta({ id: 'Validation' })
export type Validation = z.infer<typeof Validation>
