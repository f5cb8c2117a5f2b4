import { ErrorBody, StorageStats } from '@interlog/schema'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { authOf } from '../http/auth.hook.js'
import type { StorageStatsService } from './storage-stats.service.js'

export function storageRoutes(app: FastifyInstance, stats: StorageStatsService): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/storage/stats',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['storage'],
        summary: "The tenant's storage over both tiers: counts, sizes, compression, monthly cost, breakdowns, readiness and recommendations",
        response: { 200: StorageStats, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody },
      },
    },
    async (request) => stats.report(authOf(request)),
  )
}
