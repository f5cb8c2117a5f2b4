import type { FastifyInstance } from 'fastify'
import { authOf } from '../http/auth.hook.js'
import { decodeContent, decodeExportTraceRequest } from './otlp.decode.js'
import { otlpProtos } from './otlp.proto.js'
import { encodingOf, PROTOBUF, renderOtlpError, sendExportResponse } from './otlp.response.js'
import type { OtlpService } from './otlp.service.js'

export interface OtlpRouteOptions {
  /** Largest body, compressed or not. */
  bodyLimitBytes: number
}

const description = `OpenTelemetry trace ingest (OTLP/HTTP). Send an ExportTraceServiceRequest as ${PROTOBUF} or
application/json, gzip-compressed or not (Content-Encoding: gzip). Spans that describe a model call (GenAI semantic
conventions, current or older) become interactions; execute_tool spans become tool_calls of the model call that
requested them; other spans are ignored. Answers 200 with an ExportTraceServiceResponse in the request's encoding
(partial_success counts rejected spans), or a google.rpc.Status with 400, 401, 403, 413, 415, 429 or 503.`

/** POST /v1/traces, in its own plugin scope: it reads raw bodies (protobuf, gzip) instead of parsed JSON. */
export async function otlpRoutes(app: FastifyInstance, service: OtlpService, options: OtlpRouteOptions): Promise<void> {
  // Parse the .proto files now: a missing file fails the start, not the first request.
  otlpProtos()
  await app.register(async (otlp) => {
    otlp.removeAllContentTypeParsers()
    otlp.addContentTypeParser(['application/json', PROTOBUF], { parseAs: 'buffer', bodyLimit: options.bodyLimitBytes }, (_request, body, done) =>
      done(null, body),
    )

    otlp.post(
      '/v1/traces',
      {
        config: { scope: 'ingest', renderError: renderOtlpError },
        schema: { tags: ['opentelemetry'], summary: 'Export OpenTelemetry traces (OTLP/HTTP, protobuf or JSON)', description },
      },
      async (request, reply) => {
        const encoding = encodingOf(request)
        const body = await decodeContent(request.body as Buffer, request.headers['content-encoding'], options.bodyLimitBytes)
        const exported = await service.exportTraces(authOf(request), decodeExportTraceRequest(body, encoding))
        const { rejectedSpans, errorMessage, ...counts } = exported
        if (rejectedSpans > 0) request.log.warn({ ...counts, rejectedSpans, errorMessage }, 'otlp export: spans rejected')
        else request.log.debug({ ...counts, rejectedSpans }, 'otlp export')
        return sendExportResponse(reply, encoding, rejectedSpans, errorMessage)
      },
    )
  })
}
