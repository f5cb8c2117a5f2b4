import { z } from 'zod'

/** A tenant's own price for a model, in USD per million tokens; it wins over the bundled table. */
export interface TenantPrice {
  model: string
  /** Descriptive only: a tenant has one price per model, whichever provider served it. */
  provider?: string
  input_per_mtok: number
  output_per_mtok: number
  /** Rate for input tokens read from cache; absent means they cost the input rate. */
  cached_input_per_mtok?: number
  /** Rate for reasoning tokens; absent means they cost the output rate, as OpenAI bills them. */
  reasoning_per_mtok?: number
  updated_at: string
}

const perMillionTokens = z.number().nonnegative()

/** Body of `PUT /v1/prices/:model`; strict so a misspelt rate is an error, not a silent default. */
export const TenantPriceInput = z
  .strictObject({
    provider: z.string().min(1).max(128).optional(),
    input_per_mtok: perMillionTokens,
    output_per_mtok: perMillionTokens,
    cached_input_per_mtok: perMillionTokens.optional(),
    reasoning_per_mtok: perMillionTokens.optional(),
  })
  .meta({ id: 'TenantPriceUpdate' })
export type TenantPriceInput = z.infer<typeof TenantPriceInput>
