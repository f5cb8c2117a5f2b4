import type { FastifyInstance } from 'fastify'
import { ErrorBody } from '@interlog/schema'
import { z } from 'zod'
import type { Store } from '../store/store.js'
import { errorBody } from './error-handler.js'

const Status = z.object({ status: z.string() })

/** Liveness (the process answers) and readiness (the database answers). */
export function healthRoutes(
  app: FastifyInstance, store: Pick<Store, 'ping'>, isDraining: () => boolean): void {
  app.get('/healthz', { schema: { tags: ['health'], response: { 200: Status, 503: ErrorBody } } }, async () => ({ status: 'ok' }))
  app.get('/readyz', { schema: { tags: ['health'], response: { 200: Status, 503: ErrorBody } } }, async (request, reply) => {
    if (isDraining()) return reply.status(503).send(errorBody('unavailable', 'Shutting down'))
    try {
      await store.ping()
      return { status: 'ready' }
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed')
      return reply.status(503).send(errorBody('unavailable', 'The database does not answer'))
    }
  })
}
