import { randomBytes } from 'node:crypto'
import type { Session } from '@interlog/schema'
import { requireScope, type AuthContext } from '../auth/auth-context.js'
import { authContextOf, type AuthService } from '../auth/auth.service.js'
import { hashKeySecret } from '../auth/key-secret.js'
import { UnauthorizedError } from '../errors/errors.js'
import type { Clock } from '../runtime/clock.js'
import type { SessionStore, TenantStore } from '../store/store.js'

export interface SignedIn {
  /** The random session token, for the HttpOnly cookie; only its hash is stored. */
  token: string
  expiresAt: Date
  view: Session
}

/**
 * Dashboard sign-in: a key with `read` is exchanged for a random session token kept in an HttpOnly
 * cookie. The server stores only the token's hash, tied to the key, so revoking the key ends the
 * session on every replica at once, and signing out deletes it.
 */
export class SessionService {
  constructor(
    private readonly auth: Pick<AuthService, 'authenticateKey'>,
    private readonly sessions: SessionStore,
    private readonly tenants: Pick<TenantStore, 'getById'>,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  async signIn(key: string): Promise<SignedIn> {
    const auth = await this.auth.authenticateKey(key)
    requireScope(auth, 'read')
    const now = this.clock.now()
    // Housekeeping: sign-ins are rare, so this keeps the table to live sessions at no noticeable cost.
    await this.sessions.deleteExpired(now.getTime())
    const token = randomBytes(32).toString('base64url')
    const expiresAt = new Date(now.getTime() + this.ttlMs)
    const id = hashKeySecret(token)
    await this.sessions.create(auth.tenantId, { id, tenant_id: auth.tenantId, key_id: auth.keyId, created_at: now.toISOString(), expires_ts: expiresAt.getTime() })
    return { token, expiresAt, view: await this.describe({ ...auth, sessionId: id }, expiresAt) }
  }

  /** The caller of a request that came with a session cookie. */
  async authenticate(token: string): Promise<AuthContext & { expiresAt: Date }> {
    const found = await this.sessions.findActive(hashKeySecret(token), this.clock.now().getTime())
    if (!found) throw new UnauthorizedError('Your session has ended (expired, signed out or its key revoked); sign in again')
    return { ...authContextOf(found.key), sessionId: found.session.id, expiresAt: new Date(found.session.expires_ts) }
  }

  async signOut(auth: AuthContext | undefined): Promise<void> {
    if (auth?.sessionId !== undefined) await this.sessions.delete(auth.tenantId, auth.sessionId)
  }

  async describe(auth: AuthContext | undefined, expiresAt?: Date): Promise<Session> {
    if (!auth) return { signed_in: false }
    const tenant = await this.tenants.getById(auth.tenantId)
    return {
      signed_in: true,
      via: auth.sessionId === undefined ? 'key' : 'session',
      tenant_id: auth.tenantId,
      tenant_name: tenant?.name ?? auth.tenantId,
      key_id: auth.keyId,
      scopes: [...auth.scopes],
      user_id: auth.userId ?? null,
      expires_at: expiresAt?.toISOString() ?? null,
    }
  }
}
