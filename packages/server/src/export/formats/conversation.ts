import type { ChatMessage as LoggedMessage, Interaction, ToolCall } from '@interlog/schema'
import type { ExportRecord } from '../export-record.js'
import { perRecordWriter, type FormatWriter } from './format-writer.js'

/** Chat messages in OpenAI's shape, restricted to what fine-tuning files accept. */
export type ContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string; detail?: string } }
export interface FunctionCall {
  id: string
  type: 'function'
  function: { name: string; arguments: string }
}
export interface TrainingMessage {
  role: 'system' | 'user' | 'assistant' | 'tool'
  content?: string | ContentPart[]
  name?: string
  tool_calls?: FunctionCall[]
  tool_call_id?: string
}
export interface ToolDefinition {
  type: 'function'
  function: { name: string; description?: string; parameters?: unknown; strict?: boolean }
}
export interface Conversation {
  messages: TrainingMessage[]
  tools?: ToolDefinition[]
  parallel_tool_calls?: boolean
}

/** Why a record cannot become a valid training conversation. */
export type SkipReason =
  | 'no_input'
  | 'no_assistant_message'
  | 'empty_content'
  | 'unsupported_role'
  | 'unsupported_content'
  | 'invalid_tool_call'
  | 'tool_call_without_result'

export type BuildResult = { conversation: Conversation; reason?: undefined } | { conversation?: undefined; reason: SkipReason }

class Skip {
  constructor(readonly reason: SkipReason) {}
}

const ROLES: Record<string, TrainingMessage['role']> = { system: 'system', developer: 'system', user: 'user', assistant: 'assistant', tool: 'tool' }
const TEXT_PARTS = new Set(['text', 'input_text', 'output_text'])

export const asText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value))
const isBlank = (content: string | ContentPart[] | undefined) => content === undefined || (typeof content === 'string' && content.trim() === '')
const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined

/** Text stays text; image parts are kept where allowed (user messages); audio, files and the like are refused. */
function contentOf(content: unknown, allowImages: boolean): string | ContentPart[] | undefined {
  if (content === undefined || content === null || typeof content === 'string') return content ?? undefined
  if (!Array.isArray(content)) throw new Skip('unsupported_content')
  const parts: ContentPart[] = []
  for (const item of content) {
    const part = typeof item === 'string' ? { type: 'text', text: item } : record(item)
    if (part && TEXT_PARTS.has(part.type as string) && typeof part.text === 'string') {
      parts.push({ type: 'text', text: part.text })
      continue
    }
    const image = part && (part.type === 'image_url' || part.type === 'input_image') ? part.image_url : undefined
    const url = typeof image === 'string' ? image : record(image)?.url
    if (!allowImages || typeof url !== 'string') throw new Skip('unsupported_content')
    const detail = record(image)?.detail ?? part?.detail
    parts.push({ type: 'image_url', image_url: typeof detail === 'string' ? { url, detail } : { url } })
  }
  if (parts.every((part) => part.type === 'text')) return parts.map((part) => (part as { text: string }).text).join('')
  return parts
}

const argumentsText = (value: unknown): string => (value === undefined || value === null ? '{}' : asText(value))

function loggedToolCalls(value: unknown): FunctionCall[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined
  return value.map((item) => {
    const call = record(item)
    const fn = record(call?.function)
    if (typeof call?.id !== 'string' || typeof fn?.name !== 'string' || fn.name === '') throw new Skip('invalid_tool_call')
    return { id: call.id, type: 'function' as const, function: { name: fn.name, arguments: argumentsText(fn.arguments) } }
  })
}

/** A logged message (OpenAI chat shape, extra keys and all) as a training message; `developer` becomes `system`. */
function trainingMessage(logged: LoggedMessage): TrainingMessage {
  const role = ROLES[logged.role]
  if (!role) throw new Skip('unsupported_role')
  const message: TrainingMessage = { role }
  const content = contentOf(logged.content, role === 'user')
  if (typeof logged.name === 'string' && logged.name !== '' && role !== 'tool') message.name = logged.name
  if (role === 'assistant') {
    const toolCalls = loggedToolCalls(logged.tool_calls)
    if (isBlank(content) && !toolCalls) throw new Skip('empty_content')
    if (!isBlank(content)) message.content = typeof content === 'string' ? content : asText(content)
    if (toolCalls) message.tool_calls = toolCalls
    return message
  }
  if (role === 'tool') {
    if (typeof logged.tool_call_id !== 'string' || logged.tool_call_id === '') throw new Skip('invalid_tool_call')
    message.tool_call_id = logged.tool_call_id
    message.content = content === undefined ? '' : typeof content === 'string' ? content : asText(content)
    return message
  }
  if (isBlank(content)) throw new Skip('empty_content')
  message.content = content
  return message
}

/** The prompt side: the logged messages, else the rendered prompt and the user message. */
function inputOf(interaction: Interaction): TrainingMessage[] {
  if (interaction.messages && interaction.messages.length > 0) return interaction.messages.map(trainingMessage)
  const { rendered_prompt: prompt, user_message: user } = interaction
  const input: TrainingMessage[] = []
  if (prompt !== undefined && user !== undefined) input.push({ role: 'system', content: prompt })
  const userText = user ?? prompt
  if (userText !== undefined) {
    if (userText.trim() === '') throw new Skip('empty_content')
    input.push({ role: 'user', content: userText })
  }
  return input
}

const originalText = (interaction: Interaction): string | undefined =>
  interaction.assistant_response ?? (interaction.structured_output === undefined ? undefined : asText(interaction.structured_output))

/** The model's side: its tool calls (with their results when a final answer follows), then its answer. */
function outputOf(calls: ToolCall[], finalText: string | undefined): TrainingMessage[] {
  const output: TrainingMessage[] = []
  if (calls.length > 0) {
    const toolCalls = calls.map((call, index): FunctionCall => ({
      id: call.id ?? `call_${index + 1}`,
      type: 'function',
      function: { name: call.name, arguments: argumentsText(call.arguments) },
    }))
    output.push({ role: 'assistant', tool_calls: toolCalls })
    if (finalText !== undefined) {
      calls.forEach((call, index) => {
        const result = call.result !== undefined ? asText(call.result) : call.error
        if (result === undefined) throw new Skip('tool_call_without_result')
        output.push({ role: 'tool', tool_call_id: toolCalls[index]!.id, content: result })
      })
    }
  }
  if (finalText !== undefined) {
    if (finalText.trim() === '') throw new Skip('empty_content')
    output.push({ role: 'assistant', content: finalText })
  }
  return output
}

/** Function tools offered to the model (`model_parameters.tools`, chat or responses shape); built-in tools are left out. */
function toolsOf(interaction: Interaction): Pick<Conversation, 'tools' | 'parallel_tool_calls'> {
  const params = interaction.model_parameters
  if (!Array.isArray(params?.tools)) return {}
  const tools: ToolDefinition[] = []
  for (const item of params.tools) {
    const tool = record(item)
    if (tool?.type !== 'function') continue
    const fn = record(tool.function) ?? tool
    if (typeof fn.name !== 'string') continue
    const definition: ToolDefinition['function'] = { name: fn.name }
    if (typeof fn.description === 'string') definition.description = fn.description
    if (record(fn.parameters)) definition.parameters = fn.parameters
    if (typeof fn.strict === 'boolean') definition.strict = fn.strict
    tools.push({ type: 'function', function: definition })
  }
  if (tools.length === 0) return {}
  return typeof params.parallel_tool_calls === 'boolean' ? { tools, parallel_tool_calls: params.parallel_tool_calls } : { tools }
}

/**
 * A record as a conversation that ends with the model's output: with `useCorrection` (the default),
 * the latest correction replaces the original answer. Records that would make an invalid training
 * example are refused with the reason.
 */
export function buildConversation(record: ExportRecord, options: { useCorrection?: boolean } = {}): BuildResult {
  try {
    const { interaction } = record
    const input = inputOf(interaction)
    const original = originalText(interaction)
    const calls = interaction.tool_calls ?? []
    const correction = options.useCorrection === false || record.correction === undefined ? undefined : asText(record.correction)
    const last = input.at(-1)
    // A logged conversation may already end with the answer: then it is the output, not part of the prompt.
    if (last?.role === 'assistant' && calls.length === 0 && (original === undefined || last.content === original)) {
      input.pop()
      if (original === undefined && correction === undefined) return finish(interaction, input, [last])
    }
    return finish(interaction, input, outputOf(calls, correction ?? original))
  } catch (error) {
    if (error instanceof Skip) return { reason: error.reason }
    throw error
  }
}

function finish(interaction: Interaction, input: TrainingMessage[], output: TrainingMessage[]): BuildResult {
  if (output.length === 0) return { reason: 'no_assistant_message' }
  if (!input.some((message) => message.role === 'user' || message.role === 'system')) return { reason: 'no_input' }
  return { conversation: { messages: [...input, ...output], ...toolsOf(interaction) } }
}

/** A writer of one JSON line per record that makes a valid conversation; the others are counted by reason. */
export function conversationLines(line: (conversation: Conversation) => unknown): FormatWriter {
  return perRecordWriter((record, out) => {
    const built = buildConversation(record)
    if (built.reason !== undefined) return out.skip(built.reason)
    out.row(`${JSON.stringify(line(built.conversation))}\n`)
  })
}
