import type { TenantPrice } from './tenant-price.js'
import type { TokenUsage } from './token-usage.js'

/**
 * Cost in USD of `usage` at a tenant's own rates. Cached and reasoning tokens are parts of
 * the prompt and completion totals, so each token is charged exactly once: at its own rate
 * when the tenant set one, else at the rate of the total it belongs to.
 */
export function costFromTenantPrice(price: TenantPrice, usage: TokenUsage): number {
  const cached = usage.cached_tokens ?? 0
  const reasoning = price.reasoning_per_mtok === undefined ? 0 : (usage.reasoning_tokens ?? 0)
  // Sum rate × tokens first and divide once, so round prices give exact results.
  const microUsd =
    (usage.prompt_tokens - cached) * price.input_per_mtok +
    cached * (price.cached_input_per_mtok ?? price.input_per_mtok) +
    (usage.completion_tokens - reasoning) * price.output_per_mtok +
    reasoning * (price.reasoning_per_mtok ?? 0)
  return microUsd / 1_000_000
}
