import type { Scope } from '@interlog/schema'
import type { Kysely } from 'kysely'
import type { KeyRecord, KeyStore, TenantRecord, TenantStore } from '../store.js'
import type { Database } from './database.js'

type Db = Kysely<Database>

/** Tenant queries: identical in both dialects. */
export class KyselyTenantStore implements TenantStore {
  constructor(private readonly db: Db) {}

  async create(tenant: TenantRecord): Promise<void> {
    await this.db.insertInto('tenants').values(tenant).execute()
  }

  getById(id: string): Promise<TenantRecord | undefined> {
    return this.db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst()
  }

  getByName(name: string): Promise<TenantRecord | undefined> {
    return this.db.selectFrom('tenants').selectAll().where('name', '=', name).executeTakeFirst()
  }

  list(): Promise<TenantRecord[]> {
    return this.db.selectFrom('tenants').selectAll().orderBy('created_at', 'desc').execute()
  }
}

type KeyRow = Database['api_keys']

export const toKeyRecord = (row: KeyRow): KeyRecord => ({
  ...row,
  scopes: JSON.parse(row.scopes) as Scope[],
  is_root: row.is_root === 1,
})

/** API key queries: identical in both dialects. Keys are stored as SHA-256 hashes only. */
export class KyselyKeyStore implements KeyStore {
  constructor(private readonly db: Db) {}

  async insert(tenantId: string, key: KeyRecord): Promise<void> {
    await this.db
      .insertInto('api_keys')
      .values({ ...key, tenant_id: tenantId, scopes: JSON.stringify(key.scopes), is_root: key.is_root ? 1 : 0 })
      .execute()
  }

  async findActiveByHash(hash: string): Promise<KeyRecord | undefined> {
    const row = await this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('hash', '=', hash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    return row && toKeyRecord(row)
  }

  async list(tenantId: string | undefined): Promise<KeyRecord[]> {
    let query = this.db.selectFrom('api_keys').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc')
    if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId)
    return (await query.execute()).map(toKeyRecord)
  }

  async getById(tenantId: string | undefined, id: string): Promise<KeyRecord | undefined> {
    let query = this.db.selectFrom('api_keys').selectAll().where('id', '=', id)
    if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId)
    const row = await query.executeTakeFirst()
    return row && toKeyRecord(row)
  }

  async revoke(tenantId: string, id: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable('api_keys')
      .set({ revoked_at: at })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    return result.numUpdatedRows > 0n
  }

  async reinstateRoot(tenantId: string, hash: string, scopes: Scope[]): Promise<boolean> {
    const result = await this.db
      .updateTable('api_keys')
      .set({ tenant_id: tenantId, scopes: JSON.stringify(scopes), user_id: null, is_root: 1, revoked_at: null })
      .where('hash', '=', hash)
      .executeTakeFirst()
    return result.numUpdatedRows > 0n
  }

  async revokeRootKeysExcept(hash: string, at: string): Promise<number> {
    const result = await this.db
      .updateTable('api_keys')
      .set({ revoked_at: at })
      .where('is_root', '=', 1)
      .where('hash', '!=', hash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows)
  }
}

/** One-time claims (bootstrap key generation) guarded by a primary key, so only one replica wins. */
export async function claimOnce(db: Db, name: string, value: string, at: string): Promise<boolean> {
  const result = await db
    .insertInto('system_claims')
    .values({ name, value, claimed_at: at })
    .onConflict((oc) => oc.column('name').doNothing())
    .executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0
}
