import type { Scope } from '@interlog/schema'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { requireScope, type AuthContext } from '../auth/auth-context.js'
import type { AuthService } from '../auth/auth.service.js'
import { UnauthorizedError } from '../errors/errors.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope a route needs (a list: any one of them); routes without one are public (health, docs). */
    scope?: Scope | readonly Scope[]
  }
  interface FastifyRequest {
    auth?: AuthContext
  }
}

/** Authenticates every route that declares a scope, before the body is read. */
export function registerAuth(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('auth', undefined)
  app.addHook('onRequest', async (request) => {
    const scope = request.routeOptions.config.scope
    if (scope === undefined) return
    request.auth = await auth.authenticate(request.headers.authorization)
    requireScope(request.auth, scope)
  })
}

/** The caller of an authenticated route (set by the hook above). */
export function authOf(request: FastifyRequest): AuthContext {
  if (!request.auth) throw new UnauthorizedError()
  return request.auth
}
