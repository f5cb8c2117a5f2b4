import type { KeyRecord, KeyStore } from '../store/store.js'
import { UnauthorizedError } from '../errors/errors.js'
import type { AuthContext } from './auth-context.js'
import { hashKeySecret } from './key-secret.js'

/**
 * Resolves a bearer key on every request, straight from the store: a revoked key stops working at
 * once on every replica (no cache to expire).
 */
export class AuthService {
  constructor(private readonly keys: Pick<KeyStore, 'findActiveByHash'>) {}

  async authenticate(authorization: string | undefined): Promise<AuthContext> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')
    if (!match) throw new UnauthorizedError()
    return this.authenticateKey(match[1]!)
  }

  /** A key as given (a bearer token, or the key typed into the dashboard's sign-in form). */
  async authenticateKey(secret: string): Promise<AuthContext> {
    const key = await this.keys.findActiveByHash(hashKeySecret(secret))
    if (!key) throw new UnauthorizedError('Unknown or revoked API key')
    return authContextOf(key)
  }
}

export const authContextOf = (key: KeyRecord): AuthContext => ({
  keyId: key.id,
  tenantId: key.tenant_id,
  scopes: new Set(key.scopes),
  userId: key.user_id ?? undefined,
  isRoot: key.is_root,
})
