import type { LlmUsage } from '../llm/llm-client.js'
import { isPresent } from '../definition/conditions.js'

export interface ConversationMessage {
  role: 'user' | 'assistant' | 'system'
  content: string
}

export interface ExtractionRequest {
  /** The conversation to read; values are taken from the customer's (`user`) messages only. */
  messages: ConversationMessage[]
  /** The fields to fill: name → description. */
  fields: Record<string, string>
}

export type ExtractionEngine = 'offline' | 'llm'

export interface ExtractionOutcome {
  /** The fields found, each a non-empty string; fields not found are absent. */
  values: Record<string, string>
  engine: ExtractionEngine
  /** The LLM call behind it, for tracing. */
  usage?: LlmUsage
}

/** Pulls field values out of a conversation. Two engines implement it: an LLM one and an offline one. */
export interface Extractor {
  readonly engine: ExtractionEngine
  extract(request: ExtractionRequest): Promise<ExtractionOutcome>
}

/**
 * The last `count` exchanges: from the agent messages just before the count-th last customer message
 * (the question it answers) to the end.
 */
export function lastExchanges<M extends { role: string }>(messages: readonly M[], count: number): M[] {
  let seen = 0
  let start = messages.length
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    if (messages[index]!.role !== 'user') continue
    seen += 1
    start = index
    if (seen === count) break
  }
  while (start > 0 && messages[start - 1]!.role !== 'user') start -= 1
  return messages.slice(start)
}

/** The fields that have no value in the context yet. */
export function emptyFields(fields: Record<string, string>, context: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter(([name]) => !isPresent(context[name])))
}

/**
 * Adds extracted values to the context without destroying what is known: only empty fields are set,
 * and only with non-blank values. Answers the fields it set.
 */
export function mergeExtracted(context: Record<string, unknown>, values: Record<string, unknown>, fields: Record<string, string>): Record<string, string> {
  const set: Record<string, string> = {}
  for (const [name, value] of Object.entries(values)) {
    if (!(name in fields) || isPresent(context[name]) || typeof value !== 'string' || !isPresent(value)) continue
    context[name] = value.trim()
    set[name] = value.trim()
  }
  return set
}
