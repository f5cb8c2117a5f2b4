import type { Kysely } from 'kysely'
import type { TenantPrice } from '../../pricing/tenant-price.js'
import type { PriceStore } from '../store.js'
import type { Database } from './database.js'

type PriceRow = Database['tenant_prices']

const toPrice = (row: PriceRow): TenantPrice => ({
  model: row.model,
  ...(row.provider === null ? {} : { provider: row.provider }),
  input_per_mtok: row.input_per_mtok,
  output_per_mtok: row.output_per_mtok,
  ...(row.cached_input_per_mtok === null ? {} : { cached_input_per_mtok: row.cached_input_per_mtok }),
  ...(row.reasoning_per_mtok === null ? {} : { reasoning_per_mtok: row.reasoning_per_mtok }),
  updated_at: row.updated_at,
})

/** A tenant's own model prices: identical in both dialects. */
export class KyselyPriceStore implements PriceStore {
  constructor(private readonly db: Kysely<Database>) {}

  async get(tenantId: string, model: string): Promise<TenantPrice | undefined> {
    const row = await this.db.selectFrom('tenant_prices').selectAll().where('tenant_id', '=', tenantId).where('model', '=', model).executeTakeFirst()
    return row && toPrice(row)
  }

  async list(tenantId: string): Promise<TenantPrice[]> {
    return (await this.db.selectFrom('tenant_prices').selectAll().where('tenant_id', '=', tenantId).orderBy('model').execute()).map(toPrice)
  }

  async put(tenantId: string, price: TenantPrice): Promise<void> {
    const row: PriceRow = {
      tenant_id: tenantId,
      model: price.model,
      provider: price.provider ?? null,
      input_per_mtok: price.input_per_mtok,
      output_per_mtok: price.output_per_mtok,
      cached_input_per_mtok: price.cached_input_per_mtok ?? null,
      reasoning_per_mtok: price.reasoning_per_mtok ?? null,
      updated_at: price.updated_at,
    }
    const { tenant_id: _tenant, model: _model, ...changes } = row
    await this.db
      .insertInto('tenant_prices')
      .values(row)
      .onConflict((oc) => oc.columns(['tenant_id', 'model']).doUpdateSet(changes))
      .execute()
  }

  async delete(tenantId: string, model: string): Promise<boolean> {
    const result = await this.db.deleteFrom('tenant_prices').where('tenant_id', '=', tenantId).where('model', '=', model).executeTakeFirst()
    return result.numDeletedRows > 0n
  }
}
