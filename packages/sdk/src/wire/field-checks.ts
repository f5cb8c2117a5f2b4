import { isPlainObject } from '../merge-fields.js'

/**
 * Each check returns the value to send (normalised when needed) or INVALID. They mirror the server's
 * InteractionInput rules closely enough that an event the SDK sends is never refused for its shape;
 * a failing field is dropped and reported instead of costing the whole interaction.
 */
export const INVALID: unique symbol = Symbol('invalid')
export type Checked = unknown | typeof INVALID

export interface FieldCheck {
  /** What the field must be, for the message when it is not. */
  expected: string
  check: (value: unknown) => Checked
}

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value)
const isBoundedString = (value: unknown, min: number, max: number): value is string =>
  typeof value === 'string' && value.length >= min && value.length <= max

export const identifier: FieldCheck = {
  expected: 'a string of 1 to 256 characters',
  check: (value) => (isBoundedString(value, 1, 256) ? value : INVALID),
}

export const text: FieldCheck = { expected: 'a string', check: (value) => (typeof value === 'string' ? value : INVALID) }

export function shortText(max: number): FieldCheck {
  return { expected: `a string of at most ${max} characters`, check: (value) => (isBoundedString(value, 0, max) ? value : INVALID) }
}

export const count: FieldCheck = {
  expected: 'a non-negative integer',
  check: (value) => (isFiniteNumber(value) && Number.isInteger(value) && value >= 0 ? value : INVALID),
}

export const nonNegative: FieldCheck = {
  expected: 'a non-negative number',
  check: (value) => (isFiniteNumber(value) && value >= 0 ? value : INVALID),
}

export const unitInterval: FieldCheck = {
  expected: 'a number from 0 to 1',
  check: (value) => (isFiniteNumber(value) && value >= 0 && value <= 1 ? value : INVALID),
}

export const boolean: FieldCheck = { expected: 'a boolean', check: (value) => (typeof value === 'boolean' ? value : INVALID) }

export const object: FieldCheck = { expected: 'a plain object', check: (value) => (isPlainObject(value) ? value : INVALID) }

export const json: FieldCheck = { expected: 'a JSON value', check: (value) => value }

export const stringList: FieldCheck = {
  expected: 'an array of non-empty strings',
  check: (value) => (Array.isArray(value) && value.every((item) => isBoundedString(item, 1, Infinity)) ? value : INVALID),
}

export const tags: FieldCheck = {
  expected: 'at most 64 strings of 1 to 128 characters',
  check: (value) => (Array.isArray(value) && value.length <= 64 && value.every((tag) => isBoundedString(tag, 1, 128)) ? value : INVALID),
}

export const interactionStatus: FieldCheck = {
  expected: "'success', 'failure' or 'partial'",
  check: (value) => (value === 'success' || value === 'failure' || value === 'partial' ? value : INVALID),
}

/** Dates, epoch milliseconds and parseable strings all become the ISO form the server requires. */
export const time: FieldCheck = {
  expected: 'a Date, epoch milliseconds or an ISO 8601 string',
  check: (value) => {
    const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN
    return Number.isFinite(ms) ? new Date(ms).toISOString() : INVALID
  },
}

export const messages: FieldCheck = {
  expected: 'an array of chat messages, each an object with a string role',
  check: (value) =>
    Array.isArray(value) &&
    value.every(
      (message) =>
        isPlainObject(message) &&
        isBoundedString(message.role, 1, Infinity) &&
        (message.content === undefined || message.content === null || typeof message.content === 'string' || Array.isArray(message.content)),
    )
      ? value
      : INVALID,
}

export const intents: FieldCheck = {
  expected: 'an array of { name, confidence? } with confidence from 0 to 1',
  check: (value) =>
    Array.isArray(value) &&
    value.every(
      (intent) =>
        isPlainObject(intent) &&
        isBoundedString(intent.name, 1, Infinity) &&
        Object.keys(intent).every((key) => key === 'name' || key === 'confidence') &&
        (intent.confidence === undefined || unitInterval.check(intent.confidence) !== INVALID),
    )
      ? value
      : INVALID,
}

const TOOL_CALL_STATUSES = new Set(['success', 'failure', 'pending'])

/** camelCase tool calls (as app code writes them) become the wire's snake_case items. */
export const toolCalls: FieldCheck = {
  expected: 'an array of { name, id?, arguments?, result?, status?, error?, latencyMs? }',
  check: (value) => {
    if (!Array.isArray(value)) return INVALID
    const wire: Record<string, unknown>[] = []
    for (const call of value) {
      if (!isPlainObject(call) || !isBoundedString(call.name, 1, 256)) return INVALID
      const item: Record<string, unknown> = { name: call.name }
      if (call.id !== undefined) {
        if (!isBoundedString(call.id, 0, 256)) return INVALID
        item.id = call.id
      }
      if (call.arguments !== undefined) item.arguments = call.arguments
      if (call.result !== undefined) item.result = call.result
      if (call.status !== undefined) {
        if (!TOOL_CALL_STATUSES.has(call.status as string)) return INVALID
        item.status = call.status
      }
      if (call.error !== undefined) {
        if (typeof call.error !== 'string') return INVALID
        item.error = call.error
      }
      if (call.latencyMs !== undefined) {
        if (nonNegative.check(call.latencyMs) === INVALID) return INVALID
        item.latency_ms = call.latencyMs
      }
      wire.push(item)
    }
    return wire
  },
}
