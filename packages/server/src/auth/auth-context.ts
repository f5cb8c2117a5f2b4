import type { Scope } from '@interlog/schema'
import { MissingScopeError } from '../errors/errors.js'

/** Who is calling: resolved from the API key on every request. */
export interface AuthContext {
  keyId: string
  tenantId: string
  scopes: ReadonlySet<Scope>
  /** Set when the key is bound to one end user: it then sees and writes only that user's rows. */
  userId?: string
  /** The bootstrap admin key (and the local CLI) manage every tenant. */
  isRoot: boolean
  /** Set when the request came with a dashboard session cookie rather than a bearer key (the hash of its token). */
  sessionId?: string
}

/** One scope, or a list of which any one will do. */
export function requireScope(auth: AuthContext, scope: Scope | readonly Scope[]): void {
  const anyOf = typeof scope === 'string' ? [scope] : scope
  if (!anyOf.some((one) => auth.scopes.has(one))) throw new MissingScopeError(scope)
}

/** The CLI runs on the host with direct database access, so it acts as root. */
export const localRootContext = (tenantId: string): AuthContext => ({
  keyId: 'local-cli',
  tenantId,
  scopes: new Set(['admin']),
  isRoot: true,
})
