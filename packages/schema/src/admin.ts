import { z } from 'zod'
import { Identifier } from './common.js'
import { Scope } from './scopes.js'

export const TenantName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash and underscore; starting with a letter or digit')

export const CreateTenantInput = z.strictObject({ name: TenantName }).meta({ id: 'TenantCreate' })
export const Tenant = z.object({ id: z.string(), name: z.string(), created_at: z.string() }).meta({ id: 'Tenant' })
export type Tenant = z.infer<typeof Tenant>

export const CreateKeyInput = z
  .strictObject({
    tenant_id: z.string().min(1),
    scopes: z.array(Scope).min(1),
    user_id: Identifier.optional().meta({ description: 'bind the key to one end user: it sees and writes only their rows' }),
    name: z.string().min(1).max(100).optional(),
  })
  .meta({ id: 'ApiKeyCreate' })
export type CreateKeyInput = z.infer<typeof CreateKeyInput>

export const ApiKey = z
  .object({
    id: z.string(),
    tenant_id: z.string(),
    name: z.string().nullable(),
    prefix: z.string().meta({ description: 'first characters of the key, to recognise it' }),
    scopes: z.array(Scope),
    user_id: z.string().nullable(),
    created_at: z.string(),
    revoked_at: z.string().nullable(),
  })
  .meta({ id: 'ApiKey' })
export type ApiKey = z.infer<typeof ApiKey>

export const CreatedApiKey = ApiKey.extend({ key: z.string().meta({ description: 'the secret; shown only once' }) }).meta({
  id: 'CreatedApiKey',
})

export const KeyListQuery = z.strictObject({ tenant_id: z.string().min(1).optional() })
