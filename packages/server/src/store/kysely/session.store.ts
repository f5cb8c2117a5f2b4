import type { Kysely } from 'kysely'
import type { SessionRecord, SessionStore } from '../store.js'
import type { Database } from './database.js'
import { toKeyRecord } from './admin.store.js'

/** Dashboard sessions: identical in both dialects. A session lives only while its key is not revoked. */
export class KyselySessionStore implements SessionStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(tenantId: string, session: SessionRecord): Promise<void> {
    await this.db.insertInto('sessions').values({ ...session, tenant_id: tenantId }).execute()
  }

  async findActive(id: string, now: number) {
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('api_keys', (join) => join.onRef('api_keys.id', '=', 'sessions.key_id').onRef('api_keys.tenant_id', '=', 'sessions.tenant_id'))
      .selectAll('api_keys')
      .select(['sessions.id as session_id', 'sessions.created_at as session_created_at', 'sessions.expires_ts'])
      .where('sessions.id', '=', id)
      .where('sessions.expires_ts', '>', now)
      .where('api_keys.revoked_at', 'is', null)
      .executeTakeFirst()
    if (!row) return undefined
    const { session_id, session_created_at, expires_ts, ...key } = row
    return {
      session: { id: session_id, tenant_id: key.tenant_id, key_id: key.id, created_at: session_created_at, expires_ts: Number(expires_ts) },
      key: toKeyRecord(key),
    }
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('sessions').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst()
    return result.numDeletedRows > 0n
  }

  async deleteExpired(now: number): Promise<number> {
    const result = await this.db.deleteFrom('sessions').where('expires_ts', '<=', now).executeTakeFirst()
    return Number(result.numDeletedRows)
  }
}
