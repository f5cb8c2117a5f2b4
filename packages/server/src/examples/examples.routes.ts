import { ErrorBody, Example, ExampleInput, ExampleList, ExampleListQuery } from '@interlog/schema'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf } from '../http/auth.hook.js'
import type { ExamplesService } from './examples.service.js'

const IdParams = z.object({ id: z.string().min(1) })
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody }

export function exampleRoutes(app: FastifyInstance, examples: ExamplesService): void {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const tags = ['training data']

  r.post(
    '/v1/examples',
    {
      config: { scope: 'feedback' },
      schema: {
        tags,
        summary: 'Curate an example: copy an interaction (interaction_id) or send raw input and output',
        body: ExampleInput,
        response: { 201: Example, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await examples.create(authOf(request), request.body)),
  )

  r.get(
    '/v1/examples',
    { config: { scope: 'read' }, schema: { tags, summary: 'List curated examples, newest first', querystring: ExampleListQuery, response: { 200: ExampleList, ...errors } } },
    async (request) => examples.list(authOf(request), request.query),
  )

  r.get(
    '/v1/examples/:id',
    { config: { scope: 'read' }, schema: { tags, summary: 'One curated example', params: IdParams, response: { 200: Example, ...errors } } },
    async (request) => examples.get(authOf(request), request.params.id),
  )

  r.delete(
    '/v1/examples/:id',
    { config: { scope: 'delete' }, schema: { tags, summary: 'Delete a curated example', params: IdParams, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      await examples.delete(authOf(request), request.params.id)
      return reply.status(204).send(null)
    },
  )
}
