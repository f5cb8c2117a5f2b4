import type { Scope } from '@interlog/schema'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { requireScope, type AuthContext } from '../auth/auth-context.js'
import type { AuthService } from '../auth/auth.service.js'
import { ForbiddenError, UnauthorizedError } from '../errors/errors.js'
import type { SessionService } from '../session/session.service.js'

/** The dashboard's session cookie (HttpOnly, SameSite=Strict): a random token, never the key. */
export const SESSION_COOKIE = 'interlog_session'
/**
 * A request authenticated by the session cookie that changes data must carry this header. Browsers
 * let another site send it only after a CORS preflight, which this API never grants.
 */
export const CSRF_HEADER = 'x-interlog-csrf'
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope a route needs (a list: any one of them); routes without one (and without `authentication`) are public (health, docs). */
    scope?: Scope | readonly Scope[]
    /** `optional`: authenticate when credentials come, never refuse (the session check); `required` with no scope: any valid key. */
    authentication?: 'required' | 'optional'
  }
  interface FastifyRequest {
    auth?: AuthContext
    /** When the session cookie authenticated the request: when that session ends. */
    sessionExpiresAt?: Date
  }
}

/**
 * Authenticates every route that declares a scope, before the body is read: a bearer key, or else the
 * dashboard's session cookie (with the CSRF header on requests that change data).
 */
export function registerAuth(app: FastifyInstance, auth: AuthService, sessions: Pick<SessionService, 'authenticate'>): void {
  app.decorateRequest('auth', undefined)
  app.decorateRequest('sessionExpiresAt', undefined)

  const authenticate = async (request: FastifyRequest): Promise<AuthContext> => {
    const token = request.cookies?.[SESSION_COOKIE]
    if (request.headers.authorization !== undefined || !token) return auth.authenticate(request.headers.authorization)
    const { expiresAt, ...context } = await sessions.authenticate(token)
    if (!SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] === undefined) {
      throw new ForbiddenError(`A request signed in by the session cookie that changes data needs the '${CSRF_HEADER}' header`, {
        required_header: CSRF_HEADER,
      })
    }
    request.sessionExpiresAt = expiresAt
    return context
  }

  app.addHook('onRequest', async (request) => {
    const { scope, authentication } = request.routeOptions.config
    if (scope === undefined && authentication === undefined) return
    if (authentication === 'optional') {
      request.auth = await authenticate(request).catch((error: unknown) => {
        if (error instanceof UnauthorizedError) return undefined
        throw error
      })
      return
    }
    request.auth = await authenticate(request)
    if (scope !== undefined) requireScope(request.auth, scope)
  })
}

/** The caller of an authenticated route (set by the hook above). */
export function authOf(request: FastifyRequest): AuthContext {
  if (!request.auth) throw new UnauthorizedError()
  return request.auth
}
