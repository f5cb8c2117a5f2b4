import { z } from 'zod'
import { Identifier, IsoDateTime, JsonObject, JsonValue } from './common.js'

const count = z.number().int().nonnegative()
const unitInterval = z.number().min(0).max(1)

export const InteractionStatus = z.enum(['success', 'failure', 'partial'])
export type InteractionStatus = z.infer<typeof InteractionStatus>

/** A chat message in the OpenAI shape; extra keys (name, tool_calls, tool_call_id, ...) are kept. */
export const ChatMessage = z.looseObject({
  role: z.string().min(1),
  content: z.union([z.string(), z.array(z.unknown()), z.null()]).optional(),
})
export type ChatMessage = z.infer<typeof ChatMessage>

export const ToolCall = z.strictObject({
  id: z.string().max(256).optional(),
  name: z.string().min(1).max(256),
  arguments: JsonValue.optional(),
  result: JsonValue.optional(),
  status: z.enum(['success', 'failure', 'pending']).optional(),
  error: z.string().optional(),
  latency_ms: z.number().nonnegative().optional(),
})
export type ToolCall = z.infer<typeof ToolCall>

export const Intent = z.strictObject({ name: z.string().min(1), confidence: unitInterval.optional() })

/** Fields a client may send. Unknown top-level keys are rejected so that typos surface. */
export const interactionInputShape = {
  id: z.string().min(1).max(128).optional().meta({
    description: 'Client-supplied id; also the idempotency key. Server ids are UUIDv7.',
  }),
  timestamp: IsoDateTime.optional().meta({ description: 'When the exchange started; defaults to receipt time' }),
  ended_at: IsoDateTime.optional(),
  latency_ms: z.number().nonnegative().optional(),

  user_id: Identifier.optional(),
  thread_id: Identifier.optional(),
  session_id: Identifier.optional(),
  type: Identifier.optional().meta({ description: 'e.g. chat, outline_generation' }),
  category: Identifier.optional(),
  tags: z.array(z.string().min(1).max(128)).max(64).optional(),
  metadata: JsonObject.optional(),

  provider: Identifier.optional(),
  model: Identifier.optional(),
  model_version: Identifier.optional(),
  prompt_id: Identifier.optional(),
  prompt_version: Identifier.optional(),
  model_parameters: JsonObject.optional(),

  user_message: z.string().optional(),
  messages: z.array(ChatMessage).optional(),
  rendered_prompt: z.string().optional(),
  input_variables: JsonObject.optional(),
  required_variables: z.array(z.string().min(1)).optional(),

  assistant_response: z.string().optional(),
  structured_output: JsonValue.optional(),
  raw_response: JsonValue.optional(),
  finish_reason: z.string().max(64).optional(),

  tool_calls: z.array(ToolCall).optional(),

  prompt_tokens: count.optional(),
  completion_tokens: count.optional(),
  total_tokens: count.optional(),
  cached_tokens: count.optional(),
  reasoning_tokens: count.optional(),
  cost_usd: z.number().nonnegative().optional(),

  status: InteractionStatus.optional().meta({ description: 'Defaults to failure when an error is present, else success' }),
  error_message: z.string().optional(),
  error_type: z.string().max(256).optional(),
  error_details: JsonValue.optional(),

  intents: z.array(Intent).optional(),
  confidence: unitInterval.optional(),
  handoff: z.boolean().optional(),
  handoff_reason: z.string().optional(),
  message_type: Identifier.optional(),
  context_size: count.optional(),
}

export const InteractionInput = z.strictObject(interactionInputShape).meta({ id: 'InteractionCreate' })
export type InteractionInput = z.infer<typeof InteractionInput>

/** An interaction as stored and returned: the input plus what the server derived. */
export const Interaction = z
  .object({
    ...interactionInputShape,
    id: z.string(),
    tenant_id: z.string(),
    timestamp: z.string(),
    status: InteractionStatus,
    missing_variables: z.array(z.string()).optional(),
    all_variables_present: z.boolean().optional(),
    cost_estimated: z.boolean().optional(),
    size_bytes: z.number().int().optional(),
    received_at: z.string(),
    feedback_kind: z.string().optional().meta({ description: 'kind of the latest feedback' }),
    feedback_quality_score: z.number().optional().meta({ description: 'quality score of the latest feedback that had one' }),
    validation_passed: z.boolean().optional().meta({ description: 'whether the latest validation passed' }),
    validation_score: z.number().optional().meta({ description: 'score of the latest validation, when it had one' }),
    validation_user_edited: z.boolean().optional().meta({ description: 'whether the latest validation recorded a user edit' }),
  })
  .meta({ id: 'Interaction' })
export type Interaction = z.infer<typeof Interaction>

export const MAX_BATCH_ITEMS = 1000

export const InteractionBatchInput = z
  .strictObject({ interactions: z.array(InteractionInput).min(1).max(MAX_BATCH_ITEMS) })
  .meta({ id: 'InteractionBatch' })

export const IngestAck = z
  .object({ id: z.string(), timestamp: z.string(), status: InteractionStatus, duplicate: z.boolean() })
  .meta({ id: 'IngestAck' })
export type IngestAck = z.infer<typeof IngestAck>

export const BatchItemResult = z.object({
  index: z.number().int(),
  id: z.string().optional(),
  status: z.union([z.literal(201), z.literal(200), z.literal(400), z.literal(403), z.literal(409)]),
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }).optional(),
})
export type BatchItemResult = z.infer<typeof BatchItemResult>

export const BatchResult = z
  .object({ results: z.array(BatchItemResult), created: z.number().int(), duplicates: z.number().int(), failed: z.number().int() })
  .meta({ id: 'BatchResult' })
export type BatchResult = z.infer<typeof BatchResult>
