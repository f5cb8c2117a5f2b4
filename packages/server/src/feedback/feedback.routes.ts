import { ErrorBody, Feedback, FeedbackInput } from '@interlog/schema'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf } from '../http/auth.hook.js'
import type { FeedbackService } from './feedback.service.js'

const IdParams = z.object({ id: z.string().min(1) })
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody }

export function feedbackRoutes(app: FastifyInstance, feedback: FeedbackService): void {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const tags = ['feedback']

  r.post(
    '/v1/interactions/:id/feedback',
    {
      config: { scope: 'feedback' },
      schema: {
        tags,
        summary: 'Record feedback; it becomes the latest on the interaction (a user-bound key: only its own interactions)',
        params: IdParams,
        body: FeedbackInput,
        response: { 201: Feedback, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await feedback.add(authOf(request), request.params.id, request.body)),
  )

  r.get(
    '/v1/interactions/:id/feedback',
    { config: { scope: 'read' }, schema: { tags, summary: 'Feedback history of an interaction, oldest first', params: IdParams, response: { 200: z.object({ feedback: z.array(Feedback) }), ...errors } } },
    async (request) => ({ feedback: await feedback.history(authOf(request), request.params.id) }),
  )
}
