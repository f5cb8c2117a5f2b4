import { distance } from 'fastest-levenshtein'
import type { Interaction } from '@interlog/schema'

/** Above this many characters a side, the quadratic distance is not worth its cost; it is left empty. */
const MAX_CHARS = 20_000

const asText = (value: unknown): string | undefined =>
  value === undefined || value === null ? undefined : typeof value === 'string' ? value : JSON.stringify(value)

/**
 * Levenshtein distance from the interaction's output to the correction: text against the assistant
 * response, JSON against the structured output (compared as JSON text).
 */
export function correctionDistance(interaction: Interaction, correction: unknown): number | null {
  const corrected = asText(correction)
  const original = typeof correction === 'string' ? asText(interaction.assistant_response ?? interaction.structured_output) : asText(interaction.structured_output ?? interaction.assistant_response)
  if (corrected === undefined || original === undefined) return null
  if (corrected.length > MAX_CHARS || original.length > MAX_CHARS) return null
  return distance(original, corrected)
}
