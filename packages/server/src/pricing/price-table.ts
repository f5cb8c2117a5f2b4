import { calcPrice, type ModelInfo, type Provider, type Usage } from '@pydantic/genai-prices'
import type { TokenUsage } from './token-usage.js'

export interface PricedUsage extends TokenUsage {
  provider?: string
  model: string
  /** When the call happened: some prices change on a date. Defaults to now. */
  timestamp?: Date
}

/** Prices a model call in USD; undefined when the model (or provider) is unknown. */
export interface PriceTable {
  price(usage: PricedUsage): number | undefined
}

/** USD per token of each kind, plus a fixed amount per call. */
interface LinearRates {
  perCall: number
  uncachedInput: number
  cachedInput: number
  output: number
  reasoning: number
}

/** A resolved model wrapped as a one-model provider, so later calls skip the catalogue search. */
interface PinnedModel {
  modelId: string
  provider: Provider
  /** Set when the model's price is linear and fixed in time; else every call asks the library. */
  rates: LinearRates | null
}

/**
 * The maintained price table bundled in `@pydantic/genai-prices`.
 *
 * The library matches the model against each provider's maintained patterns (exact ids,
 * dated snapshots, `-latest` aliases); a model no pattern covers, or a provider it does not
 * know, gets null, never a nearest guess. An explicit provider is authoritative: 'gpt-4o'
 * from an unknown provider (a local proxy, a self-hosted model) stays unpriced.
 *
 * Token mapping mirrors the library's own OpenAI extractor: prompt_tokens → input_tokens
 * (a total that includes cache reads), cached_tokens → cache_read_tokens (charged at the
 * cache-read rate instead of the input rate, not on top), completion_tokens → output_tokens
 * (a total), reasoning_tokens → output_reasoning_tokens, which the library charges at the
 * model's reasoning rate when it has one and otherwise at the output rate (how OpenAI bills
 * them). Cache writes have no wire field, so they count as plain input.
 */
export class BundledPriceTable implements PriceTable {
  // Resolving a model scans a provider's patterns (hundreds for some), too slow to repeat at
  // ingest rates; null remembers unknown models so they stay cheap as well.
  readonly #pinned = new Map<string, PinnedModel | null>()

  /** `maxModels` bounds the memory that arbitrary client-sent model names can take. */
  constructor(private readonly maxModels = 10_000) {}

  price(usage: PricedUsage): number | undefined {
    const libraryUsage: Usage = {
      input_tokens: usage.prompt_tokens,
      cache_read_tokens: usage.cached_tokens ?? 0,
      output_tokens: usage.completion_tokens,
      output_reasoning_tokens: usage.reasoning_tokens ?? 0,
    }
    const key = `${usage.provider ?? ''}\u0000${usage.model}`
    try {
      const pinned = this.#pinned.get(key)
      if (pinned === null) return undefined
      if (pinned?.rates) return linearPrice(pinned.rates, usage)
      if (pinned) {
        const options = { provider: pinned.provider, timestamp: usage.timestamp }
        return calcPrice(libraryUsage, pinned.modelId, options)?.total_price
      }
      const result = calcPrice(libraryUsage, usage.model, { providerId: usage.provider, timestamp: usage.timestamp })
      this.#remember(key, result && pin(result.provider, result.model))
      return result?.total_price
    } catch {
      // The library throws only on usage it cannot decompose or on a malformed price entry;
      // either way there is no trustworthy price, and ingest must not fail over a cost.
      return undefined
    }
  }

  #remember(key: string, pinned: PinnedModel | null) {
    if (this.#pinned.size >= this.maxModels) {
      const oldest = this.#pinned.keys().next().value
      if (oldest !== undefined) this.#pinned.delete(oldest)
    }
    this.#pinned.set(key, pinned)
  }
}

/**
 * The library's documented custom-provider option prices against exactly this model. Its
 * match becomes an exact id (the original could be a regex, or need litellm's prefix
 * handling) and fallbacks go, since the model is already found. The whole model, date-bound
 * prices included, is kept, so the timestamp still picks the price per call.
 */
function pin(provider: Provider, model: ModelInfo): PinnedModel {
  const pinned = {
    modelId: model.id,
    provider: { ...provider, fallback_model_providers: undefined, models: [{ ...model, match: { equals: model.id } }] },
  }
  return { ...pinned, rates: linearRates(pinned, model) }
}

/**
 * The library decomposes usage generically on every call (about 20 µs), too slow at ingest rates.
 * A price with no date conditions and no tiers is linear in each kind of token, so its rates are
 * read once from the library itself (one probe per kind) and applied directly; the library stays
 * the only source of prices. Date-bound and tiered prices keep asking the library.
 */
function linearRates(pinned: { modelId: string; provider: Provider }, model: ModelInfo): LinearRates | null {
  if (Array.isArray(model.prices) || Object.values(model.prices).some((price) => typeof price === 'object')) return null
  const cost = (usage: Usage) => calcPrice(usage, pinned.modelId, { provider: pinned.provider })?.total_price
  const million = 1_000_000
  const perCall = cost({})
  const input = cost({ input_tokens: million })
  const cached = cost({ input_tokens: million, cache_read_tokens: million })
  const output = cost({ output_tokens: million })
  const reasoning = cost({ output_tokens: million, output_reasoning_tokens: million })
  if ([perCall, input, cached, output, reasoning].some((value) => value === undefined)) return null
  return {
    perCall: perCall!,
    uncachedInput: (input! - perCall!) / million,
    cachedInput: (cached! - perCall!) / million,
    output: (output! - perCall!) / million,
    reasoning: (reasoning! - perCall!) / million,
  }
}

function linearPrice(rates: LinearRates, usage: TokenUsage): number {
  const cached = usage.cached_tokens ?? 0
  const reasoning = usage.reasoning_tokens ?? 0
  return (
    rates.perCall +
    rates.uncachedInput * (usage.prompt_tokens - cached) +
    rates.cachedInput * cached +
    rates.output * (usage.completion_tokens - reasoning) +
    rates.reasoning * reasoning
  )
}
