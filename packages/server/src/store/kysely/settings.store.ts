import type { Kysely } from 'kysely'
import type { SettingsStore, TenantSetting } from '../store.js'
import type { Database } from './database.js'

/** Tenant settings as named JSON documents: identical in both dialects. */
export class KyselySettingsStore implements SettingsStore {
  constructor(private readonly db: Kysely<Database>) {}

  async all(tenantId: string): Promise<TenantSetting[]> {
    const rows = await this.db.selectFrom('tenant_settings').select(['name', 'value', 'updated_at']).where('tenant_id', '=', tenantId).execute()
    return rows.map((row) => ({ name: row.name, value: JSON.parse(row.value) as unknown, updated_at: row.updated_at }))
  }

  async put(tenantId: string, setting: TenantSetting): Promise<void> {
    const row = { tenant_id: tenantId, name: setting.name, value: JSON.stringify(setting.value), updated_at: setting.updated_at }
    await this.db
      .insertInto('tenant_settings')
      .values(row)
      .onConflict((oc) => oc.columns(['tenant_id', 'name']).doUpdateSet({ value: row.value, updated_at: row.updated_at }))
      .execute()
  }
}
