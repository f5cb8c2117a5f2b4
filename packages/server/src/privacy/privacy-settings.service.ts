import {
  CollectionSettingsUpdate,
  RedactionSettingsUpdate,
  type CollectionSettings,
  type RedactionSettings,
} from '@interlog/schema'
import safeRegex from 'safe-regex2'
import type { AuditService } from '../audit/audit.service.js'
import type { AuthContext } from '../auth/auth-context.js'
import { ValidationError, type FieldIssue } from '../errors/errors.js'
import { parseOrThrow } from '../errors/zod-issues.js'
import type { Clock } from '../runtime/clock.js'
import type { SettingsStore } from '../store/store.js'
import { isPhoneCountry } from './redaction/phone.detector.js'
import { compileCustomPattern } from './redaction/redactor.js'
import { COLLECTION_SETTING, DEFAULT_REDACTION, REDACTION_SETTING, type TenantPrivacy } from './tenant-privacy.js'

/** Why a custom pattern cannot run at ingest, or undefined when it can. */
function patternProblem(pattern: string, caseInsensitive: boolean | undefined): string | undefined {
  let compiled: RegExp
  try {
    compiled = compileCustomPattern({ name: 'check', pattern, case_insensitive: caseInsensitive })
  } catch (error) {
    return `not a valid regular expression: ${(error as Error).message}`
  }
  // Every ingested text runs through it: a pattern that can backtrack exponentially would stall ingest.
  if (!safeRegex(compiled)) return 'may take exponential time on some texts (nested repetition); simplify it'
  if (compiled.test('')) return 'matches the empty text; it must match at least one character'
  return undefined
}

/** A tenant's redaction and collection settings: validated, stored, audited, and applied to ingest. */
export class PrivacySettingsService {
  constructor(
    private readonly store: SettingsStore,
    private readonly privacy: TenantPrivacy,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async redaction(auth: AuthContext): Promise<RedactionSettings> {
    return (await this.privacy.settings(auth.tenantId)).redaction
  }

  async putRedaction(auth: AuthContext, body: unknown): Promise<RedactionSettings> {
    const input = parseOrThrow(RedactionSettingsUpdate, body, 'redaction settings')
    const issues: FieldIssue[] = []
    input.custom_patterns?.forEach((custom, index) => {
      const problem = patternProblem(custom.pattern, custom.case_insensitive)
      if (problem) issues.push({ path: `custom_patterns.${index}.pattern`, code: 'invalid_pattern', message: problem })
    })
    const names = input.custom_patterns?.map((custom) => custom.name) ?? []
    if (new Set(names).size !== names.length) issues.push({ path: 'custom_patterns', code: 'duplicate_name', message: 'each custom pattern needs its own name' })
    if (input.phone_default_country !== undefined && !isPhoneCountry(input.phone_default_country)) {
      issues.push({ path: 'phone_default_country', code: 'unknown_country', message: `no phone numbering plan is known for '${input.phone_default_country}'` })
    }
    if (issues.length > 0) throw new ValidationError(`Invalid redaction settings: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues)
    const value = {
      kinds: [...new Set(input.kinds)],
      custom_patterns: input.custom_patterns ?? [],
      phone_default_country: input.phone_default_country ?? DEFAULT_REDACTION.phone_default_country,
    }
    const updatedAt = this.clock.now().toISOString()
    await this.store.put(auth.tenantId, { name: REDACTION_SETTING, value, updated_at: updatedAt })
    this.privacy.invalidate(auth.tenantId)
    await this.audit.record(auth.tenantId, { actor: auth, action: 'settings.redaction.update', target: { type: 'settings', id: REDACTION_SETTING }, details: value })
    return { ...value, updated_at: updatedAt }
  }

  async collection(auth: AuthContext): Promise<CollectionSettings> {
    return (await this.privacy.settings(auth.tenantId)).collection
  }

  async putCollection(auth: AuthContext, body: unknown): Promise<CollectionSettings> {
    const value = parseOrThrow(CollectionSettingsUpdate, body, 'collection settings')
    const updatedAt = this.clock.now().toISOString()
    await this.store.put(auth.tenantId, { name: COLLECTION_SETTING, value, updated_at: updatedAt })
    this.privacy.invalidate(auth.tenantId)
    await this.audit.record(auth.tenantId, { actor: auth, action: 'settings.collection.update', target: { type: 'settings', id: COLLECTION_SETTING }, details: value })
    return { ...value, updated_at: updatedAt }
  }
}
