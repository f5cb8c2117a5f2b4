import { ApiKey, CreatedApiKey, CreateKeyInput, CreateTenantInput, ErrorBody, KeyListQuery, Tenant } from '@interlog/schema'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf } from '../http/auth.hook.js'
import type { KeysService } from './keys.service.js'
import type { TenantsService } from './tenants.service.js'

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody }

/** Tenants and API keys. Creating tenants needs the root key; a tenant's `admin` keys manage its own keys. */
export function adminRoutes(app: FastifyInstance, tenants: TenantsService, keys: KeysService): void {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const config = { scope: 'admin' as const }
  const tags = ['admin']

  r.post('/v1/admin/tenants', { config, schema: { tags, body: CreateTenantInput, response: { 201: Tenant, ...errors } } }, async (request, reply) =>
    reply.status(201).send(await tenants.create(authOf(request), request.body)),
  )

  r.get('/v1/admin/tenants', { config, schema: { tags, response: { 200: z.object({ tenants: z.array(Tenant) }) } } }, async (request) => ({
    tenants: await tenants.list(authOf(request)),
  }))

  r.post('/v1/admin/keys', { config, schema: { tags, body: CreateKeyInput, response: { 201: CreatedApiKey, ...errors } } }, async (request, reply) =>
    reply.status(201).send(await keys.create(authOf(request), request.body)),
  )

  r.get(
    '/v1/admin/keys',
    { config, schema: { tags, querystring: KeyListQuery, response: { 200: z.object({ keys: z.array(ApiKey) }), ...errors } } },
    async (request) => ({ keys: await keys.list(authOf(request), request.query.tenant_id) }),
  )

  r.delete(
    '/v1/admin/keys/:id',
    { config, schema: { tags, params: z.object({ id: z.string() }), response: { 200: ApiKey, ...errors } } },
    async (request) => keys.revoke(authOf(request), request.params.id),
  )
}
