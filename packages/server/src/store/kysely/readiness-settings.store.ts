import type { Kysely } from 'kysely'
import type { ReadinessSettingsStore, StoredReadinessSettings } from '../store.js'
import type { Database } from './database.js'

/** A tenant's readiness thresholds, one row per tenant. */
export class KyselyReadinessSettingsStore implements ReadinessSettingsStore {
  constructor(private readonly db: Kysely<Database>) {}

  async get(tenantId: string): Promise<StoredReadinessSettings | undefined> {
    const row = await this.db.selectFrom('readiness_settings').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst()
    return row && { thresholds: JSON.parse(row.settings) as StoredReadinessSettings['thresholds'], updated_at: row.updated_at }
  }

  async put(tenantId: string, settings: StoredReadinessSettings): Promise<void> {
    const values = { settings: JSON.stringify(settings.thresholds), updated_at: settings.updated_at }
    await this.db
      .insertInto('readiness_settings')
      .values({ tenant_id: tenantId, ...values })
      .onConflict((oc) => oc.column('tenant_id').doUpdateSet(values))
      .execute()
  }
}
