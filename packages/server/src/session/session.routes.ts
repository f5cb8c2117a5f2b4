import { ErrorBody, Session, SessionSignInInput } from '@interlog/schema'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { SESSION_COOKIE } from '../http/auth.hook.js'
import type { SessionService } from './session.service.js'

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody }

const cookieOptions = (request: FastifyRequest) =>
  ({ path: '/', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https' }) as const

const clearCookie = (request: FastifyRequest, reply: FastifyReply) => {
  if (request.cookies[SESSION_COOKIE] !== undefined) reply.clearCookie(SESSION_COOKIE, cookieOptions(request))
}

/** Dashboard sign-in and sign-out: an HttpOnly, SameSite=Strict session cookie in exchange for a key with `read`. */
export function sessionRoutes(app: FastifyInstance, sessions: SessionService): void {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const tags = ['session']

  r.post(
    '/v1/session',
    {
      schema: {
        tags,
        summary: 'Sign in to the dashboard: sets an HttpOnly session cookie for a key with the read scope (the key itself is not kept)',
        security: [],
        body: SessionSignInInput,
        response: { 200: Session, ...errors },
      },
    },
    async (request, reply) => {
      const signedIn = await sessions.signIn(request.body.key)
      reply.setCookie(SESSION_COOKIE, signedIn.token, { ...cookieOptions(request), expires: signedIn.expiresAt })
      return signedIn.view
    },
  )

  r.get(
    '/v1/session',
    {
      config: { authentication: 'optional' },
      schema: { tags, summary: 'Who is signed in (session cookie or bearer key); signed_in false when nobody is', response: { 200: Session, ...errors } },
    },
    async (request, reply) => {
      if (!request.auth) clearCookie(request, reply)
      return sessions.describe(request.auth, request.sessionExpiresAt)
    },
  )

  r.delete(
    '/v1/session',
    {
      config: { authentication: 'optional' },
      schema: { tags, summary: 'Sign out: ends the session and clears its cookie', response: { 204: z.null(), ...errors } },
    },
    async (request, reply) => {
      await sessions.signOut(request.auth)
      clearCookie(request, reply)
      return reply.status(204).send(null)
    },
  )
}
