import type { Interaction, ToolCall } from '@interlog/schema'
import type { Redactor } from './redactor.js'

/**
 * Which fields redaction rewrites. Free text and free JSON are redacted (every string in them);
 * identifiers and labels (ids, user/thread/session, type, category, tags, model, prompt ids, tool
 * names, roles, status) are kept as sent, since reads filter and join on them.
 */
const TEXT_FIELDS = ['user_message', 'assistant_response', 'rendered_prompt', 'error_message', 'handoff_reason'] as const
const JSON_FIELDS = ['messages', 'input_variables', 'structured_output', 'raw_response', 'error_details', 'metadata', 'model_parameters'] as const

/** Redacts an interaction in place, before it is priced and written. */
export function redactInteraction(redactor: Redactor, interaction: Interaction): void {
  const fields = interaction as Record<string, unknown>
  for (const field of TEXT_FIELDS) {
    const value = fields[field]
    if (typeof value === 'string') fields[field] = redactor.text(value)
  }
  for (const field of JSON_FIELDS) {
    if (fields[field] !== undefined) fields[field] = redactor.value(fields[field])
  }
  if (interaction.tool_calls) interaction.tool_calls = interaction.tool_calls.map((call) => redactToolCall(redactor, call))
}

/** A tool call's arguments, result and error; its id, name and status stay. */
export function redactToolCall(redactor: Redactor, call: ToolCall): ToolCall {
  const redacted: ToolCall = { ...call }
  if (call.arguments !== undefined) redacted.arguments = redactor.value(call.arguments)
  if (call.result !== undefined) redacted.result = redactor.value(call.result)
  if (call.error !== undefined) redacted.error = redactor.text(call.error)
  return redacted
}
