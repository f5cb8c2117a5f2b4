import type { FastifyInstance } from 'fastify'
import type { AuthContext } from '../auth/auth-context.js'
import { authOf } from '../http/auth.hook.js'
import { decodeContent, decodeExportLogsRequest, decodeExportTraceRequest, type OtlpEncoding } from './otlp.decode.js'
import { otlpProtos } from './otlp.proto.js'
import { encodingOf, PROTOBUF, renderOtlpError, sendExportResponse, type OtlpSignal } from './otlp.response.js'
import type { ExportOutcome, OtlpService } from './otlp.service.js'

export interface OtlpRouteOptions {
  /** Largest body, compressed or not. */
  bodyLimitBytes: number
}

const encodings = `Send an Export*ServiceRequest as ${PROTOBUF} or application/json, gzip-compressed or not (Content-Encoding: gzip).
Answers 200 with the Export*ServiceResponse in the request's encoding (partial_success counts rejected items), or a
google.rpc.Status with 400, 401, 403, 413, 415, 429 or 503.`

const ROUTES: Record<OtlpSignal, { summary: string; description: string }> = {
  traces: {
    summary: 'Export OpenTelemetry traces (OTLP/HTTP, protobuf or JSON)',
    description: `${encodings} Spans that describe a model call (GenAI semantic conventions, current or older) become
interactions; execute_tool spans become tool_calls of the model call that requested them; other spans are ignored.`,
  },
  logs: {
    summary: 'Export OpenTelemetry logs: GenAI events (OTLP/HTTP, protobuf or JSON)',
    description: `${encodings} GenAI events (gen_ai.user.message, gen_ai.choice, ...) fill the messages, answer and tool calls
of their span's interaction, whichever arrives first; other log records are ignored.`,
  },
}

/** POST /v1/traces and /v1/logs, in their own plugin scope: they read raw bodies (protobuf, gzip) instead of parsed JSON. */
export async function otlpRoutes(app: FastifyInstance, service: OtlpService, options: OtlpRouteOptions): Promise<void> {
  // Parse the .proto files now: a missing file fails the start, not the first request.
  otlpProtos()
  const exporters: Record<OtlpSignal, (auth: AuthContext, body: Buffer, encoding: OtlpEncoding) => Promise<ExportOutcome>> = {
    traces: (auth, body, encoding) => service.exportTraces(auth, decodeExportTraceRequest(body, encoding)),
    logs: (auth, body, encoding) => service.exportLogs(auth, decodeExportLogsRequest(body, encoding)),
  }

  await app.register(async (otlp) => {
    otlp.removeAllContentTypeParsers()
    otlp.addContentTypeParser(['application/json', PROTOBUF], { parseAs: 'buffer', bodyLimit: options.bodyLimitBytes }, (_request, body, done) =>
      done(null, body),
    )

    for (const signal of ['traces', 'logs'] as const) {
      otlp.post(
        `/v1/${signal}`,
        { config: { scope: 'ingest', renderError: renderOtlpError }, schema: { tags: ['opentelemetry'], ...ROUTES[signal] } },
        async (request, reply) => {
          const encoding = encodingOf(request)
          const body = await decodeContent(request.body as Buffer, request.headers['content-encoding'], options.bodyLimitBytes)
          const { rejected, errorMessage, counts } = await exporters[signal](authOf(request), body, encoding)
          if (rejected > 0) request.log.warn({ signal, ...counts, rejected, errorMessage }, 'otlp export: items rejected')
          else request.log.debug({ signal, ...counts }, 'otlp export')
          return sendExportResponse(reply, signal, encoding, rejected, errorMessage)
        },
      )
    }
  })
}
