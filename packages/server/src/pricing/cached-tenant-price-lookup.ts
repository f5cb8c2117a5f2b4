import { systemClock, type Clock } from '../runtime/clock.js'
import type { TenantPriceLookup } from './pricing.service.js'
import type { TenantPrice } from './tenant-price.js'

interface CachedPrice {
  expiresAt: number
  price: Promise<TenantPrice | undefined>
}

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
  readonly #entries = new Map<string, CachedPrice>()
  readonly #ttlMs: number
  readonly #clock: Clock
  readonly #maxEntries: number

  constructor(
    private readonly inner: TenantPriceLookup,
    options: CachedTenantPriceLookupOptions = {},
  ) {
    this.#ttlMs = options.ttlMs ?? 5_000
    this.#clock = options.clock ?? systemClock
    this.#maxEntries = options.maxEntries ?? 10_000
  }

  get(tenantId: string, model: string): Promise<TenantPrice | undefined> {
    const key = keyOf(tenantId, model)
    const now = this.#clock.now().getTime()
    const cached = this.#entries.get(key)
    if (cached && cached.expiresAt > now) return cached.price

    this.#entries.delete(key) // re-inserted below, so the Map's order stays oldest-first
    if (this.#entries.size >= this.#maxEntries) this.#evictOldest()
    const entry: CachedPrice = { expiresAt: now + this.#ttlMs, price: this.inner.get(tenantId, model) }
    this.#entries.set(key, entry)
    // A failed query must not be served from cache; only this entry goes (a newer one may exist).
    entry.price.catch(() => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key)
    })
    return entry.price
  }

  invalidate(tenantId: string, model: string): void {
    this.#entries.delete(keyOf(tenantId, model))
  }

  #evictOldest() {
    const oldest = this.#entries.keys().next().value
    if (oldest !== undefined) this.#entries.delete(oldest)
  }
}

const keyOf = (tenantId: string, model: string) => `${tenantId}\u0000${model}`
