import { ErrorBody, TrainingRun, TrainingRunInput, TrainingRunList, TrainingRunListQuery } from '@interlog/schema'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { authOf } from '../http/auth.hook.js'
import type { TrainingRunsService } from './training-runs.service.js'

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody }

export function trainingRunRoutes(app: FastifyInstance, runs: TrainingRunsService): void {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const tags = ['training data']

  r.post(
    '/v1/training-runs',
    {
      // Recorded by the training pipeline, which holds an export key to pull its dataset.
      config: { scope: 'export' },
      schema: { tags, summary: 'Record a fine-tuning run: model version, date, dataset size, accuracy, validation rate, cost', body: TrainingRunInput, response: { 201: TrainingRun, ...errors } },
    },
    async (request, reply) => reply.status(201).send(await runs.create(authOf(request), request.body)),
  )

  r.get(
    '/v1/training-runs',
    { config: { scope: 'read' }, schema: { tags, summary: 'Training runs, newest first', querystring: TrainingRunListQuery, response: { 200: TrainingRunList, ...errors } } },
    async (request) => runs.list(authOf(request), request.query),
  )
}
