import type { Kysely } from 'kysely'
import { claimOnce, KyselyKeyStore, KyselyTenantStore } from './admin.store.js'
import { KyselyAuditStore } from './audit.store.js'
import type { Database } from './database.js'
import { KyselyFlowStore } from './flow.store.js'
import { KyselyOtlpJoinStore } from './otlp-join.store.js'
import { KyselyPriceStore } from './price.store.js'
import { KyselyReadinessSettingsStore } from './readiness-settings.store.js'
import { KyselySessionStore } from './session.store.js'
import { KyselySettingsStore } from './settings.store.js'
import { KyselyTrainingRunStore } from './training-run.store.js'

/**
 * The stores whose queries are the same in every dialect, built once here; each adapter extends this
 * with the stores that need its own SQL or capabilities.
 */
export abstract class DialectFreeStores {
  readonly tenants: KyselyTenantStore
  readonly keys: KyselyKeyStore
  readonly prices: KyselyPriceStore
  readonly otlp: KyselyOtlpJoinStore
  readonly trainingRuns: KyselyTrainingRunStore
  readonly readinessSettings: KyselyReadinessSettingsStore
  readonly sessions: KyselySessionStore
  readonly settings: KyselySettingsStore
  readonly audit: KyselyAuditStore
  readonly flows: KyselyFlowStore

  constructor(protected readonly db: Kysely<Database>) {
    this.tenants = new KyselyTenantStore(db)
    this.keys = new KyselyKeyStore(db)
    this.prices = new KyselyPriceStore(db)
    this.otlp = new KyselyOtlpJoinStore(db)
    this.trainingRuns = new KyselyTrainingRunStore(db)
    this.readinessSettings = new KyselyReadinessSettingsStore(db)
    this.sessions = new KyselySessionStore(db)
    this.settings = new KyselySettingsStore(db)
    this.audit = new KyselyAuditStore(db)
    this.flows = new KyselyFlowStore(db)
  }

  claimOnce(name: string, value: string): Promise<boolean> {
    return claimOnce(this.db, name, value, new Date().toISOString())
  }

  async close(): Promise<void> {
    await this.db.destroy()
  }
}
