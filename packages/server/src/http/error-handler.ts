import type { FastifyError, FastifyInstance } from 'fastify'
import { AppError } from '../errors/errors.js'

/** Fastify's own errors, mapped to our codes. */
const FASTIFY_CODES: Record<string, { status: number; code: string; message?: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large', message: 'The request body is larger than the limit' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid_json' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_json', message: 'The body is empty; send a JSON object' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type', message: 'Send JSON (Content-Type: application/json)' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid_request' },
}

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } }
}

/** The one place where errors become HTTP responses: `{"error": {"code", "message", "details"}}`. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    if (error instanceof AppError) {
      if (error.status === 429 && error.details && typeof error.details === 'object' && 'retry_after_seconds' in error.details) {
        reply.header('retry-after', String(error.details.retry_after_seconds))
      }
      return reply.status(error.status).send(errorBody(error.code, error.message, error.details))
    }
    const fastifyError = error as FastifyError
    const known = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined
    if (known) return reply.status(known.status).send(errorBody(known.code, known.message ?? error.message))
    if (error instanceof SyntaxError || (fastifyError.statusCode === 400 && fastifyError.code?.startsWith('FST_ERR_CTP'))) {
      return reply.status(400).send(errorBody('invalid_json', `Malformed JSON body: ${error.message}`))
    }
    if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
      return reply.status(fastifyError.statusCode).send(errorBody('invalid_request', error.message))
    }
    request.log.error({ err: error }, 'unhandled error')
    return reply.status(500).send(errorBody('internal_error', 'Something went wrong on our side; it has been logged'))
  })

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(errorBody('not_found', `No route ${request.method} ${request.url.split('?')[0]}`)),
  )
}
