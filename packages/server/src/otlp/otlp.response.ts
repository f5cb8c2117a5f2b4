import type { FastifyReply, FastifyRequest } from 'fastify'
import type { HttpError } from '../http/error-handler.js'
import type { OtlpEncoding } from './otlp.decode.js'
import { otlpProtos } from './otlp.proto.js'

/**
 * OTLP/HTTP answers in the encoding of the request: an Export*ServiceResponse on success (with
 * `partial_success` when items were rejected), a google.rpc.Status on errors.
 */

export const PROTOBUF = 'application/x-protobuf'

export const encodingOf = (request: FastifyRequest): OtlpEncoding =>
  (request.headers['content-type'] ?? '').toLowerCase().startsWith(PROTOBUF) ? 'protobuf' : 'json'

/** The two OTLP signals interlog receives, and how each names its rejected items. */
export type OtlpSignal = 'traces' | 'logs'
const RESPONSES = {
  traces: { type: 'exportTraceServiceResponse', rejectedField: 'rejectedSpans' },
  logs: { type: 'exportLogsServiceResponse', rejectedField: 'rejectedLogRecords' },
} as const

export function sendExportResponse(reply: FastifyReply, signal: OtlpSignal, encoding: OtlpEncoding, rejected: number, errorMessage: string | undefined) {
  const { type, rejectedField } = RESPONSES[signal]
  const partialSuccess = rejected > 0 || errorMessage ? { [rejectedField]: rejected, errorMessage: errorMessage ?? '' } : undefined
  if (encoding === 'protobuf') {
    const messageType = otlpProtos()[type]
    const body = messageType.encode(messageType.fromObject(partialSuccess ? { partialSuccess } : {})).finish()
    return reply.status(200).type(PROTOBUF).send(Buffer.from(body.buffer, body.byteOffset, body.byteLength))
  }
  // The protobuf JSON mapping writes int64 as a string.
  const body = partialSuccess ? { partialSuccess: { ...partialSuccess, [rejectedField]: String(rejected) } } : {}
  return reply.status(200).type('application/json').send(body)
}

/** google.rpc.Code for an HTTP status (the Status message carries one). */
function grpcCode(status: number): number {
  if (status === 400 || status === 415) return 3 // INVALID_ARGUMENT
  if (status === 401) return 16 // UNAUTHENTICATED
  if (status === 403) return 7 // PERMISSION_DENIED
  if (status === 404) return 5 // NOT_FOUND
  if (status === 413 || status === 429) return 8 // RESOURCE_EXHAUSTED
  if (status === 503) return 14 // UNAVAILABLE
  if (status === 500) return 13 // INTERNAL
  return 2 // UNKNOWN
}

/** Error renderer of the OTLP routes: the status code OTLP clients act on (429/503 retry), a Status body. */
export function renderOtlpError(error: HttpError, request: FastifyRequest, reply: FastifyReply) {
  const message = error.status === 415 && error.code === 'unsupported_media_type' && !error.message.includes('Content-Encoding')
    ? `Send OTLP as ${PROTOBUF} or application/json`
    : error.message
  const status = { code: grpcCode(error.status), message }
  reply.status(error.status)
  if (encodingOf(request) === 'protobuf') {
    const type = otlpProtos().status
    const body = type.encode(type.fromObject(status)).finish()
    return reply.type(PROTOBUF).send(Buffer.from(body.buffer, body.byteOffset, body.byteLength))
  }
  return reply.type('application/json').send(status)
}
