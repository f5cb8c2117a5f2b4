import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../errors/errors.js'

/** Fastify's own errors, mapped to our codes. */
const FASTIFY_CODES: Record<string, { status: number; code: string; message?: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large', message: 'The request body is larger than the limit' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid_json' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_json', message: 'The body is empty; send a JSON object' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type', message: 'Send JSON (Content-Type: application/json)' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid_request' },
  // Raised while routing, before any handler: they reach us through `frameworkErrors` below.
  FST_ERR_BAD_URL: { status: 400, code: 'invalid_request', message: 'The URL has a malformed percent-encoding' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: 'uri_too_long', message: 'A path segment of the URL is longer than any id interlog accepts' },
}

/** An error as the HTTP layer answers it, whatever the body format. */
export interface HttpError {
  status: number
  code: string
  message: string
  details?: unknown
}

/** Routes that speak another protocol (OTLP) answer errors in that protocol's body format. */
export type ErrorRenderer = (error: HttpError, request: FastifyRequest, reply: FastifyReply) => FastifyReply

declare module 'fastify' {
  interface FastifyContextConfig {
    renderError?: ErrorRenderer
  }
}

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } }
}

function toHttpError(error: FastifyError | AppError | Error, request: FastifyRequest): HttpError {
  if (error instanceof AppError) return { status: error.status, code: error.code, message: error.message, details: error.details }
  const fastifyError = error as FastifyError
  const known = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined
  if (known) return { status: known.status, code: known.code, message: known.message ?? error.message }
  if (error instanceof SyntaxError || (fastifyError.statusCode === 400 && fastifyError.code?.startsWith('FST_ERR_CTP'))) {
    return { status: 400, code: 'invalid_json', message: `Malformed JSON body: ${error.message}` }
  }
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return { status: fastifyError.statusCode, code: 'invalid_request', message: error.message }
  }
  request.log.error({ err: error }, 'unhandled error')
  return { status: 500, code: 'internal_error', message: 'Something went wrong on our side; it has been logged' }
}

/** Fastify's `frameworkErrors`: errors of routing itself, answered in the same shape as every other. */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const httpError = toHttpError(error, request)
  void reply.status(httpError.status).send(errorBody(httpError.code, httpError.message, httpError.details))
}

/** The one place where errors become HTTP responses: `{"error": {"code", "message", "details"}}` unless the route renders its own. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    const httpError = toHttpError(error, request)
    const { details } = httpError
    if (httpError.status === 429 && details && typeof details === 'object' && 'retry_after_seconds' in details) {
      reply.header('retry-after', String(details.retry_after_seconds))
    }
    const render = request.routeOptions.config?.renderError
    if (render) return render(httpError, request, reply)
    return reply.status(httpError.status).send(errorBody(httpError.code, httpError.message, httpError.details))
  })

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(errorBody('not_found', `No route ${request.method} ${request.url.split('?')[0]}`)),
  )
}
