import { ErrorBody, InteractionListQuery, MetricsQuery, MetricsReport } from '@interlog/schema'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf } from '../http/auth.hook.js'
import type { DataQualityService } from './data-quality.service.js'
import type { FailuresService } from './failures.service.js'
import type { MetricsService } from './metrics.service.js'

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody }
const page = { total_count: z.number(), returned_count: z.number(), limit: z.number(), offset: z.number(), next_cursor: z.string().nullable() }
const Nullable = z.unknown().nullable()

const FailuresReport = z
  .object({
    failures: z.array(
      z.looseObject({ id: z.string(), timestamp: z.string(), error_type: z.string().nullable(), error_message: z.string().nullable(), input: z.record(z.string(), Nullable), context: z.record(z.string(), Nullable) }),
    ),
    by_error_type: z.array(z.object({ error_type: z.string().nullable(), count: z.number() })),
    ...page,
  })
  .meta({ id: 'FailuresReport' })

const DataQualityReport = z
  .object({
    with_required_variables: z.number(),
    all_variables_present: z.number(),
    all_variables_present_rate: z.number().nullable(),
    variables: z.array(z.object({ variable: z.string(), missing_count: z.number() })),
    interactions: z.array(z.looseObject({ id: z.string(), timestamp: z.string(), missing_variables: z.array(z.string()) })),
    ...page,
  })
  .meta({ id: 'DataQualityReport' })

export function analyticsRoutes(app: FastifyInstance, metrics: MetricsService, failures: FailuresService, dataQuality: DataQualityService): void {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const tags = ['analytics']

  r.get(
    '/v1/metrics',
    {
      config: { scope: 'analytics:view' },
      schema: {
        tags,
        summary: 'Totals, a time series and per-group totals over a time range (default: the last 30 days)',
        querystring: MetricsQuery,
        response: { 200: MetricsReport, ...errors },
      },
    },
    async (request) => metrics.report(authOf(request), request.query),
  )

  r.get(
    '/v1/failures',
    {
      config: { scope: 'read' },
      schema: { tags, summary: 'The latest failures with their error, input and context', querystring: InteractionListQuery, response: { 200: FailuresReport, ...errors } },
    },
    async (request) => failures.latest(authOf(request), request.query),
  )

  r.get(
    '/v1/data-quality',
    {
      config: { scope: 'read' },
      schema: {
        tags,
        summary: 'Interactions with missing required variables, and counts per variable',
        querystring: InteractionListQuery,
        response: { 200: DataQualityReport, ...errors },
      },
    },
    async (request) => dataQuality.report(authOf(request), request.query),
  )
}
