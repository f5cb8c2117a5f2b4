import { FEEDBACK_KINDS } from '@interlog/schema'
import type { Aggregate } from './metric-aggregate.js'
import { sketchQuantiles, type Sketch } from './latency-sketch.js'

const TOP = 10

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null)
const mean = (sum: number, count: number) => (count > 0 ? sum / count : null)
const round = (value: number | null | undefined, digits = 6) =>
  value === null || value === undefined ? null : Math.round(value * 10 ** digits) / 10 ** digits

function top(map: Sketch, label: string): Record<string, string | number>[] {
  return Object.entries(map)
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, TOP)
    .map(([key, count]) => ({ [label]: key, count }))
}

export function latencyPercentiles(aggregate: Aggregate) {
  const [p50, p95, p99] = sketchQuantiles(aggregate.latency_sketch, [0.5, 0.95, 0.99])
  return { avg: round(mean(aggregate.latency_sum, aggregate.latency_n), 3), p50: round(p50, 3), p95: round(p95, 3), p99: round(p99, 3) }
}

/** Turns the mergeable state into the numbers a person reads. Rates and averages are null when nothing was counted. */
export function metricTotals(aggregate: Aggregate) {
  const count = aggregate.n
  return {
    count,
    success_count: aggregate.success_n,
    failure_count: aggregate.failure_n,
    partial_count: aggregate.partial_n,
    success_rate: round(ratio(aggregate.success_n, count)),
    failure_rate: round(ratio(aggregate.failure_n, count)),
    partial_rate: round(ratio(aggregate.partial_n, count)),
    latency_ms: latencyPercentiles(aggregate),
    tokens: {
      prompt: aggregate.prompt_tokens,
      completion: aggregate.completion_tokens,
      cached: aggregate.cached_tokens,
      reasoning: aggregate.reasoning_tokens,
      total: aggregate.total_tokens,
    },
    cost_usd: {
      total: round(aggregate.cost_sum, 9) ?? 0,
      average: round(mean(aggregate.cost_sum, aggregate.cost_n), 9),
      priced_count: aggregate.cost_n,
    },
    feedback: {
      counts: Object.fromEntries(FEEDBACK_KINDS.map((kind) => [kind, aggregate.feedback_kinds[kind] ?? 0])),
      with_feedback: aggregate.feedback_n,
      feedback_rate: round(ratio(aggregate.feedback_n, count)),
      avg_quality_score: round(mean(aggregate.quality_sum, aggregate.quality_n), 3),
    },
    data_quality: {
      with_required_variables: aggregate.vars_n,
      all_variables_present: aggregate.vars_complete_n,
      all_variables_present_rate: round(ratio(aggregate.vars_complete_n, aggregate.vars_n)),
      top_missing_variables: top(aggregate.missing_vars, 'variable'),
    },
    agent: {
      avg_confidence: round(mean(aggregate.confidence_sum, aggregate.confidence_n)),
      confidence_histogram: Array.from({ length: 10 }, (_, bucket) => ({
        from: bucket / 10,
        to: (bucket + 1) / 10,
        count: aggregate.confidence_hist[String(bucket)] ?? 0,
      })),
      high_confidence_count: aggregate.confidence_high,
      low_confidence_count: aggregate.confidence_low,
      handoff_count: aggregate.handoff_n,
      handoff_rate: round(ratio(aggregate.handoff_n, count)),
      top_handoff_reasons: top(aggregate.handoff_reasons, 'reason'),
    },
  }
}
export type MetricTotals = ReturnType<typeof metricTotals>
