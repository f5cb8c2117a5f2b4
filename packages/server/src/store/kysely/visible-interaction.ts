import type { Kysely } from 'kysely'
import type { Visibility } from '../store.js'
import type { Database } from './database.js'

/**
 * The interaction a write attaches to (feedback, a validation, an example), read inside the write's
 * transaction: narrowed to the key's end user, and locked where the dialect has row locks, so a
 * concurrent change or delete of the same interaction applies before or after, never in between.
 * SQLite needs no lock: its one connection makes each transaction exclusive.
 */
export function visibleInteraction(trx: Kysely<Database>, tenantId: string, id: string, visibility: Visibility, lockRows: boolean) {
  let query = trx.selectFrom('interactions').where('tenant_id', '=', tenantId).where('id', '=', id)
  if (visibility.userId !== undefined) query = query.where('user_id', '=', visibility.userId)
  return lockRows ? query.forUpdate() : query
}

/** The rows attached to interactions (their feedback or validations), oldest first. */
export function attachedHistory(db: Kysely<Database>, table: 'feedback' | 'validations', tenantId: string, interactionIds: string[]) {
  return db
    .selectFrom(table)
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('interaction_id', 'in', interactionIds)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
}
