import { describe, expect, it } from 'vitest'
import { CachedTenantPriceLookup } from '../../src/pricing/cached-tenant-price-lookup.js'
import type { TenantPriceLookup } from '../../src/pricing/pricing.service.js'
import { costFromTenantPrice } from '../../src/pricing/tenant-price-cost.js'
import { TenantPriceInput, type TenantPrice } from '../../src/pricing/tenant-price.js'

const price = (rates: Partial<TenantPrice>): TenantPrice => ({
  model: 'm',
  input_per_mtok: 3,
  output_per_mtok: 15,
  updated_at: '2026-01-01T00:00:00.000Z',
  ...rates,
})

const usage = { prompt_tokens: 12_345, cached_tokens: 2_345, completion_tokens: 6_789, reasoning_tokens: 789 }

describe('costFromTenantPrice', () => {
  it('charges uncached input, cached input, plain output and reasoning each at its own rate', () => {
    const cost = costFromTenantPrice(price({ cached_input_per_mtok: 0.3, reasoning_per_mtok: 10 }), usage)
    // (10,000 × 3 + 2,345 × 0.3 + 6,000 × 15 + 789 × 10) / 1e6
    expect(cost).toBe(0.1285935)
  })

  it('charges cached tokens at the input rate when no cached rate is set', () => {
    // (12,345 × 3 + 6,000 × 15 + 789 × 10) / 1e6
    expect(costFromTenantPrice(price({ reasoning_per_mtok: 10 }), usage)).toBe(0.134925)
  })

  it('charges all completion tokens at the output rate when no reasoning rate is set', () => {
    // (10,000 × 3 + 2,345 × 0.3 + 6,789 × 15) / 1e6
    expect(costFromTenantPrice(price({ cached_input_per_mtok: 0.3 }), usage)).toBe(0.1325385)
  })

  it('is zero for zero rates and works without the optional counts', () => {
    expect(costFromTenantPrice(price({ input_per_mtok: 0, output_per_mtok: 0 }), usage)).toBe(0)
    expect(costFromTenantPrice(price({}), { prompt_tokens: 1_000_000, completion_tokens: 1_000_000 })).toBe(18)
  })
})

describe('TenantPriceInput', () => {
  it('accepts the required rates with optional ones', () => {
    expect(TenantPriceInput.parse({ input_per_mtok: 1, output_per_mtok: 2 })).toEqual({ input_per_mtok: 1, output_per_mtok: 2 })
    const full = { provider: 'openai', input_per_mtok: 1, output_per_mtok: 2, cached_input_per_mtok: 0.5, reasoning_per_mtok: 0 }
    expect(TenantPriceInput.parse(full)).toEqual(full)
  })

  it('rejects missing, negative, non-numeric and unknown fields', () => {
    expect(TenantPriceInput.safeParse({ input_per_mtok: 1 }).success).toBe(false)
    expect(TenantPriceInput.safeParse({ input_per_mtok: -1, output_per_mtok: 2 }).success).toBe(false)
    expect(TenantPriceInput.safeParse({ input_per_mtok: '1', output_per_mtok: 2 }).success).toBe(false)
    expect(TenantPriceInput.safeParse({ input_per_mtok: 1, output_per_mtok: 2, cached_per_mtok: 0.5 }).success).toBe(false)
    expect(TenantPriceInput.safeParse({ input_per_mtok: 1, output_per_mtok: Infinity }).success).toBe(false)
  })
})

/** A lookup that counts queries and serves whatever `prices` holds at query time. */
function countingLookup() {
  const prices = new Map<string, TenantPrice>()
  const queries: string[] = []
  const lookup: TenantPriceLookup = {
    get: async (tenantId, model) => {
      queries.push(`${tenantId}/${model}`)
      return prices.get(`${tenantId}/${model}`)
    },
  }
  return { prices, queries, lookup }
}

function fakeClock() {
  let now = Date.parse('2026-03-01T00:00:00Z')
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) }
}

describe('CachedTenantPriceLookup', () => {
  it('reuses a price for 5 s by default, then asks again', async () => {
    const { prices, queries, lookup } = countingLookup()
    const clock = fakeClock()
    const cached = new CachedTenantPriceLookup(lookup, { clock })
    prices.set('t1/m', price({ input_per_mtok: 1 }))

    expect((await cached.get('t1', 'm'))?.input_per_mtok).toBe(1)
    prices.set('t1/m', price({ input_per_mtok: 2 }))
    clock.advance(4_999)
    expect((await cached.get('t1', 'm'))?.input_per_mtok).toBe(1)
    clock.advance(1)
    expect((await cached.get('t1', 'm'))?.input_per_mtok).toBe(2)
    expect(queries).toEqual(['t1/m', 't1/m'])
  })

  it('caches the absence of a price too, and keeps tenants and models apart', async () => {
    const { prices, queries, lookup } = countingLookup()
    const cached = new CachedTenantPriceLookup(lookup, { clock: fakeClock(), ttlMs: 1_000 })
    prices.set('t1/m', price({}))
    expect(await cached.get('t2', 'm')).toBeUndefined()
    expect(await cached.get('t2', 'm')).toBeUndefined()
    expect(await cached.get('t1', 'm')).toBeDefined()
    expect(await cached.get('t1', 'other')).toBeUndefined()
    expect(queries).toEqual(['t2/m', 't1/m', 't1/other'])
  })

  it('sees a changed price at once after invalidate', async () => {
    const { prices, queries, lookup } = countingLookup()
    const cached = new CachedTenantPriceLookup(lookup, { clock: fakeClock() })
    expect(await cached.get('t1', 'm')).toBeUndefined()
    prices.set('t1/m', price({ output_per_mtok: 99 }))
    cached.invalidate('t1', 'm')
    expect((await cached.get('t1', 'm'))?.output_per_mtok).toBe(99)
    expect(queries).toEqual(['t1/m', 't1/m'])
  })

  it('shares one query between concurrent misses', async () => {
    const { queries, lookup } = countingLookup()
    const cached = new CachedTenantPriceLookup(lookup, { clock: fakeClock() })
    await Promise.all([cached.get('t1', 'm'), cached.get('t1', 'm'), cached.get('t1', 'm')])
    expect(queries).toEqual(['t1/m'])
  })

  it('does not cache a failed query', async () => {
    let calls = 0
    const flaky: TenantPriceLookup = {
      get: async () => {
        calls += 1
        if (calls === 1) throw new Error('database unavailable')
        return price({})
      },
    }
    const cached = new CachedTenantPriceLookup(flaky, { clock: fakeClock() })
    await expect(cached.get('t1', 'm')).rejects.toThrow('database unavailable')
    expect(await cached.get('t1', 'm')).toBeDefined()
    expect(calls).toBe(2)
  })

  it('forgets the oldest entry beyond its bound', async () => {
    const { queries, lookup } = countingLookup()
    const cached = new CachedTenantPriceLookup(lookup, { clock: fakeClock(), maxEntries: 2 })
    for (const model of ['a', 'b', 'c', 'b', 'a']) await cached.get('t1', model)
    expect(queries).toEqual(['t1/a', 't1/b', 't1/c', 't1/a'])
  })
})
