import type { Clock } from '../runtime/clock.js'
import { TtlCache } from '../runtime/ttl-cache.js'
import type { TenantPriceLookup } from './pricing.service.js'
import type { TenantPrice } from './tenant-price.js'

export interface CachedTenantPriceLookupOptions {
  /** How long a looked-up price (or its absence) is reused; default 5 s. */
  ttlMs?: number
  clock?: Clock
  /** Bounds memory, since model names are whatever clients send; default 10,000. */
  maxEntries?: number
}

/**
 * Keeps tenant prices for a short TTL so ingest does not query the store per interaction.
 * Absent prices are cached too (most models have none), and concurrent misses for one key
 * share a single query. Another replica's PUT is seen once the TTL runs out; a PUT in this
 * process calls `invalidate` to be seen at once.
 */
export class CachedTenantPriceLookup implements TenantPriceLookup {
  readonly #cache: TtlCache<TenantPrice | undefined>

  constructor(
    private readonly inner: TenantPriceLookup,
    options: CachedTenantPriceLookupOptions = {},
  ) {
    this.#cache = new TtlCache({ ttlMs: options.ttlMs ?? 5_000, clock: options.clock, maxEntries: options.maxEntries ?? 10_000 })
  }

  get(tenantId: string, model: string): Promise<TenantPrice | undefined> {
    return this.#cache.get(keyOf(tenantId, model), () => this.inner.get(tenantId, model))
  }

  invalidate(tenantId: string, model: string): void {
    this.#cache.delete(keyOf(tenantId, model))
  }
}

const keyOf = (tenantId: string, model: string) => `${tenantId}\u0000${model}`
