import { z } from 'zod'
import { Identifier } from './common.js'

const threshold = z.number().int().min(0).max(1_000_000_000)
const percent = z.number().min(0).max(100)

/** The readiness thresholds a tenant may set; what it leaves out takes the default. */
export const readinessThresholdsShape = {
  min_interactions: threshold.meta({ description: 'interactions logged (default 50)' }),
  min_successful: threshold.meta({ description: 'interactions with status success (default 30)' }),
  min_with_feedback: threshold.meta({ description: 'interactions with feedback (default 10)' }),
  min_quality_examples: threshold.meta({ description: 'curated examples with quality_score >= quality_example_min_score (default 20)' }),
  quality_example_min_score: percent.meta({ description: 'the quality_score from which an example counts as a quality example (default 70)' }),
  ready_score: percent.meta({ description: 'the score from which the data counts as ready (default 70)' }),
}

export const DEFAULT_READINESS_THRESHOLDS = {
  min_interactions: 50,
  min_successful: 30,
  min_with_feedback: 10,
  min_quality_examples: 20,
  quality_example_min_score: 70,
  ready_score: 70,
} as const satisfies Record<keyof typeof readinessThresholdsShape, number>

export const ReadinessSettingsInput = z
  .strictObject(Object.fromEntries(Object.entries(readinessThresholdsShape).map(([key, schema]) => [key, schema.optional()])) as {
    [K in keyof typeof readinessThresholdsShape]: z.ZodOptional<(typeof readinessThresholdsShape)[K]>
  })
  .meta({ id: 'ReadinessSettingsUpdate' })
export type ReadinessSettingsInput = z.infer<typeof ReadinessSettingsInput>

export const ReadinessThresholds = z.object(readinessThresholdsShape)
export type ReadinessThresholds = z.infer<typeof ReadinessThresholds>

export const ReadinessSettings = ReadinessThresholds.extend({
  updated_at: z.string().nullable().meta({ description: 'null while the tenant uses the defaults' }),
}).meta({ id: 'ReadinessSettings' })
export type ReadinessSettings = z.infer<typeof ReadinessSettings>

export const ReadinessQuery = z.strictObject({ type: Identifier.optional(), category: Identifier.optional() })
export type ReadinessQuery = z.infer<typeof ReadinessQuery>

export const READINESS_CRITERIA = ['interactions', 'successful', 'with_feedback', 'quality_examples'] as const

export const ReadinessCriterion = z.object({
  name: z.enum(READINESS_CRITERIA),
  description: z.string(),
  threshold: z.number(),
  value: z.number(),
  met: z.boolean(),
  points: z.number().meta({ description: 'what this criterion adds to the score: max_points times value/threshold, capped' }),
  max_points: z.number(),
})
export type ReadinessCriterion = z.infer<typeof ReadinessCriterion>

export const Readiness = z
  .object({
    type: z.string().nullable(),
    category: z.string().nullable(),
    score: z.number().int().min(0).max(100),
    ready: z.boolean(),
    ready_score: z.number(),
    criteria: z.array(ReadinessCriterion),
    recommendations: z.array(z.string()),
  })
  .meta({ id: 'Readiness' })
export type Readiness = z.infer<typeof Readiness>
