import type { AuditService } from '../audit/audit.service.js'
import type { AuthContext } from '../auth/auth-context.js'
import { NotFoundError } from '../errors/errors.js'
import { parseOrThrow } from '../errors/zod-issues.js'
import type { Clock } from '../runtime/clock.js'
import type { PriceStore } from '../store/store.js'
import type { CachedTenantPriceLookup } from './cached-tenant-price-lookup.js'
import { TenantPriceInput, type TenantPrice } from './tenant-price.js'

/** A tenant's own model prices. Changes reach this process's ingest at once, other replicas within the lookup TTL. */
export class PricesService {
  constructor(
    private readonly prices: PriceStore,
    private readonly lookup: CachedTenantPriceLookup,
    private readonly clock: Clock,
    private readonly audit: Pick<AuditService, 'record'>,
  ) {}

  async put(auth: AuthContext, model: string, input: unknown): Promise<TenantPrice> {
    const rates = parseOrThrow(TenantPriceInput, input, 'price')
    const price: TenantPrice = { model, ...rates, updated_at: this.clock.now().toISOString() }
    await this.prices.put(auth.tenantId, price)
    this.lookup.invalidate(auth.tenantId, model)
    await this.audit.record(auth.tenantId, { actor: auth, action: 'price.set', target: { type: 'model', id: model }, details: rates })
    return price
  }

  list(auth: AuthContext): Promise<TenantPrice[]> {
    return this.prices.list(auth.tenantId)
  }

  async delete(auth: AuthContext, model: string): Promise<void> {
    if (!(await this.prices.delete(auth.tenantId, model))) throw new NotFoundError(`Price for model '${model}'`)
    this.lookup.invalidate(auth.tenantId, model)
    await this.audit.record(auth.tenantId, { actor: auth, action: 'price.delete', target: { type: 'model', id: model } })
  }
}
