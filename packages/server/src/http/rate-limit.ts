import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance } from 'fastify'
import { AppError } from '../errors/errors.js'

/**
 * Per-key request budget. Counted in process memory: with several replicas each enforces the limit
 * on what it serves (the budget per key is then up to replicas × limit).
 */
export async function registerRateLimit(app: FastifyInstance, perMinute: number): Promise<void> {
  if (perMinute <= 0) return
  await app.register(rateLimit, {
    max: perMinute,
    timeWindow: 60_000,
    // After authentication (an onRequest hook), so the budget belongs to the key, not to an IP shared by
    // many clients; before the body is parsed and validated, so refused requests spend it too.
    hook: 'preParsing',
    allowList: (request) => request.auth === undefined,
    keyGenerator: (request) => request.auth?.keyId ?? request.ip,
    errorResponseBuilder: (_request, context) =>
      new AppError(429, 'rate_limited', `Rate limit of ${context.max} requests per minute exceeded; retry after ${context.after}`, {
        retry_after_seconds: Math.ceil(context.ttl / 1000),
      }),
  })
}
