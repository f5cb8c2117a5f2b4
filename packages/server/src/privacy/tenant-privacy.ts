import type { CollectionSettings, RedactionSettings } from '@interlog/schema'
import { CollectionDisabledError } from '../errors/errors.js'
import type { Clock } from '../runtime/clock.js'
import { TtlCache } from '../runtime/ttl-cache.js'
import type { SettingsStore, TenantSetting } from '../store/store.js'
import { Redactor, type RedactionRules } from './redaction/redactor.js'

export const REDACTION_SETTING = 'redaction'
export const COLLECTION_SETTING = 'collection'

export const DEFAULT_REDACTION: RedactionRules = { kinds: [], custom_patterns: [], phone_default_country: 'US' }

/** A tenant's privacy settings as they apply, with its redactor built once. */
export interface PrivacySettings {
  redaction: RedactionSettings
  collection: CollectionSettings
  /** Undefined when redaction is off: nothing to run at ingest. */
  redactor: Redactor | undefined
}

function settingsOf(stored: TenantSetting[]): PrivacySettings {
  const named = new Map(stored.map((setting) => [setting.name, setting]))
  const redaction = named.get(REDACTION_SETTING)
  const collection = named.get(COLLECTION_SETTING)
  const rules = { ...DEFAULT_REDACTION, ...(redaction?.value as Partial<RedactionRules> | undefined) }
  const redactor = new Redactor(rules)
  return {
    redaction: { ...rules, updated_at: redaction?.updated_at ?? null },
    collection: { enabled: (collection?.value as { enabled?: boolean } | undefined)?.enabled ?? true, updated_at: collection?.updated_at ?? null },
    redactor: redactor.active ? redactor : undefined,
  }
}

export interface TenantPrivacyOptions {
  /** How long a tenant's settings are reused before they are read again; default 5 s. */
  ttlMs?: number
  clock?: Clock
}

/**
 * Each tenant's redaction and collection settings, read from the store at most once per TTL (not per
 * request) and shared by every ingest path: HTTP, OTLP and feedback. A change made in this process is
 * seen at once (`invalidate`); one made by another replica within the TTL.
 */
export class TenantPrivacy {
  readonly #cache: TtlCache<PrivacySettings>

  constructor(
    private readonly store: Pick<SettingsStore, 'all'>,
    options: TenantPrivacyOptions = {},
  ) {
    this.#cache = new TtlCache({ ttlMs: options.ttlMs ?? 5_000, clock: options.clock, maxEntries: 10_000 })
  }

  settings(tenantId: string): Promise<PrivacySettings> {
    return this.#cache.get(tenantId, async () => settingsOf(await this.store.all(tenantId)))
  }

  /**
   * What ingest must do for the tenant: refuses when collection is off (nothing is stored, so nothing
   * is acknowledged), else answers the redactor to run before anything is written (undefined: none).
   */
  async admit(tenantId: string): Promise<Redactor | undefined> {
    const settings = await this.settings(tenantId)
    if (!settings.collection.enabled) throw new CollectionDisabledError()
    return settings.redactor
  }

  invalidate(tenantId: string): void {
    this.#cache.delete(tenantId)
  }
}
