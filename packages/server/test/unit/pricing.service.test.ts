import { describe, expect, it } from 'vitest'
import { BundledPriceTable, type PriceTable, type PricedUsage } from '../../src/pricing/price-table.js'
import { PricingService, type TenantPriceLookup } from '../../src/pricing/pricing.service.js'
import type { TenantPrice } from '../../src/pricing/tenant-price.js'

/** A price table that records what it was asked and charges $1 per token of each kind. */
class RecordingTable implements PriceTable {
  readonly asked: PricedUsage[] = []
  price(usage: PricedUsage) {
    this.asked.push(usage)
    return usage.model === 'known' ? usage.prompt_tokens + usage.completion_tokens : undefined
  }
}

const noTenantPrices: TenantPriceLookup = { get: async () => undefined }

function tenantPrices(prices: Record<string, TenantPrice>): TenantPriceLookup {
  return { get: async (tenantId, model) => prices[`${tenantId}/${model}`] }
}

const ownMiniPrice: TenantPrice = {
  model: 'gpt-4o-mini',
  input_per_mtok: 2,
  output_per_mtok: 8,
  updated_at: '2026-01-01T00:00:00.000Z',
}

describe('PricingService.estimate', () => {
  it('prices from the bundled table when the tenant has no price of its own', async () => {
    const service = new PricingService(new BundledPriceTable(), noTenantPrices)
    const cost = await service.estimate('t1', { provider: 'openai', model: 'gpt-4o-mini', prompt_tokens: 1000, completion_tokens: 500 })
    expect(cost).toBe(new BundledPriceTable().price({ provider: 'openai', model: 'gpt-4o-mini', prompt_tokens: 1000, completion_tokens: 500 }))
    expect(cost).toBeGreaterThan(0)
  })

  it('passes the usage, provider and date through to the table', async () => {
    const table = new RecordingTable()
    await new PricingService(table, noTenantPrices).estimate('t1', {
      provider: 'openai',
      model: 'known',
      prompt_tokens: 10,
      completion_tokens: 20,
      cached_tokens: 3,
      reasoning_tokens: 4,
      timestamp: '2026-03-01T12:00:00Z',
    })
    expect(table.asked).toEqual([
      {
        provider: 'openai',
        model: 'known',
        prompt_tokens: 10,
        completion_tokens: 20,
        cached_tokens: 3,
        reasoning_tokens: 4,
        timestamp: new Date('2026-03-01T12:00:00Z'),
      },
    ])
  })

  it('lets the tenant price win over the bundled one, only for that tenant', async () => {
    const service = new PricingService(new BundledPriceTable(), tenantPrices({ 't1/gpt-4o-mini': ownMiniPrice }))
    const interaction = { provider: 'openai', model: 'gpt-4o-mini', prompt_tokens: 1000, completion_tokens: 500 }
    expect(await service.estimate('t1', interaction)).toBe(0.006) // 1000 × $2 + 500 × $8 per Mtok
    expect(await service.estimate('t2', interaction)).not.toBe(0.006)
  })

  it('prices a model the bundled table does not know when the tenant set a price for it', async () => {
    const own: TenantPrice = { ...ownMiniPrice, model: 'our-finetune' }
    const service = new PricingService(new BundledPriceTable(), tenantPrices({ 't1/our-finetune': own }))
    expect(await service.estimate('t1', { model: 'our-finetune', prompt_tokens: 1_000_000, completion_tokens: 0 })).toBe(2)
    expect(await service.estimate('t2', { model: 'our-finetune', prompt_tokens: 1_000_000, completion_tokens: 0 })).toBeUndefined()
  })

  it('leaves the cost empty for an unknown model', async () => {
    const service = new PricingService(new BundledPriceTable(), noTenantPrices)
    expect(await service.estimate('t1', { model: 'gpt-unknown-42', prompt_tokens: 1000, completion_tokens: 10 })).toBeUndefined()
  })

  it('leaves the cost empty without a model or token counts, without asking the table', async () => {
    const table = new RecordingTable()
    const service = new PricingService(table, noTenantPrices)
    expect(await service.estimate('t1', { prompt_tokens: 10, completion_tokens: 10 })).toBeUndefined()
    expect(await service.estimate('t1', { model: '', prompt_tokens: 10 })).toBeUndefined()
    expect(await service.estimate('t1', { model: 'known' })).toBeUndefined()
    expect(await service.estimate('t1', { model: 'known', cached_tokens: 5, reasoning_tokens: 5 })).toBeUndefined()
    expect(table.asked).toEqual([])
  })

  it('treats one missing total as zero, so an embedding call with only prompt tokens is priced', async () => {
    const service = new PricingService(new RecordingTable(), noTenantPrices)
    expect(await service.estimate('t1', { model: 'known', prompt_tokens: 7 })).toBe(7)
    expect(await service.estimate('t1', { model: 'known', completion_tokens: 9 })).toBe(9)
  })

  it('refuses inconsistent counts instead of guessing', async () => {
    const service = new PricingService(new BundledPriceTable(), noTenantPrices)
    const base = { model: 'gpt-4o-mini', prompt_tokens: 100, completion_tokens: 100 }
    expect(await service.estimate('t1', { ...base, cached_tokens: 101 })).toBeUndefined()
    expect(await service.estimate('t1', { ...base, reasoning_tokens: 101 })).toBeUndefined()
    expect(await service.estimate('t1', { ...base, prompt_tokens: -1 })).toBeUndefined()
    expect(await service.estimate('t1', { ...base, completion_tokens: 1.5 })).toBeUndefined()
    expect(await service.estimate('t1', { ...base, timestamp: 'yesterday' })).toBeUndefined()
    expect(await service.estimate('t1', base)).toBeGreaterThan(0)
  })

  it('rounds to the nano-dollar, removing float noise', async () => {
    // 0.1 + 0.2 in floating point is 0.30000000000000004.
    const noisy: PriceTable = { price: () => 0.1 + 0.2 }
    const service = new PricingService(noisy, noTenantPrices)
    expect(await service.estimate('t1', { model: 'm', prompt_tokens: 1 })).toBe(0.3)
    const tiny: PriceTable = { price: () => 1.4e-10 }
    expect(await new PricingService(tiny, noTenantPrices).estimate('t1', { model: 'm', prompt_tokens: 1 })).toBe(0)
  })
})
