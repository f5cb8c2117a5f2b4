import { ErrorBody, Readiness, ReadinessQuery, ReadinessSettings, ReadinessSettingsInput } from '@interlog/schema'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { authOf } from '../http/auth.hook.js'
import type { ReadinessService } from './readiness.service.js'

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody }

export function readinessRoutes(app: FastifyInstance, readiness: ReadinessService): void {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const tags = ['training data']

  r.get(
    '/v1/readiness',
    {
      config: { scope: ['analytics:view', 'read'] },
      schema: {
        tags,
        summary: 'Whether there is enough good data to fine-tune: a 0-100 score, each criterion against its threshold, and recommendations',
        querystring: ReadinessQuery,
        response: { 200: Readiness, ...errors },
      },
    },
    async (request) => readiness.report(authOf(request), request.query),
  )

  r.get(
    '/v1/settings/readiness',
    { config: { scope: 'read' }, schema: { tags, summary: "The tenant's readiness thresholds", response: { 200: ReadinessSettings, ...errors } } },
    async (request) => readiness.getSettings(authOf(request)),
  )

  r.put(
    '/v1/settings/readiness',
    {
      config: { scope: 'admin' },
      schema: { tags, summary: 'Set the readiness thresholds; what the body leaves out takes its default', body: ReadinessSettingsInput, response: { 200: ReadinessSettings, ...errors } },
    },
    async (request) => readiness.putSettings(authOf(request), request.body),
  )
}
