import { ErrorBody, Validation, ValidationInput } from '@interlog/schema'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf } from '../http/auth.hook.js'
import type { ValidationsService } from './validations.service.js'

const IdParams = z.object({ id: z.string().min(1) })
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody }

export function validationRoutes(app: FastifyInstance, validations: ValidationsService): void {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const tags = ['training data']

  r.post(
    '/v1/interactions/:id/validations',
    {
      config: { scope: 'feedback' },
      schema: {
        tags,
        summary: 'Record a validation of the output; with `edited`, the server diffs it against the original (a user-bound key: only its own interactions)',
        params: IdParams,
        body: ValidationInput,
        response: { 201: Validation, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await validations.add(authOf(request), request.params.id, request.body)),
  )

  r.get(
    '/v1/interactions/:id/validations',
    {
      config: { scope: 'read' },
      schema: { tags, summary: 'Validation history of an interaction, oldest first', params: IdParams, response: { 200: z.object({ validations: z.array(Validation) }), ...errors } },
    },
    async (request) => ({ validations: await validations.history(authOf(request), request.params.id) }),
  )
}
