import type { z } from 'zod'
import { ValidationError, type FieldIssue } from './errors.js'

/** Turns zod issues into field issues whose path names the offending field (`messages.2.role`). */
export function toFieldIssues(error: z.ZodError, prefix = ''): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const base = [prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.')
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: base ? `${base}.${key}` : key,
        code: 'unknown_field',
        message: `unknown field '${key}'`,
      }))
    }
    return [{ path: base || '(root)', code: issue.code, message: issue.message }]
  })
}

export function validationErrorFrom(error: z.ZodError, what: string, prefix = ''): ValidationError {
  const issues = toFieldIssues(error, prefix)
  const summary = issues
    .slice(0, 3)
    .map((issue) => `${issue.path}: ${issue.message}`)
    .join('; ')
  return new ValidationError(`Invalid ${what}: ${summary}`, issues)
}

/** Parses with a schema or throws a ValidationError naming the fields. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string, prefix = ''): z.output<S> {
  const result = schema.safeParse(value)
  if (!result.success) throw validationErrorFrom(result.error, what, prefix)
  return result.data
}
