import { z } from 'zod'
import { Identifier, IsoDateTime, JsonObject } from './common.js'
import { Paging } from './query.js'

const fraction = z.number().min(0).max(1)

export const TrainingRunInput = z
  .strictObject({
    model_version: Identifier.meta({ description: 'the fine-tuned model this run produced, e.g. ft:gpt-4o-mini:acme:support:v3' }),
    base_model: Identifier.optional(),
    date: z.union([z.iso.date(), IsoDateTime]).optional().meta({ description: 'when the run took place (a date or date-time); default: now' }),
    dataset_size: z.number().int().nonnegative().meta({ description: 'examples in the training set' }),
    accuracy: fraction.optional().meta({ description: 'evaluation accuracy, 0 to 1' }),
    validation_rate: fraction.optional().meta({ description: 'share of outputs that passed validation, 0 to 1' }),
    cost_usd: z.number().nonnegative().optional(),
    notes: z.string().max(10_000).optional(),
    metadata: JsonObject.optional(),
  })
  .meta({ id: 'TrainingRunCreate' })
export type TrainingRunInput = z.infer<typeof TrainingRunInput>

export const TrainingRun = z
  .object({
    id: z.string(),
    model_version: z.string(),
    base_model: z.string().nullable(),
    date: z.string(),
    dataset_size: z.number().int(),
    accuracy: z.number().nullable(),
    validation_rate: z.number().nullable(),
    cost_usd: z.number().nullable(),
    notes: z.string().nullable(),
    metadata: JsonObject.nullable(),
    created_at: z.string(),
  })
  .meta({ id: 'TrainingRun' })
export type TrainingRun = z.infer<typeof TrainingRun>

export const TrainingRunListQuery = z.strictObject({ model_version: Identifier.optional(), ...Paging })
export type TrainingRunListQuery = z.infer<typeof TrainingRunListQuery>

export const TrainingRunList = z
  .object({ training_runs: z.array(TrainingRun), total_count: z.number().int(), returned_count: z.number().int(), limit: z.number().int(), offset: z.number().int() })
  .meta({ id: 'TrainingRunList' })
export type TrainingRunList = z.infer<typeof TrainingRunList>
