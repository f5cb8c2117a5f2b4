import { describeError } from '../errors.js'
import { isPlainObject } from '../merge-fields.js'
import type { FeedbackInput, TrackInput } from '../types.js'
import * as checks from './field-checks.js'
import { FEEDBACK_KINDS, type WireFeedback, type WireInteraction } from './wire-types.js'

type FieldTable = Record<string, readonly [wireName: string, check: checks.FieldCheck]>

/**
 * camelCase name → [wire name, check]. Only names listed here are sent, so the server (which rejects
 * unknown top-level keys) never refuses an interaction for a typo; `id` and `error` are handled apart.
 */
const INTERACTION_FIELDS: FieldTable = {
  timestamp: ['timestamp', checks.time],
  endedAt: ['ended_at', checks.time],
  latencyMs: ['latency_ms', checks.nonNegative],
  userId: ['user_id', checks.identifier],
  threadId: ['thread_id', checks.identifier],
  sessionId: ['session_id', checks.identifier],
  type: ['type', checks.identifier],
  category: ['category', checks.identifier],
  tags: ['tags', checks.tags],
  metadata: ['metadata', checks.object],
  provider: ['provider', checks.identifier],
  model: ['model', checks.identifier],
  modelVersion: ['model_version', checks.identifier],
  promptId: ['prompt_id', checks.identifier],
  promptVersion: ['prompt_version', checks.identifier],
  modelParameters: ['model_parameters', checks.object],
  userMessage: ['user_message', checks.text],
  messages: ['messages', checks.messages],
  renderedPrompt: ['rendered_prompt', checks.text],
  inputVariables: ['input_variables', checks.object],
  requiredVariables: ['required_variables', checks.stringList],
  assistantResponse: ['assistant_response', checks.text],
  structuredOutput: ['structured_output', checks.json],
  rawResponse: ['raw_response', checks.json],
  finishReason: ['finish_reason', checks.shortText(64)],
  toolCalls: ['tool_calls', checks.toolCalls],
  promptTokens: ['prompt_tokens', checks.count],
  completionTokens: ['completion_tokens', checks.count],
  totalTokens: ['total_tokens', checks.count],
  cachedTokens: ['cached_tokens', checks.count],
  reasoningTokens: ['reasoning_tokens', checks.count],
  costUsd: ['cost_usd', checks.nonNegative],
  status: ['status', checks.interactionStatus],
  errorMessage: ['error_message', checks.text],
  errorType: ['error_type', checks.shortText(256)],
  errorDetails: ['error_details', checks.json],
  intents: ['intents', checks.intents],
  confidence: ['confidence', checks.unitInterval],
  handoff: ['handoff', checks.boolean],
  handoffReason: ['handoff_reason', checks.text],
  messageType: ['message_type', checks.identifier],
  contextSize: ['context_size', checks.count],
}

export interface Converted<T> {
  wire: T
  /** One line per field that was dropped, for the `invalid_input` report. */
  problems: string[]
}

/** Builds the wire interaction; `recordedAt` (epoch ms of the track call) is the default timestamp. */
export function toWireInteraction(id: string, recordedAt: number, input: TrackInput): Converted<WireInteraction> {
  const wire: Record<string, unknown> = { id, timestamp: new Date(recordedAt).toISOString() }
  const problems: string[] = []
  const fields = input as Record<string, unknown>
  for (const key of Object.keys(fields)) {
    const value = fields[key]
    if (value === undefined || key === 'id' || key === 'error') continue
    const field = INTERACTION_FIELDS[key]
    if (!field) {
      problems.push(`unknown field "${key}" (put extra data in metadata)`)
      continue
    }
    const checked = field[1].check(value)
    if (checked === checks.INVALID) problems.push(`${key} must be ${field[1].expected}`)
    else wire[field[0]] = checked
  }
  if (input.error !== undefined) applyError(wire, input.error)
  return { wire: wire as unknown as WireInteraction, problems }
}

/** The `error` convenience fills what the caller did not set explicitly. */
function applyError(wire: Record<string, unknown>, error: unknown): void {
  const described = describeError(error)
  wire.error_message ??= described.message
  wire.error_type ??= described.type.slice(0, 256)
  if (described.details) wire.error_details ??= described.details
  wire.status ??= 'failure'
}

const FEEDBACK_KIND_SET = new Set<string>(FEEDBACK_KINDS)

export function toWireFeedback(input: FeedbackInput): Converted<WireFeedback | undefined> {
  const problems: string[] = []
  if (!isPlainObject(input) || !FEEDBACK_KIND_SET.has(input.kind as string)) {
    return { wire: undefined, problems: [`kind must be one of ${FEEDBACK_KINDS.join(', ')}`] }
  }
  const wire: WireFeedback = { kind: input.kind }
  const add = <K extends keyof WireFeedback>(name: string, wireName: K, value: unknown, valid: boolean) => {
    if (value === undefined) return
    if (valid) wire[wireName] = value as WireFeedback[K]
    else problems.push(`${name} is invalid`)
  }
  add('sentiment', 'sentiment', input.sentiment, isInRange(input.sentiment, 1, 5))
  add('qualityScore', 'quality_score', input.qualityScore, isInRange(input.qualityScore, 0, 100))
  add('comment', 'comment', input.comment, typeof input.comment === 'string')
  add('correction', 'correction', input.correction, typeof input.correction === 'string')
  add('categories', 'categories', input.categories, checks.stringList.check(input.categories) !== checks.INVALID)
  return { wire, problems }
}

function isInRange(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max
}
