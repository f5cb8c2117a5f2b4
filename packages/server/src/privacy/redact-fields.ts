import type { Redactor } from './redaction/redactor.js'

/** Redacts the given fields of a parsed body in place, where they are set (JSON values of any shape). */
export function redactFields<T extends object>(redactor: Redactor | undefined, input: T, fields: readonly (keyof T)[]): void {
  if (!redactor) return
  for (const field of fields) {
    if (input[field] !== undefined) input[field] = redactor.value(input[field]) as T[keyof T]
  }
}
