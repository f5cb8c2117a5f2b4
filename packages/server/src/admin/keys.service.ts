import { CreateKeyInput, type ApiKey, type Scope } from '@interlog/schema'
import type { AuditService } from '../audit/audit.service.js'
import type { AuthContext } from '../auth/auth-context.js'
import { generateKeySecret, hashKeySecret, keyPrefixOf } from '../auth/key-secret.js'
import { ForbiddenError, NotFoundError } from '../errors/errors.js'
import { parseOrThrow } from '../errors/zod-issues.js'
import type { Clock, IdGenerator } from '../runtime/clock.js'
import type { KeyRecord, KeyStore } from '../store/store.js'
import type { TenantsService } from './tenants.service.js'

export const toApiKey = (record: KeyRecord): ApiKey => ({
  id: record.id,
  tenant_id: record.tenant_id,
  name: record.name,
  prefix: record.prefix,
  scopes: record.scopes,
  user_id: record.user_id,
  created_at: record.created_at,
  revoked_at: record.revoked_at,
})

export interface NewKey {
  tenantId: string
  scopes: Scope[]
  userId?: string
  name?: string
  isRoot?: boolean
  /** Use this secret instead of generating one (the INTERLOG_ADMIN_KEY bootstrap). */
  secret?: string
}

/**
 * A key bound to one end user sees only that user's rows; managing keys would let it make a key that
 * sees the whole tenant.
 */
function refuseUserBound(actor: AuthContext): void {
  if (actor.userId !== undefined) throw new ForbiddenError('A key bound to a user cannot manage API keys')
}

/** API keys: created with a secret shown once, stored as a hash, revoked at once. */
export class KeysService {
  constructor(
    private readonly keys: KeyStore,
    private readonly tenants: TenantsService,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly audit: Pick<AuditService, 'record'>,
  ) {}

  async create(actor: AuthContext, input: unknown): Promise<ApiKey & { key: string }> {
    refuseUserBound(actor)
    const parsed = parseOrThrow(CreateKeyInput, input, 'key')
    const tenant = await this.tenants.resolve(actor, parsed.tenant_id)
    const created = await this.issue({ tenantId: tenant.id, scopes: parsed.scopes, userId: parsed.user_id, name: parsed.name })
    await this.audit.record(tenant.id, {
      actor,
      action: 'key.create',
      target: { type: 'api_key', id: created.id },
      details: { scopes: created.scopes, user_id: created.user_id, name: created.name, prefix: created.prefix },
    })
    return created
  }

  async issue(request: NewKey): Promise<ApiKey & { key: string }> {
    const secret = request.secret ?? generateKeySecret()
    const record: KeyRecord = {
      id: this.ids.next(),
      tenant_id: request.tenantId,
      name: request.name ?? null,
      prefix: keyPrefixOf(secret),
      hash: hashKeySecret(secret),
      scopes: [...new Set(request.scopes)],
      user_id: request.userId ?? null,
      is_root: request.isRoot ?? false,
      created_at: this.clock.now().toISOString(),
      revoked_at: null,
    }
    await this.keys.insert(request.tenantId, record)
    return { ...toApiKey(record), key: secret }
  }

  async list(actor: AuthContext, tenantIdOrName: string | undefined): Promise<ApiKey[]> {
    refuseUserBound(actor)
    const tenantId = tenantIdOrName ? (await this.tenants.resolve(actor, tenantIdOrName)).id : undefined
    const scopedTo = actor.isRoot ? tenantId : actor.tenantId
    const keys = await this.keys.list(scopedTo)
    return (actor.isRoot ? keys : keys.filter((key) => !key.is_root)).map(toApiKey)
  }

  async revoke(actor: AuthContext, id: string): Promise<ApiKey> {
    refuseUserBound(actor)
    const key = await this.keys.getById(actor.isRoot ? undefined : actor.tenantId, id)
    // A tenant's admin does not see the root key, which lives in the default tenant.
    if (!key || (key.is_root && !actor.isRoot)) throw new NotFoundError(`API key '${id}'`)
    if (key.is_root) {
      throw new ForbiddenError('The root key is not revoked here: set INTERLOG_ADMIN_KEY to a new key and restart, which revokes the old one')
    }
    const at = this.clock.now().toISOString()
    await this.keys.revoke(key.tenant_id, id, at)
    await this.audit.record(key.tenant_id, { actor, action: 'key.revoke', target: { type: 'api_key', id }, details: { prefix: key.prefix } })
    return toApiKey({ ...key, revoked_at: key.revoked_at ?? at })
  }
}
