import type { UserDataErasure } from '@interlog/schema'
import type { AuditService } from '../audit/audit.service.js'
import type { AuthContext } from '../auth/auth-context.js'
import { ForbiddenError } from '../errors/errors.js'
import type { InteractionStore } from '../store/store.js'

/** Erasure of an end user's data on request (GDPR art. 17 and the like), recorded in the audit log. */
export class ErasureService {
  constructor(
    private readonly interactions: Pick<InteractionStore, 'eraseUser'>,
    private readonly audit: AuditService,
  ) {}

  /** A user-bound key may erase its own user only. Erasing a user with no data answers zero counts. */
  async eraseUser(auth: AuthContext, userId: string): Promise<UserDataErasure> {
    if (auth.userId !== undefined && auth.userId !== userId) {
      throw new ForbiddenError(`This key may only erase the data of user '${auth.userId}'`)
    }
    const deleted = await this.interactions.eraseUser(auth.tenantId, userId)
    await this.audit.record(auth.tenantId, { actor: auth, action: 'user_data.erase', target: { type: 'user', id: userId }, details: { deleted } })
    return { user_id: userId, deleted }
  }
}
