import type { ChatMessage, ToolCall } from '@interlog/schema'
import type { AttributeReader } from './otlp.attributes.js'
import type { AttributeValue } from './otlp.model.js'

/**
 * GenAI messages in both generations of the semantic conventions, turned into the OpenAI chat shape
 * interactions use:
 * - current: `gen_ai.input.messages` / `gen_ai.output.messages` / `gen_ai.system_instructions`, lists of
 *   `{role, parts: [{type: "text" | "tool_call" | "tool_call_response" | ..., ...}]}` sent as JSON
 *   strings or as structured attribute values;
 * - older: flattened `gen_ai.prompt.<n>.role|content|tool_call_id|tool_calls.<m>.*` and
 *   `gen_ai.completion.<n>.*` attributes (OpenLLMetry and friends).
 */

type Json = AttributeValue | undefined
type Part = { [key: string]: AttributeValue }
interface PartsMessage {
  role: string
  parts: Part[]
  name?: string
  finish_reason?: string
}

/** What the model answered, from the first output message (choice). */
export interface ModelOutput {
  text?: string
  toolCalls: ToolCall[]
  finishReason?: string
}

const isObject = (value: Json): value is { [key: string]: AttributeValue } =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** JSON sent as a string is parsed; a structured value is taken as it is. Undefined when neither works. */
function structured(value: Json): Json {
  if (typeof value !== 'string') return value
  try {
    return JSON.parse(value) as AttributeValue
  } catch {
    return undefined
  }
}

/** Tool arguments are JSON text on the wire; interactions keep them parsed when they parse. */
const parsedArguments = (value: Json): Json => (typeof value === 'string' ? (structured(value) ?? value) : value)
const asText = (value: Json): string => (typeof value === 'string' ? value : JSON.stringify(value ?? null))
const str = (value: Json): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined)

function partsMessages(value: Json): PartsMessage[] | undefined {
  const list = structured(value)
  if (!Array.isArray(list)) return undefined
  const messages: PartsMessage[] = []
  for (const item of list) {
    if (!isObject(item) || typeof item.role !== 'string' || !Array.isArray(item.parts) || !item.parts.every(isObject)) return undefined
    messages.push({ role: item.role, parts: item.parts, name: str(item.name), finish_reason: str(item.finish_reason) })
  }
  return messages
}

const textOf = (parts: Part[]): string | undefined => {
  const texts = parts.filter((part) => part.type === 'text' && typeof part.content === 'string').map((part) => part.content as string)
  return texts.length > 0 ? texts.join('\n') : undefined
}

/** Non-text parts in the OpenAI content-part shape where one exists (images), else as sent. */
function contentPart(part: Part): unknown {
  if (part.type === 'text') return { type: 'text', text: part.content }
  if (part.modality === 'image' && part.type === 'uri') return { type: 'image_url', image_url: { url: part.uri } }
  if (part.modality === 'image' && part.type === 'blob') {
    return { type: 'image_url', image_url: { url: `data:${String(part.mime_type ?? 'image/png')};base64,${String(part.content)}` } }
  }
  return part
}

function toChatMessages(message: PartsMessage): ChatMessage[] {
  const responses = message.parts.filter((part) => part.type === 'tool_call_response')
  if (responses.length > 0) {
    return responses.map((part) => ({ role: 'tool', tool_call_id: str(part.id), content: asText(part.response) }))
  }
  const calls = message.parts.filter((part) => part.type === 'tool_call')
  const others = message.parts.filter((part) => part.type !== 'tool_call')
  const onlyText = others.every((part) => part.type === 'text')
  const chat: ChatMessage = { role: message.role, content: onlyText ? (textOf(others) ?? null) : others.map(contentPart) }
  if (message.name) chat.name = message.name
  if (calls.length > 0) {
    chat.tool_calls = calls.map((part) => ({
      id: str(part.id),
      type: 'function',
      function: { name: str(part.name), arguments: typeof part.arguments === 'string' ? part.arguments : JSON.stringify(part.arguments ?? {}) },
    }))
  }
  return [chat]
}

const toolCallOf = (id: Json, name: Json, args: Json): ToolCall | undefined => {
  const toolName = str(name)
  if (!toolName) return undefined
  const call: ToolCall = { name: toolName }
  if (str(id)) call.id = str(id)
  if (args !== undefined && args !== null && args !== '') call.arguments = parsedArguments(args)
  return call
}

/** The input conversation: system instructions first, then the input messages. */
export function readInputMessages(attributes: AttributeReader): ChatMessage[] | undefined {
  const messages: ChatMessage[] = []
  const instructions = structured(attributes.all['gen_ai.system_instructions'])
  if (Array.isArray(instructions) && instructions.every(isObject)) {
    attributes.take('gen_ai.system_instructions')
    messages.push({ role: 'system', content: textOf(instructions) ?? instructions.map(contentPart) })
  } else if (typeof instructions === 'string') {
    attributes.take('gen_ai.system_instructions')
    messages.push({ role: 'system', content: instructions })
  }
  const current = partsMessages(attributes.all['gen_ai.input.messages'])
  if (current) {
    attributes.take('gen_ai.input.messages')
    messages.push(...current.flatMap(toChatMessages))
  } else {
    messages.push(...readIndexed(attributes, 'gen_ai.prompt').map(legacyChatMessage))
  }
  return messages.length > 0 ? messages : undefined
}

/** The answer: text, requested tool calls and finish reason of the first choice. */
export function readOutput(attributes: AttributeReader): ModelOutput | undefined {
  const current = partsMessages(attributes.all['gen_ai.output.messages'])
  if (current) {
    const first = current[0]
    // Keep the attribute verbatim in the metadata when it holds more than the fields take (more choices, reasoning...).
    const fullyMapped = current.length === 1 && first!.parts.every((part) => part.type === 'text' || part.type === 'tool_call')
    if (fullyMapped) attributes.take('gen_ai.output.messages')
    if (!first) return undefined
    const toolCalls = first.parts
      .filter((part) => part.type === 'tool_call')
      .flatMap((part) => toolCallOf(part.id, part.name, part.arguments) ?? [])
    return { text: textOf(first.parts), toolCalls, finishReason: first.finish_reason }
  }
  const [first] = readIndexed(attributes, 'gen_ai.completion', (index) => index === 0)
  if (!first) return undefined
  const toolCalls = legacyToolCalls(first).flatMap((call) => toolCallOf(call.id, call.name, call.arguments) ?? [])
  const functionCall = toolCallOf(undefined, first['function_call.name'], first['function_call.arguments'])
  if (functionCall) toolCalls.push(functionCall)
  return { text: str(first.content), toolCalls, finishReason: str(first.finish_reason) }
}

type IndexedFields = Record<string, AttributeValue>

/**
 * `<prefix>.<n>.<field>` attributes grouped by n, in index order. Only a numeric n counts as a message
 * index: `gen_ai.prompt.template.role` is not a message and stays in the metadata.
 */
function readIndexed(attributes: AttributeReader, prefix: string, wanted: (index: number) => boolean = () => true): IndexedFields[] {
  const pattern = new RegExp(`^${prefix.replaceAll('.', '\\.')}\\.(\\d+)\\.(.+)$`)
  const byIndex = new Map<number, IndexedFields>()
  for (const key of attributes.keysMatching(pattern)) {
    const [, index, field] = pattern.exec(key)!
    if (!wanted(Number(index))) continue
    const fields = byIndex.get(Number(index)) ?? {}
    fields[field!] = attributes.take(key)!
    byIndex.set(Number(index), fields)
  }
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, fields]) => fields)
}

function legacyToolCalls(fields: IndexedFields): { id?: Json; name?: Json; arguments?: Json }[] {
  const calls = new Map<number, { id?: Json; name?: Json; arguments?: Json }>()
  for (const [field, value] of Object.entries(fields)) {
    const match = /^tool_calls\.(\d+)\.(id|name|arguments)$/.exec(field)
    if (!match) continue
    const call = calls.get(Number(match[1])) ?? {}
    call[match[2] as 'id' | 'name' | 'arguments'] = value
    calls.set(Number(match[1]), call)
  }
  return [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call)
}

/** Multimodal content arrives JSON-encoded in the older convention; plain text stays text. */
function legacyContent(value: Json): ChatMessage['content'] {
  if (typeof value === 'string' && value.startsWith('[')) {
    const parsed = structured(value)
    if (Array.isArray(parsed) && parsed.every((item) => isObject(item) && typeof item.type === 'string')) return parsed
  }
  return value === undefined || value === null ? null : asText(value)
}

function legacyChatMessage(fields: IndexedFields): ChatMessage {
  const message: ChatMessage = { role: str(fields.role) ?? 'user', content: legacyContent(fields.content) }
  if (str(fields.name)) message.name = str(fields.name)
  if (str(fields.tool_call_id)) message.tool_call_id = str(fields.tool_call_id)
  const calls = legacyToolCalls(fields)
  if (calls.length > 0) {
    message.tool_calls = calls.map((call) => ({
      id: str(call.id),
      type: 'function',
      function: { name: str(call.name), arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {}) },
    }))
  }
  return message
}

/** The text of the last user message, the interaction's `user_message`. */
export function lastUserText(messages: ChatMessage[] | undefined): string | undefined {
  const last = messages?.filter((message) => message.role === 'user').at(-1)
  if (!last) return undefined
  if (typeof last.content === 'string') return last.content
  if (!Array.isArray(last.content)) return undefined
  const texts = last.content.flatMap((part) => (isObject(part as Json) && typeof (part as Part).text === 'string' ? [(part as Part).text as string] : []))
  return texts.length > 0 ? texts.join('\n') : undefined
}
