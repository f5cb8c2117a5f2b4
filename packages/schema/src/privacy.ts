import { z } from 'zod'
import { Identifier, IsoDateTime } from './common.js'

/** What redaction at ingest can find and replace; each kind has its own placeholder. */
export const REDACTION_KINDS = ['email', 'phone', 'credit_card', 'national_id', 'ip_address', 'secret'] as const
export const RedactionKind = z.enum(REDACTION_KINDS)
export type RedactionKind = z.infer<typeof RedactionKind>

/** The placeholder that replaces a match of each built-in kind. */
export const REDACTION_PLACEHOLDERS: Record<RedactionKind, string> = {
  email: '[EMAIL]',
  phone: '[PHONE]',
  credit_card: '[CREDIT_CARD]',
  national_id: '[NATIONAL_ID]',
  ip_address: '[IP_ADDRESS]',
  secret: '[SECRET]',
}

export const MAX_CUSTOM_PATTERNS = 20

export const CustomRedactionPattern = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and _, starting with a letter (at most 40)')
    .meta({ description: 'names the placeholder: employee_id → [EMPLOYEE_ID]' }),
  pattern: z.string().min(1).max(500).meta({ description: 'a JavaScript regular expression (no delimiters); every match is replaced' }),
  case_insensitive: z.boolean().optional(),
})
export type CustomRedactionPattern = z.infer<typeof CustomRedactionPattern>

export const RedactionSettingsUpdate = z
  .strictObject({
    kinds: z.array(RedactionKind).meta({ description: 'the kinds to redact; an empty list turns built-in redaction off' }),
    custom_patterns: z.array(CustomRedactionPattern).max(MAX_CUSTOM_PATTERNS).optional(),
    phone_default_country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 country code, e.g. US')
      .optional()
      .meta({ description: 'how phone numbers written without a +country code are read (default US)' }),
  })
  .meta({ id: 'RedactionSettingsUpdate' })
export type RedactionSettingsUpdate = z.infer<typeof RedactionSettingsUpdate>

export const RedactionSettings = z
  .object({
    kinds: z.array(RedactionKind),
    custom_patterns: z.array(CustomRedactionPattern),
    phone_default_country: z.string(),
    updated_at: z.string().nullable().meta({ description: 'null until the tenant first sets it' }),
  })
  .meta({ id: 'RedactionSettings' })
export type RedactionSettings = z.infer<typeof RedactionSettings>

export const CollectionSettingsUpdate = z
  .strictObject({ enabled: z.boolean().meta({ description: 'false refuses ingest and feedback with 403 collection_disabled' }) })
  .meta({ id: 'CollectionSettingsUpdate' })
export type CollectionSettingsUpdate = z.infer<typeof CollectionSettingsUpdate>

export const CollectionSettings = z
  .object({ enabled: z.boolean(), updated_at: z.string().nullable() })
  .meta({ id: 'CollectionSettings' })
export type CollectionSettings = z.infer<typeof CollectionSettings>

export const UserDataErasure = z
  .object({
    user_id: z.string(),
    deleted: z
      .object({
        interactions: z.number().int().meta({ description: 'interactions removed from the hot store' }),
        archived_interactions: z.number().int().meta({ description: 'archived interactions removed (the archive objects that held them are rewritten)' }),
      })
      .catchall(z.number().int())
      .meta({
        description: 'rows removed per kind: interactions, archived interactions, feedback, tags, OTLP join rows, and whatever else holds the user’s data',
      }),
  })
  .meta({ id: 'UserDataErasure' })
export type UserDataErasure = z.infer<typeof UserDataErasure>

export const UserIdParams = z.object({ user_id: Identifier })

/** Actions the audit log records. */
export const AUDIT_ACTIONS = [
  'interaction.delete',
  'user_data.erase',
  'data.export',
  'tenant.create',
  'key.create',
  'key.revoke',
  'price.set',
  'price.delete',
  'settings.redaction.update',
  'settings.collection.update',
  'settings.readiness.update',
  'example.delete',
  'settings.retention.update',
  'archive.run',
  'archive.restore',
] as const
export const AuditAction = z.enum(AUDIT_ACTIONS)
export type AuditAction = z.infer<typeof AuditAction>

export const AuditEntry = z
  .object({
    id: z.string(),
    action: AuditAction,
    actor_key_id: z.string().meta({ description: 'the API key that acted (local-cli for the CLI)' }),
    target_type: z.string().nullable(),
    target_id: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    created_at: z.string(),
  })
  .meta({ id: 'AuditEntry' })
export type AuditEntry = z.infer<typeof AuditEntry>

export const AuditLogQuery = z.strictObject({
  action: AuditAction.optional(),
  from: IsoDateTime.optional().meta({ description: 'inclusive lower bound on created_at' }),
  to: IsoDateTime.optional().meta({ description: 'exclusive upper bound on created_at' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
})
export type AuditLogQuery = z.infer<typeof AuditLogQuery>

export const AuditLog = z
  .object({
    entries: z.array(AuditEntry),
    total_count: z.number().int(),
    returned_count: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  })
  .meta({ id: 'AuditLog' })
export type AuditLog = z.infer<typeof AuditLog>
