import type { InteractionInput } from '@interlog/schema'
import { lastUserText, readInputMessages, readOutput } from './genai.messages.js'
import { AttributeReader } from './otlp.attributes.js'
import { STATUS_CODE_ERROR, type Attributes, type OtlpSpan, type ReceivedSpan } from './otlp.model.js'

/**
 * Span → interaction, for spans that describe a model call. Reads both generations of the GenAI
 * semantic conventions; every attribute it does not map is kept verbatim in `metadata`, beside
 * `metadata.otel` (ids, span name, scope, resource).
 */

export type SpanRole = 'model_call' | 'tool_call' | 'other'

/** Operations that are one call to a model (agent operations wrap several and would count usage twice). */
const MODEL_OPERATIONS = new Set(['chat', 'text_completion', 'generate_content', 'embeddings', 'completion'])

export function spanRole(attributes: Attributes): SpanRole {
  const operation = attributes['gen_ai.operation.name']
  if (operation === 'execute_tool' || typeof attributes['ai.toolCall.name'] === 'string') return 'tool_call'
  if (typeof operation === 'string' && operation !== '') return MODEL_OPERATIONS.has(operation) ? 'model_call' : 'other'
  // The older conventions have no operation name: a request type, or a provider with a model.
  if ('llm.request.type' in attributes) return 'model_call'
  const provider = 'gen_ai.system' in attributes || 'gen_ai.provider.name' in attributes
  const model = 'gen_ai.request.model' in attributes || 'gen_ai.response.model' in attributes
  return provider && model ? 'model_call' : 'other'
}

/** Deterministic, so the same span sent twice is one interaction (the id is the idempotency key). */
export const interactionIdOf = (traceId: string, spanId: string) => `otel-${traceId}-${spanId}`

const isZero = (hex: string) => /^0+$/.test(hex)

/** Why a span cannot be stored (its ids name it), or undefined when it can. */
export function invalidIds(span: OtlpSpan): string | undefined {
  if (!/^[0-9a-f]{32}$/.test(span.traceId) || isZero(span.traceId)) return `invalid trace id '${span.traceId}' (expected 16 non-zero bytes)`
  if (!/^[0-9a-f]{16}$/.test(span.spanId) || isZero(span.spanId)) return `invalid span id '${span.spanId}' (expected 8 non-zero bytes)`
  return undefined
}

export const validParentSpanId = (span: OtlpSpan): string | undefined =>
  /^[0-9a-f]{16}$/.test(span.parentSpanId) && !isZero(span.parentSpanId) ? span.parentSpanId : undefined

/** gen_ai.request.<name> (and older llm.<name>) → model_parameters.<name>. */
const MODEL_PARAMETERS: [string, string[]][] = [
  ['temperature', ['gen_ai.request.temperature']],
  ['max_tokens', ['gen_ai.request.max_tokens']],
  ['top_p', ['gen_ai.request.top_p']],
  ['top_k', ['gen_ai.request.top_k', 'llm.top_k']],
  ['frequency_penalty', ['gen_ai.request.frequency_penalty', 'llm.frequency_penalty']],
  ['presence_penalty', ['gen_ai.request.presence_penalty', 'llm.presence_penalty']],
  ['seed', ['gen_ai.request.seed']],
  ['stop_sequences', ['gen_ai.request.stop_sequences', 'llm.chat.stop_sequences']],
  ['choice_count', ['gen_ai.request.choice.count']],
  ['stream', ['llm.is_streaming']],
]

function modelParameters(attributes: AttributeReader): Record<string, unknown> | undefined {
  const parameters: Record<string, unknown> = {}
  for (const [name, keys] of MODEL_PARAMETERS) {
    const key = keys.find((candidate) => attributes.has(candidate))
    const value = key === undefined ? undefined : attributes.parameter(key)
    if (value !== undefined) parameters[name] = value
  }
  return Object.keys(parameters).length > 0 ? parameters : undefined
}

function firstFinishReason(attributes: AttributeReader): string | undefined {
  const reasons = attributes.all['gen_ai.response.finish_reasons']
  if (Array.isArray(reasons) && typeof reasons[0] === 'string') {
    attributes.take('gen_ai.response.finish_reasons')
    return reasons[0]
  }
  return attributes.string('gen_ai.response.finish_reasons')
}

/** Span status ERROR → failure, with the status message (or the recorded exception's). */
function outcome(span: OtlpSpan, attributes: AttributeReader): Partial<InteractionInput> {
  if (span.status.code !== STATUS_CODE_ERROR) return {}
  const exception = span.events.find((event) => event.name === 'exception')?.attributes ?? {}
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined)
  const result: Partial<InteractionInput> = {
    status: 'failure',
    error_message: text(span.status.message) ?? text(exception['exception.message']) ?? 'The span ended with status ERROR',
  }
  const type = attributes.string('error.type') ?? text(exception['exception.type'])
  if (type) result.error_type = type.slice(0, 256)
  const stacktrace = text(exception['exception.stacktrace'])
  if (stacktrace) result.error_details = { stacktrace }
  return result
}

/** Drops undefined fields, so the strict input schema only sees what the span had. */
function defined(input: Record<string, unknown>): InteractionInput {
  const result: Record<string, unknown> = {}
  for (const key in input) if (input[key] !== undefined) result[key] = input[key]
  return result as InteractionInput
}

export function mapModelCall({ span, resource, scope }: ReceivedSpan): InteractionInput {
  const attributes = new AttributeReader(span.attributes)
  const model = attributes.string('gen_ai.request.model')
  const responseModel = attributes.string('gen_ai.response.model')
  const messages = readInputMessages(attributes)
  const output = readOutput(attributes)
  const finishReason = firstFinishReason(attributes)
  const parentSpanId = validParentSpanId(span)
  const otherEvents = span.events.filter((event) => event.name !== 'exception')
  const otel = {
    trace_id: span.traceId,
    span_id: span.spanId,
    ...(parentSpanId ? { parent_span_id: parentSpanId } : {}),
    span_name: span.name,
    ...(scope.name ? { scope } : {}),
    ...(Object.keys(resource).length > 0 ? { resource } : {}),
    ...(otherEvents.length > 0 ? { events: otherEvents.map((event) => ({ name: event.name, time: new Date(event.timeMs).toISOString(), attributes: event.attributes })) } : {}),
  }
  const input = defined({
    id: interactionIdOf(span.traceId, span.spanId),
    type: attributes.string('gen_ai.operation.name', 'llm.request.type'),
    provider: attributes.string('gen_ai.provider.name', 'gen_ai.system'),
    model: model ?? responseModel,
    // The response names the exact version the provider ran (gpt-4o-mini → gpt-4o-mini-2024-07-18).
    model_version: model !== undefined && responseModel !== model ? responseModel : undefined,
    user_id: attributes.string('user.id', 'traceloop.association.properties.user_id'),
    session_id: attributes.string('session.id', 'traceloop.association.properties.session_id'),
    thread_id: attributes.string('gen_ai.conversation.id'),
    model_parameters: modelParameters(attributes),
    messages,
    user_message: lastUserText(messages),
    assistant_response: output?.text,
    tool_calls: output && output.toolCalls.length > 0 ? output.toolCalls : undefined,
    finish_reason: (output?.finishReason ?? finishReason)?.slice(0, 64),
    prompt_tokens: attributes.count('gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens'),
    completion_tokens: attributes.count('gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens'),
    total_tokens: attributes.count('gen_ai.usage.total_tokens', 'llm.usage.total_tokens'),
    cached_tokens: attributes.count('gen_ai.usage.cache_read.input_tokens', 'gen_ai.usage.cache_read_input_tokens'),
    reasoning_tokens: attributes.count('gen_ai.usage.reasoning.output_tokens', 'gen_ai.usage.reasoning_tokens'),
    ...timing(span),
    ...outcome(span, attributes),
  })
  input.metadata = { ...attributes.unmapped(), otel }
  return input
}

function timing(span: OtlpSpan): Partial<InteractionInput> {
  if (span.startMs <= 0) return {}
  const result: Partial<InteractionInput> = { timestamp: new Date(span.startMs).toISOString() }
  if (span.endMs >= span.startMs) {
    result.ended_at = new Date(span.endMs).toISOString()
    // Spans time in nanoseconds; keep microseconds rather than the millisecond ISO strings' rounding.
    result.latency_ms = Math.round((span.endMs - span.startMs) * 1000) / 1000
  }
  return result
}
