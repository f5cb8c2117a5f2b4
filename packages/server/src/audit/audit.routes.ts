import { AuditLog, AuditLogQuery, ErrorBody } from '@interlog/schema'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { authOf } from '../http/auth.hook.js'
import type { AuditService } from './audit.service.js'

export function auditRoutes(app: FastifyInstance, audit: AuditService): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/audit-log',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['privacy'],
        summary: "The tenant's audit log, newest first: deletions, erasures, exports, key and tenant administration, settings changes",
        querystring: AuditLogQuery,
        response: { 200: AuditLog, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody },
      },
    },
    async (request) => audit.list(authOf(request), request.query),
  )
}
