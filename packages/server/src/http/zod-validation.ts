import type { FastifySchemaCompiler } from 'fastify'
import type { z } from 'zod'
import { validationErrorFrom } from '../errors/zod-issues.js'

const PART_NAMES: Record<string, string> = { body: 'body', querystring: 'query parameters', params: 'path parameters', headers: 'headers' }

/**
 * Validates with the route's zod schemas (the same ones the OpenAPI document is generated from) and
 * fails with our ValidationError, so every 400 names the field the same way.
 */
export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const result = schema.safeParse(data)
    if (result.success) return { value: result.data }
    return { error: validationErrorFrom(result.error, PART_NAMES[httpPart ?? ''] ?? 'request') }
  }

/** For routes that validate their body item by item (batches answer 207 rather than failing whole). */
export const passThroughValidator = () => (data: unknown) => ({ value: data })
