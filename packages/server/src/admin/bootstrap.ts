import { SCOPES } from '@interlog/schema'
import { hashKeySecret } from '../auth/key-secret.js'
import type { Clock } from '../runtime/clock.js'
import type { Store } from '../store/store.js'
import type { KeysService } from './keys.service.js'
import type { TenantsService } from './tenants.service.js'

export const DEFAULT_TENANT = 'default'
const GENERATED_KEY_CLAIM = 'bootstrap-admin-key-generated'

export interface BootstrapResult {
  defaultTenantId: string
  /** Set only when this start generated the admin key: it must be shown once, then it is gone. */
  generatedAdminKey?: string
}

/**
 * Makes sure a root admin key exists. With INTERLOG_ADMIN_KEY, that key (its hash) is the root key and
 * replaces an earlier one; without it, the very first start generates one. Safe when replicas start together.
 */
export async function bootstrapAdmin(
  store: Store,
  tenants: TenantsService,
  keys: KeysService,
  clock: Clock,
  adminKey: string | undefined,
): Promise<BootstrapResult> {
  const tenant = await tenants.ensure(DEFAULT_TENANT)
  const rootKey = { tenantId: tenant.id, scopes: [...SCOPES], isRoot: true }
  if (adminKey !== undefined) {
    const hash = hashKeySecret(adminKey)
    // A key stored with this hash already (this admin key set before and replaced since, so revoked)
    // becomes the root key again: inserting it anew would break the hash's uniqueness.
    const active = await store.keys.findActiveByHash(hash)
    if (!active?.is_root && !(await store.keys.reinstateRoot(tenant.id, hash, [...SCOPES]))) {
      try {
        await keys.issue({ ...rootKey, secret: adminKey, name: 'bootstrap (INTERLOG_ADMIN_KEY)' })
      } catch (error) {
        if (!(await store.keys.findActiveByHash(hash))) throw error
      }
    }
    await store.keys.revokeRootKeysExcept(hash, clock.now().toISOString())
    return { defaultTenantId: tenant.id }
  }
  if (!(await store.claimOnce(GENERATED_KEY_CLAIM, clock.now().toISOString()))) return { defaultTenantId: tenant.id }
  const created = await keys.issue({ ...rootKey, name: 'bootstrap (generated)' })
  return { defaultTenantId: tenant.id, generatedAdminKey: created.key }
}
