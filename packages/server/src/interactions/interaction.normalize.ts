import type { Interaction, InteractionInput } from '@interlog/schema'
import type { Clock, IdGenerator } from '../runtime/clock.js'
import type { InteractionRow } from '../store/store.js'
import { ValidationError } from '../errors/errors.js'
import { isStorableText, wellFormed } from './well-formed.js'

const isMissing = (value: unknown) => value === undefined || value === null || value === ''

/** Required variables that have no (or an empty) value among the input variables. */
export function missingVariables(required: string[], variables: Record<string, unknown> | undefined): string[] {
  // Own properties only: 'constructor' or 'toString' is a variable name like any other.
  return required.filter((name) => !variables || !Object.hasOwn(variables, name) || isMissing(variables[name]))
}

const hasError = (input: InteractionInput) =>
  input.error_message !== undefined || input.error_type !== undefined || input.error_details !== undefined

export interface NormalizeContext {
  tenantId: string
  clock: Clock
  ids: IdGenerator
}

/**
 * Fills what the server derives: id (UUIDv7), timestamp, status, total tokens, latency from
 * `ended_at` and missing variables (the store adds the stored size). The result is what gets stored and returned.
 */
export function normalizeInteraction(given: InteractionInput, context: NormalizeContext): InteractionRow {
  // Repairing an id as other text is repaired would make distinct idempotency keys one.
  if (given.id !== undefined && !isStorableText(given.id)) {
    throw new ValidationError("'id' holds a lone surrogate or a NUL character", [{ path: 'id', code: 'invalid_string', message: 'not storable text' }])
  }
  const input = wellFormed(given)
  const received = context.clock.now()
  const ts = input.timestamp ? Date.parse(input.timestamp) : received.getTime()
  // Object.assign then assignments: V8's spread-with-extra-keys path costs several times more per row.
  const interaction = Object.assign({}, input) as Interaction
  interaction.id = input.id ?? context.ids.next()
  interaction.tenant_id = context.tenantId
  interaction.timestamp = new Date(ts).toISOString()
  interaction.status = input.status ?? (hasError(input) ? 'failure' : 'success')
  interaction.received_at = received.toISOString()
  if (input.ended_at !== undefined) interaction.ended_at = new Date(Date.parse(input.ended_at)).toISOString()
  if (interaction.latency_ms === undefined && input.ended_at !== undefined) {
    const latency = Date.parse(input.ended_at) - ts
    if (latency >= 0) interaction.latency_ms = latency
  }
  if (interaction.total_tokens === undefined && (input.prompt_tokens !== undefined || input.completion_tokens !== undefined)) {
    interaction.total_tokens = (input.prompt_tokens ?? 0) + (input.completion_tokens ?? 0)
  }
  if (input.required_variables !== undefined) {
    const missing = missingVariables(input.required_variables, input.input_variables)
    interaction.missing_variables = missing
    interaction.all_variables_present = missing.length === 0
  }
  return { interaction, ts, received_ts: received.getTime() }
}
