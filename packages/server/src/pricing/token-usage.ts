/**
 * Token counts as the wire reports them (OpenAI convention): `prompt_tokens` includes the
 * cached ones and `completion_tokens` includes the reasoning ones, so the detail counts are
 * parts of the totals, never additions to them.
 */
export interface TokenUsage {
  prompt_tokens: number
  completion_tokens: number
  cached_tokens?: number
  reasoning_tokens?: number
}

/** The token fields of an interaction, as they arrive (any of them may be absent). */
export interface ReportedTokens {
  prompt_tokens?: number
  completion_tokens?: number
  cached_tokens?: number
  reasoning_tokens?: number
}

const isCount = (value: number | undefined) => value === undefined || (Number.isSafeInteger(value) && value >= 0)

/**
 * The usage to price, or undefined when there is nothing trustworthy to price: no counts at
 * all, counts that are not non-negative integers, or parts larger than their totals.
 * A missing total with the other present counts as zero (an embedding call has no output).
 */
export function tokenUsageOf(reported: ReportedTokens): TokenUsage | undefined {
  const { prompt_tokens, completion_tokens, cached_tokens = 0, reasoning_tokens = 0 } = reported
  if (prompt_tokens === undefined && completion_tokens === undefined) return undefined
  if (![prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens].every(isCount)) return undefined
  const usage = { prompt_tokens: prompt_tokens ?? 0, completion_tokens: completion_tokens ?? 0, cached_tokens, reasoning_tokens }
  if (cached_tokens > usage.prompt_tokens || reasoning_tokens > usage.completion_tokens) return undefined
  return usage
}
