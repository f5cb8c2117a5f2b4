import type { Interaction, Scope } from '@interlog/schema'
import type { ExpressionBuilder, Kysely, SelectQueryBuilder } from 'kysely'
import type {
  InsertOutcome,
  InteractionFilter,
  InteractionPage,
  InteractionStore,
  KeyRecord,
  KeyStore,
  PageRequest,
  TenantRecord,
  TenantRows,
  TenantStore,
  Visibility,
} from '../store.js'
import type { Database } from './database.js'
import { fromStoredRow, serializeInteraction, toInteractionColumns } from './interaction.rows.js'

const STORED = ['interactions.tenant_id', 'data', 'size_bytes'] as const

type Db = Kysely<Database>
type InteractionQuery = SelectQueryBuilder<Database, 'interactions', object>

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

const toKeyRecord = (row: KeyRow): KeyRecord => ({
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

/** Applies tenant, end-user visibility and list filters: the WHERE clause every interaction read shares. */
function scoped(query: InteractionQuery, tenantId: string, filter: InteractionFilter, visibility: Visibility) {
  let q = query.where('interactions.tenant_id', '=', tenantId)
  const userId = visibility.userId ?? filter.user_id
  if (userId !== undefined) q = q.where('user_id', '=', userId)
  const equals = ['thread_id', 'session_id', 'type', 'category', 'status', 'model', 'provider'] as const
  for (const column of equals) {
    const value = filter[column]
    if (value !== undefined) q = q.where(column, '=', value)
  }
  if (filter.from !== undefined) q = q.where('ts', '>=', Date.parse(filter.from))
  if (filter.to !== undefined) q = q.where('ts', '<', Date.parse(filter.to))
  if (filter.min_latency_ms !== undefined) q = q.where('latency_ms', '>=', filter.min_latency_ms)
  if (filter.max_latency_ms !== undefined) q = q.where('latency_ms', '<=', filter.max_latency_ms)
  if (filter.tag !== undefined) {
    const tag = filter.tag
    q = q.where((eb: ExpressionBuilder<Database, 'interactions'>) =>
      eb.exists(
        eb
          .selectFrom('interaction_tags')
          .select('interaction_tags.tag')
          .whereRef('interaction_tags.tenant_id', '=', 'interactions.tenant_id')
          .whereRef('interaction_tags.interaction_id', '=', 'interactions.id')
          .where('interaction_tags.tag', '=', tag),
      ),
    )
  }
  return q
}

/** What a dialect can do, so shared queries adapt without branching on the dialect's name. */
export interface DialectCapabilities {
  /** SELECT ... FOR UPDATE. SQLite has no row locks; its one connection makes each transaction exclusive anyway. */
  rowLocks: boolean
}

/**
 * Interaction reads, updates and deletes shared by both dialects. Adapters add the bulk insert, which
 * each dialect does its own fastest way.
 */
export abstract class KyselyInteractionStore implements InteractionStore {
  constructor(
    protected readonly db: Db,
    private readonly capabilities: DialectCapabilities,
  ) {}

  abstract insertGroups(groups: TenantRows[]): Promise<InsertOutcome[][]>

  async get(tenantId: string, id: string, visibility: Visibility): Promise<Interaction | undefined> {
    const row = await scoped(this.db.selectFrom('interactions'), tenantId, {}, visibility)
      .select(STORED)
      .where('id', '=', id)
      .executeTakeFirst()
    return row && fromStoredRow(row)
  }

  async list(tenantId: string, filter: InteractionFilter, page: PageRequest): Promise<InteractionPage> {
    const base = scoped(this.db.selectFrom('interactions'), tenantId, filter, {})
    let rows = base.select([...STORED, 'ts', 'id']).orderBy('ts', 'desc').orderBy('id', 'desc')
    if (page.after) {
      const { ts, id } = page.after
      rows = rows.where((eb) => eb(eb.refTuple('ts', 'id'), '<', eb.tuple(ts, id)))
    }
    const [found, counted] = await Promise.all([
      rows.limit(page.limit).offset(page.offset).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
    ])
    const lastRow = found.at(-1)
    return {
      interactions: found.map(fromStoredRow),
      total: Number(counted.total),
      last: lastRow && { ts: Number(lastRow.ts), id: lastRow.id },
    }
  }

  async thread(tenantId: string, threadId: string, visibility: Visibility, limit: number): Promise<Interaction[]> {
    const rows = await scoped(this.db.selectFrom('interactions'), tenantId, { thread_id: threadId }, visibility)
      .select(STORED)
      .orderBy('ts', 'asc')
      .orderBy('id', 'asc')
      .limit(limit)
      .execute()
    return rows.map(fromStoredRow)
  }

  async delete(tenantId: string, id: string, visibility: Visibility): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      let target = trx.deleteFrom('interactions').where('tenant_id', '=', tenantId).where('id', '=', id)
      if (visibility.userId !== undefined) target = target.where('user_id', '=', visibility.userId)
      const result = await target.executeTakeFirst()
      if (result.numDeletedRows === 0n) return false
      await trx.deleteFrom('interaction_tags').where('tenant_id', '=', tenantId).where('interaction_id', '=', id).execute()
      return true
    })
  }

  async update(tenantId: string, id: string, change: (current: Interaction) => Interaction | undefined): Promise<Interaction | undefined> {
    return this.db.transaction().execute(async (trx) => {
      let select = trx.selectFrom('interactions').select(STORED).where('tenant_id', '=', tenantId).where('id', '=', id)
      if (this.capabilities.rowLocks) select = select.forUpdate()
      const found = await select.executeTakeFirst()
      if (!found) return undefined
      const current = fromStoredRow(found)
      const changed = change(current)
      if (!changed) return undefined
      const next: Interaction = { ...changed, id, tenant_id: tenantId, timestamp: current.timestamp, received_at: current.received_at }
      const row = { interaction: next, ts: Date.parse(next.timestamp), received_ts: Date.parse(next.received_at) }
      const { tenant_id: _tenant, id: _id, ...columns } = toInteractionColumns(tenantId, row, serializeInteraction(next))
      await trx.updateTable('interactions').set(columns).where('tenant_id', '=', tenantId).where('id', '=', id).execute()
      await trx.deleteFrom('interaction_tags').where('tenant_id', '=', tenantId).where('interaction_id', '=', id).execute()
      const tags = [...new Set(next.tags ?? [])]
      if (tags.length > 0) {
        await trx.insertInto('interaction_tags').values(tags.map((tag) => ({ tenant_id: tenantId, interaction_id: id, tag }))).execute()
      }
      return { ...next, size_bytes: columns.size_bytes }
    })
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
