import {
  BatchResult,
  ErrorBody,
  IngestAck,
  Interaction,
  InteractionBatchInput,
  InteractionInput,
  InteractionList,
  InteractionListQuery,
  Thread,
} from '@interlog/schema'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf } from '../http/auth.hook.js'
import { passThroughValidator } from '../http/zod-validation.js'
import type { InteractionsService } from './interactions.service.js'

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 413: ErrorBody, 429: ErrorBody }
const IdParams = z.object({ id: z.string().min(1) })
const ThreadQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(500) })

export function interactionRoutes(app: FastifyInstance, service: InteractionsService): void {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const tags = ['interactions']

  r.post(
    '/v1/interactions',
    {
      config: { scope: 'ingest' },
      // Items are validated one by one in the service, so one bad item never sinks a batch.
      validatorCompiler: passThroughValidator,
      schema: {
        tags,
        summary: 'Record one interaction (201, or 200 when its id exists) or a batch of up to 1,000 (207)',
        description: "409: a key bound to an end user sent an id that another user's interaction holds.",
        body: z.union([InteractionInput, InteractionBatchInput]),
        response: { 201: IngestAck, 200: IngestAck, 207: BatchResult, ...errors, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const result = await service.ingest(authOf(request), request.body)
      return reply.status(result.status).send(result.body)
    },
  )

  r.get(
    '/v1/interactions',
    {
      config: { scope: 'read' },
      schema: { tags, summary: 'List interactions (newest first unless sorted otherwise), filtered, with keyset paging', querystring: InteractionListQuery, response: { 200: InteractionList, ...errors } },
    },
    async (request) => service.list(authOf(request), request.query),
  )

  r.get(
    '/v1/interactions/:id',
    { config: { scope: 'read' }, schema: { tags, params: IdParams, response: { 200: Interaction, ...errors } } },
    async (request) => service.get(authOf(request), request.params.id),
  )

  r.delete(
    '/v1/interactions/:id',
    {
      config: { scope: 'delete' },
      schema: { tags, summary: 'Delete an interaction and everything attached to it', params: IdParams, response: { 204: z.null(), ...errors } },
    },
    async (request, reply) => {
      await service.delete(authOf(request), request.params.id)
      return reply.status(204).send(null)
    },
  )

  r.get(
    '/v1/threads/:thread_id',
    {
      config: { scope: 'read' },
      schema: {
        tags,
        summary: 'A conversation in time order',
        params: z.object({ thread_id: z.string().min(1) }),
        querystring: ThreadQuery,
        response: { 200: Thread, ...errors },
      },
    },
    async (request) => {
      const interactions = await service.thread(authOf(request), request.params.thread_id, request.query.limit)
      return { thread_id: request.params.thread_id, interactions, returned_count: interactions.length }
    },
  )
}
