import { Readable } from 'node:stream'
import { ErrorBody, ExportQuery, ExportSummary } from '@interlog/schema'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf } from '../http/auth.hook.js'
import type { ExportService } from './export.service.js'

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody }

/** The HTTP trailer that carries the export's summary (rows written, skipped by reason) after the last byte. */
export const SUMMARY_TRAILER = 'x-export-summary'

export function exportRoutes(app: FastifyInstance, exports: ExportService): void {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const tags = ['export']

  r.get(
    '/v1/export',
    {
      config: { scope: 'export' },
      // Fastify's automatic HEAD route would run the whole export only to drop the body.
      exposeHeadRoute: false,
      schema: {
        tags,
        summary: 'Stream the matching interactions as a file: json, csv, jsonl, openai-chat, openai-dpo or trl',
        description:
          'Takes every filter of GET /v1/interactions plus success_only, with_feedback_only, min_quality, exclude_flagged and max_rows. ' +
          'The file is streamed (Content-Disposition: attachment), newest first. Records a format cannot write are skipped; ' +
          `the counts come in the HTTP trailer ${SUMMARY_TRAILER} (JSON, as GET /v1/export/summary answers). ` +
          'With include_archived=true, archived interactions matching the same filters follow the hot ones (newest archived object first), ' +
          "each interaction once: the export holds the tenant's archive lock while it runs (409 when an archive run holds it past the wait). " +
          'include_archived cannot be combined with q or source=examples (400).',
        querystring: ExportQuery,
        produces: ['application/x-ndjson', 'application/json', 'text/csv'],
        response: { 200: z.unknown().meta({ description: 'the export file, streamed' }), ...errors, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const run = await exports.open(authOf(request), request.query, { source: request.query.source })
      reply.header('content-type', run.mediaType)
      reply.header('content-disposition', `attachment; filename="${run.filename}"`)
      reply.header('cache-control', 'no-store')
      reply.trailer(SUMMARY_TRAILER, async () => JSON.stringify(run.summary()))
      return reply.send(Readable.from(run.chunks, { objectMode: false }))
    },
  )

  r.get(
    '/v1/export/summary',
    {
      config: { scope: 'export' },
      schema: {
        tags,
        summary: 'What GET /v1/export would write with the same query: rows, and records skipped by reason (a dry run)',
        querystring: ExportQuery,
        response: { 200: ExportSummary, ...errors, 409: ErrorBody },
      },
    },
    async (request) => exports.summarize(authOf(request), request.query, { source: request.query.source }),
  )
}
