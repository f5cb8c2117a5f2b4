import type { PriceTable } from './price-table.js'
import { costFromTenantPrice } from './tenant-price-cost.js'
import type { TenantPrice } from './tenant-price.js'
import { tokenUsageOf, type ReportedTokens } from './token-usage.js'

/** Where a tenant's own prices come from (the store implements it). */
export interface TenantPriceLookup {
  get(tenantId: string, model: string): Promise<TenantPrice | undefined>
}

/** The interaction fields that pricing reads (wire names). */
export interface PricingInput extends ReportedTokens {
  provider?: string
  model?: string
  /** ISO 8601; picks date-bound prices. */
  timestamp?: string
}

/** Costs are stored to the nano-dollar; finer digits are float noise, not money. */
const roundToNanoUsd = (usd: number) => Math.round(usd * 1e9) / 1e9

/** Estimates the cost of an interaction that arrived without one. */
export class PricingService {
  constructor(
    private readonly bundled: PriceTable,
    private readonly tenantPrices: TenantPriceLookup,
  ) {}

  /**
   * Cost in USD from the tenant's own price for the model if it set one, else from the
   * bundled table; undefined when there is no model, no usable token counts or no price.
   */
  async estimate(tenantId: string, interaction: PricingInput): Promise<number | undefined> {
    const { model, provider } = interaction
    const usage = tokenUsageOf(interaction)
    if (!model || !usage) return undefined
    const timestamp = interaction.timestamp === undefined ? undefined : new Date(interaction.timestamp)
    // An unreadable date could select the wrong price period; leave the cost empty instead.
    if (timestamp && Number.isNaN(timestamp.getTime())) return undefined

    const tenantPrice = await this.tenantPrices.get(tenantId, model)
    const cost = tenantPrice
      ? costFromTenantPrice(tenantPrice, usage)
      : this.bundled.price({ ...usage, model, provider, timestamp })
    return cost === undefined ? undefined : roundToNanoUsd(cost)
  }
}
