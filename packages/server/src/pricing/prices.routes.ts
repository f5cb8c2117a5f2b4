import { ErrorBody } from '@interlog/schema'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf } from '../http/auth.hook.js'
import type { PricesService } from './prices.service.js'
import { TenantPriceInput } from './tenant-price.js'

const TenantPrice = TenantPriceInput.extend({ model: z.string(), updated_at: z.string() }).meta({ id: 'TenantPrice' })
const ModelParams = z.object({ model: z.string().min(1).max(256) })
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody }

export function pricesRoutes(app: FastifyInstance, prices: PricesService): void {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const tags = ['pricing']

  r.put(
    '/v1/prices/:model',
    {
      config: { scope: 'admin' },
      // The body is validated by the service, which names the fields the same way.
      schema: { tags, summary: "Set the tenant's own price for a model (USD per million tokens); it wins over the bundled table", params: ModelParams, body: TenantPriceInput, response: { 200: TenantPrice, ...errors } },
    },
    async (request) => prices.put(authOf(request), request.params.model, request.body),
  )

  r.get('/v1/prices', { config: { scope: 'read' }, schema: { tags, summary: "The tenant's own model prices", response: { 200: z.object({ prices: z.array(TenantPrice) }), ...errors } } }, async (request) => ({
    prices: await prices.list(authOf(request)),
  }))

  r.delete(
    '/v1/prices/:model',
    { config: { scope: 'admin' }, schema: { tags, summary: 'Go back to the bundled price for a model', params: ModelParams, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      await prices.delete(authOf(request), request.params.model)
      return reply.status(204).send(null)
    },
  )
}
