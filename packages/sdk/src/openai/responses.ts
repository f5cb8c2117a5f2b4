import type { InteractionStatus } from '../wire/wire-types.js'
import type { ToolCallInput, TrackInput } from '../types.js'
import type { WireChatMessage } from '../wire/wire-types.js'
import type { CallMapper, StreamAccumulator } from './call-mapper.js'
import { count, defined, list, parseJsonText, record, requestFields, text, type Loose } from './read.js'

const MODEL_PARAMETER_KEYS = [
  'temperature',
  'top_p',
  'max_output_tokens',
  'max_tool_calls',
  'reasoning',
  'text',
  'truncation',
  'service_tier',
  'previous_response_id',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
] as const

/** Events whose arrival means the model has started producing output. */
const OUTPUT_DELTA_EVENTS = new Set([
  'response.output_text.delta',
  'response.refusal.delta',
  'response.function_call_arguments.delta',
  'response.custom_tool_call_input.delta',
])
const FINAL_EVENTS = new Set(['response.completed', 'response.incomplete', 'response.failed'])

/** responses.create: `instructions` + `input` become chat messages; output items become the reply and tool calls. */
export const responsesMapper: CallMapper = {
  request(params) {
    const messages = toMessages(params)
    return requestFields(params, messages, MODEL_PARAMETER_KEYS)
  },
  response: (response) => responseFields(response),
  stream: () => new ResponsesStreamAccumulator(),
}

class ResponsesStreamAccumulator implements StreamAccumulator {
  private readonly textParts: string[] = []
  private final: Loose | undefined
  private started: Loose | undefined
  private errorMessage: string | undefined
  producedOutput = false

  add(item: unknown): void {
    const event = record(item)
    const type = text(event?.type)
    if (!event || !type) return
    if (OUTPUT_DELTA_EVENTS.has(type)) this.producedOutput = true
    if (type === 'response.output_text.delta') this.textParts.push(text(event.delta) ?? '')
    else if (type === 'response.created') this.started = record(event.response)
    else if (FINAL_EVENTS.has(type)) this.final = record(event.response)
    else if (type === 'error') this.errorMessage = text(event.message)
  }

  fields(): TrackInput {
    if (this.final) return responseFields(this.final)
    // No final event (the stream broke off): keep what arrived.
    return defined({
      modelVersion: text(this.started?.model),
      assistantResponse: this.textParts.length > 0 ? this.textParts.join('') : undefined,
      status: 'partial' as const,
      errorMessage: this.errorMessage,
      metadata: this.started ? responseMetadata(this.started) : undefined,
    })
  }
}

function responseFields(response: Loose): TrackInput {
  const usage = record(response.usage)
  const error = record(response.error)
  const outputs = list(response.output).map(record)
  const outputText =
    text(response.output_text) ??
    outputs
      .flatMap((item) => (item?.type === 'message' ? list(item.content) : []))
      .map((part) => (record(part)?.type === 'output_text' ? text(record(part)?.text) : undefined))
      .filter((part): part is string => part !== undefined)
      .join('')
  const toolCalls = outputs.map(toolCallOf).filter((call): call is ToolCallInput => call !== undefined)
  return defined({
    modelVersion: text(response.model),
    assistantResponse: outputText || undefined,
    toolCalls: toolCalls.length > 0 ? toolCalls : undefined,
    finishReason: text(record(response.incomplete_details)?.reason) ?? text(response.status),
    status: statusOf(text(response.status)),
    errorMessage: text(error?.message),
    errorType: text(error?.code),
    promptTokens: count(usage?.input_tokens),
    completionTokens: count(usage?.output_tokens),
    totalTokens: count(usage?.total_tokens),
    cachedTokens: count(record(usage?.input_tokens_details)?.cached_tokens),
    reasoningTokens: count(record(usage?.output_tokens_details)?.reasoning_tokens),
    metadata: responseMetadata(response),
  })
}

function statusOf(status: string | undefined): InteractionStatus | undefined {
  if (status === 'failed') return 'failure'
  if (status === 'incomplete') return 'partial'
  return undefined
}

/** Function and custom tool calls wait for the app (pending); built-in tools (web search...) ran at OpenAI. */
function toolCallOf(item: Loose | undefined): ToolCallInput | undefined {
  const type = text(item?.type)
  if (!item || !type) return undefined
  if (type === 'function_call' || type === 'custom_tool_call') {
    const name = text(item.name)
    if (!name) return undefined
    return defined({ id: text(item.call_id), name, arguments: parseJsonText(item.arguments ?? item.input), status: 'pending' as const })
  }
  if (!type.endsWith('_call')) return undefined
  const status = text(item.status)
  return defined({
    id: text(item.id),
    name: text(item.name) ?? type,
    status: status === 'completed' ? ('success' as const) : status === 'failed' ? ('failure' as const) : ('pending' as const),
  })
}

/** The Responses input as chat messages, so every interaction reads the same way. */
function toMessages(params: Loose): WireChatMessage[] {
  const messages: WireChatMessage[] = []
  const instructions = text(params.instructions)
  if (instructions) messages.push({ role: 'system', content: instructions })
  if (typeof params.input === 'string') {
    messages.push({ role: 'user', content: params.input })
    return messages
  }
  for (const value of list(params.input)) {
    const item = record(value)
    if (!item) continue
    const role = text(item.role)
    if (role) {
      messages.push({ role, content: typeof item.content === 'string' || Array.isArray(item.content) ? item.content : null })
    } else if (item.type === 'function_call') {
      messages.push({
        role: 'assistant',
        content: null,
        tool_calls: [{ id: text(item.call_id), type: 'function', function: { name: text(item.name), arguments: text(item.arguments) } }],
      })
    } else if (item.type === 'function_call_output') {
      const output = item.output
      messages.push({ role: 'tool', tool_call_id: text(item.call_id), content: typeof output === 'string' ? output : JSON.stringify(output ?? null) })
    }
  }
  return messages
}

function responseMetadata(response: Loose): Loose | undefined {
  const id = text(response.id)
  return id ? { provider_response_id: id } : undefined
}
