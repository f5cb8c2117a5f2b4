import { sketchBucket, type Sketch } from './latency-sketch.js'

/**
 * The mergeable state behind every metric: plain sums and counts, plus count maps (latency sketch,
 * confidence histogram, missing variables, handoff reasons, feedback kinds). Hourly and daily rollups
 * store exactly this; a scan of raw rows builds the same thing; merging is addition. `sign = -1`
 * takes a row back out (deletes, changed feedback).
 */
export const COUNTERS = [
  'n',
  'success_n',
  'failure_n',
  'partial_n',
  'latency_n',
  'latency_sum',
  'prompt_tokens',
  'completion_tokens',
  'cached_tokens',
  'reasoning_tokens',
  'total_tokens',
  'cost_n',
  'cost_sum',
  'confidence_n',
  'confidence_sum',
  'confidence_high',
  'confidence_low',
  'handoff_n',
  'vars_n',
  'vars_complete_n',
  'feedback_n',
  'quality_n',
  'quality_sum',
] as const
export type Counter = (typeof COUNTERS)[number]

export const COUNT_MAPS = ['latency_sketch', 'confidence_hist', 'missing_vars', 'handoff_reasons', 'feedback_kinds'] as const
export type CountMapName = (typeof COUNT_MAPS)[number]

export type Aggregate = Record<Counter, number> & Record<CountMapName, Sketch>

/** The columns of one interaction that metrics read. */
export interface MetricRow {
  status: string
  latency_ms: number | null
  prompt_tokens: number | null
  completion_tokens: number | null
  cached_tokens: number | null
  reasoning_tokens: number | null
  total_tokens: number | null
  cost_usd: number | null
  confidence: number | null
  handoff: number | null
  handoff_reason: string | null
  all_variables_present: number | null
  missing_variables: string[] | null
  feedback_kind: string | null
  feedback_quality_score: number | null
}

export function emptyAggregate(): Aggregate {
  const aggregate = {} as Aggregate
  for (const counter of COUNTERS) aggregate[counter] = 0
  for (const map of COUNT_MAPS) aggregate[map] = {}
  return aggregate
}

function bump(map: Sketch, key: string, by: number): void {
  const next = (map[key] ?? 0) + by
  if (next === 0) delete map[key]
  else map[key] = next
}

const STATUS_COUNTER: Record<string, Counter> = { success: 'success_n', failure: 'failure_n', partial: 'partial_n' }

/** Confidence histogram bucket 0..9 for [0,0.1) ... [0.9,1]. */
export const confidenceBucket = (confidence: number) => Math.min(9, Math.floor(confidence * 10 + 1e-9))

export function addRow(aggregate: Aggregate, row: MetricRow, sign: 1 | -1 = 1): void {
  aggregate.n += sign
  const statusCounter = STATUS_COUNTER[row.status]
  if (statusCounter) aggregate[statusCounter] += sign
  if (row.latency_ms !== null) {
    aggregate.latency_n += sign
    aggregate.latency_sum += sign * row.latency_ms
    bump(aggregate.latency_sketch, sketchBucket(row.latency_ms), sign)
  }
  for (const tokens of ['prompt_tokens', 'completion_tokens', 'cached_tokens', 'reasoning_tokens', 'total_tokens'] as const) {
    aggregate[tokens] += sign * (row[tokens] ?? 0)
  }
  if (row.cost_usd !== null) {
    aggregate.cost_n += sign
    aggregate.cost_sum += sign * row.cost_usd
  }
  if (row.confidence !== null) {
    aggregate.confidence_n += sign
    aggregate.confidence_sum += sign * row.confidence
    if (row.confidence >= 0.8) aggregate.confidence_high += sign
    if (row.confidence < 0.5) aggregate.confidence_low += sign
    bump(aggregate.confidence_hist, String(confidenceBucket(row.confidence)), sign)
  }
  if (row.handoff === 1) {
    aggregate.handoff_n += sign
    if (row.handoff_reason) bump(aggregate.handoff_reasons, row.handoff_reason, sign)
  }
  if (row.all_variables_present !== null) {
    aggregate.vars_n += sign
    if (row.all_variables_present === 1) aggregate.vars_complete_n += sign
    for (const variable of row.missing_variables ?? []) bump(aggregate.missing_vars, variable, sign)
  }
  addFeedback(aggregate, row.feedback_kind, row.feedback_quality_score, sign)
}

/** The latest-feedback part of a row: changed on its own when new feedback replaces the latest. */
export function addFeedback(aggregate: Aggregate, kind: string | null, quality: number | null, sign: 1 | -1): void {
  if (kind !== null) {
    aggregate.feedback_n += sign
    bump(aggregate.feedback_kinds, kind, sign)
  }
  if (quality !== null) {
    aggregate.quality_n += sign
    aggregate.quality_sum += sign * quality
  }
}

export function mergeInto(target: Aggregate, source: Aggregate): void {
  for (const counter of COUNTERS) target[counter] += source[counter]
  for (const map of COUNT_MAPS) {
    const from = source[map]
    const into = target[map]
    // for...in rather than Object.entries: metrics merge thousands of rollup rows per request, and
    // the entry arrays cost about half of the merge (count maps are plain parsed JSON objects).
    for (const key in from) bump(into, key, from[key]!)
  }
}

/** Float sums drift by ulps after many additions and subtractions; counts must read as integers. */
export function isEmpty(aggregate: Aggregate): boolean {
  return COUNTERS.every((counter) => Math.abs(aggregate[counter]) < 1e-9) && COUNT_MAPS.every((map) => Object.keys(aggregate[map]).length === 0)
}
