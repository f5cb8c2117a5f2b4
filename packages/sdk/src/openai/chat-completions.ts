import type { ToolCallInput, TrackInput } from '../types.js'
import type { WireChatMessage } from '../wire/wire-types.js'
import { count, defined, list, parseJsonText, record, requestFields, text, type Loose } from './read.js'
import type { CallMapper, StreamAccumulator } from './call-mapper.js'

/** Request keys that shape the generation; recorded in model_parameters (tool definitions under `tools`). */
const MODEL_PARAMETER_KEYS = [
  'temperature',
  'top_p',
  'max_tokens',
  'max_completion_tokens',
  'frequency_penalty',
  'presence_penalty',
  'seed',
  'stop',
  'n',
  'logit_bias',
  'logprobs',
  'top_logprobs',
  'response_format',
  'reasoning_effort',
  'verbosity',
  'service_tier',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
] as const

/** chat.completions.create: what the request says, what the completion (or its chunks) says. */
export const chatCompletionsMapper: CallMapper = {
  request(params) {
    const messages = list(params.messages).filter((message) => record(message)) as WireChatMessage[]
    return requestFields(params, messages, MODEL_PARAMETER_KEYS)
  },

  response(completion, params) {
    const choice = record(list(completion.choices)[0])
    const message = record(choice?.message)
    const content = text(message?.content)
    return defined({
      ...usageFields(record(completion.usage)),
      modelVersion: text(completion.model),
      assistantResponse: content ?? text(message?.refusal),
      structuredOutput: structuredOutput(content, params),
      toolCalls: toolCallsOf(list(message?.tool_calls)),
      finishReason: text(choice?.finish_reason),
      metadata: responseMetadata(completion),
    })
  },

  stream: () => new ChatStreamAccumulator(),
}

class ChatStreamAccumulator implements StreamAccumulator {
  private readonly parts: string[] = []
  private readonly refusalParts: string[] = []
  private readonly toolCalls = new Map<number, { id?: string; name?: string; arguments: string }>()
  private first: Loose | undefined
  private finishReason: string | undefined
  private usage: Loose | undefined
  producedOutput = false

  add(item: unknown): void {
    const chunk = record(item)
    if (!chunk) return
    this.first ??= chunk
    // The usage chunk (stream_options.include_usage) comes last, with an empty choices array.
    this.usage = record(chunk.usage) ?? this.usage
    for (const choiceValue of list(chunk.choices)) {
      const choice = record(choiceValue)
      if (!choice || (count(choice.index) ?? 0) !== 0) continue
      const delta = record(choice.delta)
      const piece = text(delta?.content)
      const refusal = text(delta?.refusal)
      if (piece) this.parts.push(piece)
      if (refusal) this.refusalParts.push(refusal)
      const toolDeltas = list(delta?.tool_calls)
      for (const toolDelta of toolDeltas) this.addToolDelta(record(toolDelta))
      if (piece || refusal || toolDeltas.length > 0) this.producedOutput = true
      this.finishReason = text(choice.finish_reason) ?? this.finishReason
    }
  }

  fields(params: Loose): TrackInput {
    const content = this.parts.length > 0 ? this.parts.join('') : undefined
    const calls = [...this.toolCalls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, call]) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }))
    return defined({
      ...usageFields(this.usage),
      modelVersion: text(this.first?.model),
      assistantResponse: content ?? (this.refusalParts.length > 0 ? this.refusalParts.join('') : undefined),
      structuredOutput: structuredOutput(content, params),
      toolCalls: toolCallsOf(calls),
      finishReason: this.finishReason,
      metadata: this.first ? responseMetadata(this.first) : undefined,
    })
  }

  /** Tool calls stream as fragments keyed by index: the id and name once, the arguments in pieces. */
  private addToolDelta(delta: Loose | undefined): void {
    if (!delta) return
    const index = count(delta.index) ?? 0
    const call = this.toolCalls.get(index) ?? { arguments: '' }
    const fn = record(delta.function)
    call.id ??= text(delta.id)
    call.name ??= text(fn?.name)
    call.arguments += text(fn?.arguments) ?? ''
    this.toolCalls.set(index, call)
  }
}

function usageFields(usage: Loose | undefined): TrackInput {
  if (!usage) return {}
  return defined({
    promptTokens: count(usage.prompt_tokens),
    completionTokens: count(usage.completion_tokens),
    totalTokens: count(usage.total_tokens),
    cachedTokens: count(record(usage.prompt_tokens_details)?.cached_tokens),
    reasoningTokens: count(record(usage.completion_tokens_details)?.reasoning_tokens),
  })
}

/** Tool calls the model asked for: not run yet, so `pending`; arguments parsed when they are JSON. */
function toolCallsOf(calls: unknown[]): ToolCallInput[] | undefined {
  const mapped: ToolCallInput[] = []
  for (const value of calls) {
    const call = record(value)
    const fn = record(call?.function) ?? record(call?.custom)
    const name = text(fn?.name)
    if (!call || !name) continue
    mapped.push(defined({ id: text(call.id), name, arguments: parseJsonText(fn?.arguments ?? fn?.input), status: 'pending' as const }))
  }
  return mapped.length > 0 ? mapped : undefined
}

/** With a JSON response_format, the parsed reply is also kept as structured output. */
function structuredOutput(content: string | undefined, params: Loose): unknown {
  const format = text(record(params.response_format)?.type)
  if (content === undefined || (format !== 'json_object' && format !== 'json_schema')) return undefined
  const parsed = parseJsonText(content)
  return parsed === content ? undefined : parsed
}

function responseMetadata(response: Loose): Loose | undefined {
  const id = text(response.id)
  return id ? { provider_response_id: id } : undefined
}
