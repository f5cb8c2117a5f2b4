import type { Interaction } from '@interlog/schema'
import { ValidationError } from '../errors/errors.js'
import type { InteractionFilter } from '../store/store.js'

const EQUALS = ['user_id', 'thread_id', 'session_id', 'type', 'category', 'status', 'model', 'provider'] as const

/**
 * The list filters, applied to archived interactions in memory (the same meaning as the hot store's
 * WHERE clause). Full-text search has no index in the archive, so `q` is refused rather than ignored.
 */
export function archiveFilter(filter: InteractionFilter): (interaction: Interaction) => boolean {
  if (filter.q !== undefined) {
    throw new ValidationError('Full-text search (q) does not reach archived interactions', [{ path: 'q', message: 'not supported for archived interactions' }])
  }
  const from = filter.from === undefined ? undefined : Date.parse(filter.from)
  const to = filter.to === undefined ? undefined : Date.parse(filter.to)
  return (interaction) => {
    for (const field of EQUALS) {
      const wanted = filter[field]
      if (wanted !== undefined && interaction[field] !== wanted) return false
    }
    const ts = Date.parse(interaction.timestamp)
    if (from !== undefined && ts < from) return false
    if (to !== undefined && ts >= to) return false
    const latency = interaction.latency_ms
    if (filter.min_latency_ms !== undefined && (latency === undefined || latency < filter.min_latency_ms)) return false
    if (filter.max_latency_ms !== undefined && (latency === undefined || latency > filter.max_latency_ms)) return false
    if (filter.incomplete_variables && interaction.all_variables_present !== false) return false
    if (filter.tag !== undefined && !(interaction.tags ?? []).includes(filter.tag)) return false
    return matchesFeedbackAndAgent(filter, interaction)
  }
}

const atLeast = (value: number | undefined, min: number | undefined) => min === undefined || (value !== undefined && value >= min)
const atMost = (value: number | undefined, max: number | undefined) => max === undefined || (value !== undefined && value <= max)

/** Latest feedback, confidence and handoff: an interaction without the value never matches a bound on it, as NULL in SQL. */
function matchesFeedbackAndAgent(filter: InteractionFilter, interaction: Interaction): boolean {
  const kind = interaction.feedback_kind
  if (filter.feedback_kind === 'any' && kind === undefined) return false
  if (filter.feedback_kind !== undefined && filter.feedback_kind !== 'any' && kind !== filter.feedback_kind) return false
  const quality = interaction.feedback_quality_score
  if (!atLeast(quality, filter.min_quality_score) || !atMost(quality, filter.max_quality_score)) return false
  if (!atLeast(interaction.confidence, filter.min_confidence) || !atMost(interaction.confidence, filter.max_confidence)) return false
  return filter.handoff === undefined || interaction.handoff === filter.handoff
}
