import type { WireChatMessage } from '../wire/wire-types.js'

/**
 * Tolerant readers for provider payloads. The SDK does not depend on the `openai` package, so responses
 * are read structurally: a missing or oddly typed field yields undefined, never an exception.
 */
export type Loose = Record<string, unknown>

export function record(value: unknown): Loose | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Loose) : undefined
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : []
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

export function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined
}

/** Tool arguments arrive as JSON text; keep the parsed value when it parses, the text otherwise. */
export function parseJsonText(value: unknown): unknown {
  if (typeof value !== 'string' || value.length === 0) return value
  try {
    return JSON.parse(value) as unknown
  } catch {
    return value
  }
}

/** The text of a message content: a string, or the text parts of a content array joined by newlines. */
export function contentText(content: unknown): string | undefined {
  if (typeof content === 'string') return content
  const parts = list(content)
    .map((part) => text(record(part)?.text))
    .filter((part): part is string => part !== undefined)
  return parts.length > 0 ? parts.join('\n') : undefined
}

/** Copies the listed keys that are set, for model_parameters. */
export function pick(source: Loose, keys: readonly string[]): Loose | undefined {
  let picked: Loose | undefined
  for (const key of keys) {
    if (source[key] === undefined) continue
    picked ??= {}
    picked[key] = source[key]
  }
  return picked
}

/** Drops undefined values so optional fields stay absent rather than present-and-undefined. */
export function defined<T extends Loose>(fields: T): T {
  for (const key of Object.keys(fields)) if (fields[key] === undefined) delete fields[key]
  return fields
}

/** What both OpenAI APIs' requests say about the call, once their input is read as chat messages. */
export function requestFields(params: Loose, messages: WireChatMessage[], modelParameterKeys: readonly string[]) {
  const lastUser = [...messages].reverse().find((message) => message.role === 'user')
  return defined({
    provider: 'openai',
    model: text(params.model),
    messages,
    userMessage: lastUser ? contentText(lastUser.content) : undefined,
    modelParameters: pick(params, modelParameterKeys),
    userId: text(params.user),
  })
}
