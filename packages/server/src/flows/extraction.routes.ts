import { ErrorBody, ExtractBody, ExtractResult, ThreadExtractBody } from '@interlog/schema'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf } from '../http/auth.hook.js'
import type { ExtractionService } from './extraction.service.js'

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 502: ErrorBody }

export function extractionRoutes(app: FastifyInstance, extraction: ExtractionService): void {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const tags = ['flows']

  r.post(
    '/v1/extract',
    {
      config: { scope: 'ingest' },
      schema: {
        tags,
        summary: "Extract fields (name → description) from a conversation; values come from the customer's messages only",
        body: ExtractBody,
        response: { 200: ExtractResult, ...errors },
      },
    },
    async (request) => extraction.extract(request.body),
  )

  r.post(
    '/v1/threads/:thread_id/extract',
    {
      config: { scope: 'read' },
      schema: {
        tags,
        summary: "Extract fields from a stored thread (its interactions' user messages and responses, oldest first)",
        params: z.object({ thread_id: z.string().min(1) }),
        body: ThreadExtractBody,
        response: { 200: ExtractResult, ...errors },
      },
    },
    async (request) => extraction.extractThread(authOf(request), request.params.thread_id, request.body),
  )
}
