import { z } from 'zod'
import { InteractionFilters } from './query.js'

export const METRIC_GROUPS = ['type', 'model', 'provider', 'status', 'category', 'message_type', 'prompt_version', 'user_id'] as const

export const MetricsQuery = z.strictObject({
  ...InteractionFilters,
  interval: z.enum(['hour', 'day']).optional().meta({ description: 'series bucket; default day when the range exceeds 2 days, else hour' }),
  group_by: z.enum(METRIC_GROUPS).optional(),
})
export type MetricsQuery = z.infer<typeof MetricsQuery>

const nullableNumber = z.number().nullable()
const topList = (label: string) => z.array(z.object({ [label]: z.string(), count: z.number() }))

export const MetricTotals = z
  .object({
    count: z.number(),
    success_count: z.number(),
    failure_count: z.number(),
    partial_count: z.number(),
    success_rate: nullableNumber,
    failure_rate: nullableNumber,
    partial_rate: nullableNumber,
    latency_ms: z.object({ avg: nullableNumber, p50: nullableNumber, p95: nullableNumber, p99: nullableNumber }).meta({
      description: 'percentiles are within 1% relative error (log-bucket sketch); avg is exact',
    }),
    tokens: z.object({ prompt: z.number(), completion: z.number(), cached: z.number(), reasoning: z.number(), total: z.number() }),
    cost_usd: z.object({ total: z.number(), average: nullableNumber, priced_count: z.number() }),
    feedback: z.object({
      counts: z.record(z.string(), z.number()),
      with_feedback: z.number(),
      feedback_rate: nullableNumber,
      avg_quality_score: nullableNumber,
    }),
    data_quality: z.object({
      with_required_variables: z.number(),
      all_variables_present: z.number(),
      all_variables_present_rate: nullableNumber,
      top_missing_variables: topList('variable'),
    }),
    agent: z.object({
      avg_confidence: nullableNumber,
      confidence_histogram: z.array(z.object({ from: z.number(), to: z.number(), count: z.number() })),
      high_confidence_count: z.number(),
      low_confidence_count: z.number(),
      handoff_count: z.number(),
      handoff_rate: nullableNumber,
      top_handoff_reasons: topList('reason'),
    }),
  })
  .meta({ id: 'MetricTotals' })

export const MetricsReport = z
  .object({
    from: z.string(),
    to: z.string(),
    interval: z.enum(['hour', 'day']),
    group_by: z.string().nullable(),
    source: z.enum(['rollups', 'scan']),
    totals: MetricTotals,
    series: z.array(
      z.object({
        start: z.string(),
        count: z.number(),
        failure_count: z.number(),
        latency_p95_ms: nullableNumber,
        cost_usd: z.number(),
        total_tokens: z.number(),
      }),
    ),
    groups: z.array(MetricTotals.extend({ value: z.string().nullable() })),
  })
  .meta({ id: 'MetricsReport' })
