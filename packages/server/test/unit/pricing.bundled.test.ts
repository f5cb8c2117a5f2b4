import { calcPrice, findProvider } from '@pydantic/genai-prices'
import { describe, expect, it } from 'vitest'
import { BundledPriceTable } from '../../src/pricing/price-table.js'

/** A model's flat per-million-token rates, read from the library's published data. */
function publishedRates(providerId: string, modelId: string): Record<string, number> {
  const model = findProvider({ providerId })?.models.find((m) => m.id === modelId)
  if (!model || Array.isArray(model.prices)) throw new Error(`no flat price for ${providerId}/${modelId}`)
  const rates: Record<string, number> = {}
  for (const [key, value] of Object.entries(model.prices)) if (typeof value === 'number') rates[key] = value
  return rates
}

const mini = publishedRates('openai', 'gpt-4o-mini')

describe('BundledPriceTable', () => {
  it('prices a known OpenAI model from the published rates', () => {
    // Guard against the test silently degrading if the data shape changes.
    expect(mini.input_mtok).toBeGreaterThan(0)
    expect(mini.output_mtok).toBeGreaterThan(mini.input_mtok!)
    const cost = new BundledPriceTable().price({ provider: 'openai', model: 'gpt-4o-mini', prompt_tokens: 1000, completion_tokens: 500 })
    expect(cost).toBeCloseTo((1000 * mini.input_mtok! + 500 * mini.output_mtok!) / 1e6, 15)
  })

  it('charges cached tokens at the cache-read rate instead of the input rate, not on top of it', () => {
    expect(mini.cache_read_mtok).toBeLessThan(mini.input_mtok!)
    const table = new BundledPriceTable()
    const usage = { provider: 'openai', model: 'gpt-4o-mini', prompt_tokens: 1000, completion_tokens: 0 }
    const uncached = table.price(usage)!
    const partlyCached = table.price({ ...usage, cached_tokens: 400 })!
    expect(partlyCached).toBeLessThan(uncached)
    expect(partlyCached).toBeCloseTo((600 * mini.input_mtok! + 400 * mini.cache_read_mtok!) / 1e6, 15)
  })

  it('charges OpenAI reasoning tokens as output, once: they are part of completion_tokens', () => {
    const o3mini = publishedRates('openai', 'o3-mini')
    const table = new BundledPriceTable()
    const usage = { provider: 'openai', model: 'o3-mini', prompt_tokens: 0, completion_tokens: 1000 }
    const withReasoning = table.price({ ...usage, reasoning_tokens: 800 })
    expect(withReasoning).toBeCloseTo((1000 * o3mini.output_mtok!) / 1e6, 15)
    expect(withReasoning).toBe(table.price(usage))
  })

  it('charges reasoning at its own rate where the table has one', () => {
    const deep = publishedRates('perplexity', 'sonar-deep-research')
    expect(deep.output_reasoning_mtok).not.toBe(deep.output_mtok)
    const cost = new BundledPriceTable().price({
      provider: 'perplexity',
      model: 'sonar-deep-research',
      prompt_tokens: 0,
      completion_tokens: 1000,
      reasoning_tokens: 400,
    })
    expect(cost).toBeCloseTo((600 * deep.output_mtok! + 400 * deep.output_reasoning_mtok!) / 1e6, 15)
  })

  it('returns undefined for models and providers the table does not know, rather than a near match', () => {
    const table = new BundledPriceTable()
    const tokens = { prompt_tokens: 1000, completion_tokens: 100 }
    expect(table.price({ ...tokens, provider: 'openai', model: 'gpt-4o-mini-turbo-9000' })).toBeUndefined()
    expect(table.price({ ...tokens, model: 'totally-unknown-model' })).toBeUndefined()
    expect(table.price({ ...tokens, provider: 'my-local-proxy', model: 'gpt-4o-mini' })).toBeUndefined()
    expect(table.price({ ...tokens, provider: 'google', model: 'gpt-4o-mini' })).toBeUndefined()
    // Asked twice: the remembered "unknown" stays unknown.
    expect(table.price({ ...tokens, model: 'totally-unknown-model' })).toBeUndefined()
  })

  it('finds the provider from the model name when none is given, and resolves dated snapshots', () => {
    const table = new BundledPriceTable()
    const tokens = { prompt_tokens: 1000, completion_tokens: 100 }
    const withProvider = table.price({ ...tokens, provider: 'openai', model: 'gpt-4o-mini' })
    expect(table.price({ ...tokens, model: 'gpt-4o-mini' })).toBe(withProvider)
    expect(table.price({ ...tokens, provider: 'openai', model: 'gpt-4o-mini-2024-07-18' })).toBe(withProvider)

    const sonnet = publishedRates('anthropic', 'claude-3-5-sonnet')
    const expected = (1000 * sonnet.input_mtok! + 100 * sonnet.output_mtok!) / 1e6
    expect(table.price({ ...tokens, model: 'claude-3-5-sonnet-20241022' })).toBeCloseTo(expected, 15)
    expect(table.price({ ...tokens, provider: 'anthropic', model: 'claude-3-5-sonnet-20241022' })).toBeCloseTo(expected, 15)
  })

  it('still picks the price by date after the model is remembered', () => {
    // gemini-3.6-flash doubles its price from 2027-01-01 in genai-prices 0.1.8.
    const table = new BundledPriceTable()
    const usage = { provider: 'google', model: 'gemini-3.6-flash', prompt_tokens: 1_000_000, completion_tokens: 0 }
    expect(table.price({ ...usage, timestamp: new Date('2026-06-01T00:00:00Z') })).toBeCloseTo(0.75, 12)
    expect(table.price({ ...usage, timestamp: new Date('2027-06-01T00:00:00Z') })).toBeCloseTo(1.5, 12)
    expect(table.price({ ...usage, timestamp: new Date('2026-06-01T00:00:00Z') })).toBeCloseTo(0.75, 12)
  })

  it('gives the same price from the remembered model as from a fresh lookup', () => {
    const cases = [
      { provider: 'openai', model: 'gpt-4o-2024-08-06' },
      { provider: 'azure', model: 'gpt-4o-mini' }, // found through azure's fallback to openai
      { model: 'claude-sonnet-4-5' }, // tiered prices
      { provider: 'google', model: 'gemini-1.5-flash' },
    ]
    const warm = new BundledPriceTable()
    for (const c of cases) {
      const usage = { ...c, prompt_tokens: 300_000, cached_tokens: 1000, completion_tokens: 2000, reasoning_tokens: 500 }
      const first = warm.price(usage)
      expect(first).toBeGreaterThan(0)
      expect(warm.price(usage)).toBe(first)
      expect(new BundledPriceTable().price(usage)).toBe(first)
    }
  })
})

describe('BundledPriceTable fast path', () => {
  // Models of several providers, some with static prices (linear rates) and some tiered or date-bound
  // (library on every call): either way the answer must be the library's own.
  const MODELS = [
    ['openai', 'gpt-4o-mini'],
    ['openai', 'gpt-4o'],
    ['openai', 'o3-mini'],
    ['openai', 'gpt-4.1'],
    ['anthropic', 'claude-3-5-sonnet-20241022'],
    ['anthropic', 'claude-3-5-haiku-20241022'],
    ['anthropic', 'claude-3-opus-20240229'],
    ['google', 'gemini-1.5-flash'],
    ['google', 'gemini-1.5-pro'],
    ['mistral', 'mistral-large-latest'],
    ['deepseek', 'deepseek-chat'],
  ] as const

  it('prices exactly as the library does, for many usages', () => {
    const table = new BundledPriceTable()
    let compared = 0
    for (const [provider, model] of MODELS) {
      for (let i = 0; i < 40; i++) {
        const prompt = (i * 7919) % 300_000
        const cached = Math.floor(prompt * ((i % 5) / 10))
        const completion = (i * 104_729) % 20_000
        const reasoning = Math.floor(completion * ((i % 3) / 4))
        const timestamp = new Date(Date.UTC(2025, i % 12, 1 + (i % 27), i % 24))
        const ours = table.price({ provider, model, prompt_tokens: prompt, completion_tokens: completion, cached_tokens: cached, reasoning_tokens: reasoning, timestamp })
        const theirs = calcPrice(
          { input_tokens: prompt, cache_read_tokens: cached, output_tokens: completion, output_reasoning_tokens: reasoning },
          model,
          { providerId: provider, timestamp },
        )?.total_price
        if (theirs === undefined) {
          expect(ours).toBeUndefined()
          continue
        }
        expect(ours).toBeDefined()
        expect(Math.abs(ours! - theirs)).toBeLessThanOrEqual(Math.max(1e-12, theirs * 1e-9))
        compared++
      }
    }
    expect(compared).toBeGreaterThan(300)
  })
})
