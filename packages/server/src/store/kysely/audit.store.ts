import type { AuditEntry } from '@interlog/schema'
import type { Kysely } from 'kysely'
import type { AuditFilter, AuditPage, AuditStore } from '../store.js'
import type { Database } from './database.js'

type AuditRow = Database['audit_log']

const toEntry = (row: AuditRow): AuditEntry => ({
  id: row.id,
  action: row.action as AuditEntry['action'],
  actor_key_id: row.actor_key_id,
  target_type: row.target_type,
  target_id: row.target_id,
  details: JSON.parse(row.details) as Record<string, unknown>,
  created_at: row.created_at,
})

/** The audit log: append-only, read newest first. Identical in both dialects. */
export class KyselyAuditStore implements AuditStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(tenantId: string, entry: AuditEntry): Promise<void> {
    await this.db
      .insertInto('audit_log')
      .values({ ...entry, tenant_id: tenantId, ts: Date.parse(entry.created_at), details: JSON.stringify(entry.details) })
      .execute()
  }

  async list(tenantId: string, filter: AuditFilter, page: { limit: number; offset: number }): Promise<AuditPage> {
    let query = this.db.selectFrom('audit_log').where('tenant_id', '=', tenantId)
    if (filter.action !== undefined) query = query.where('action', '=', filter.action)
    if (filter.from !== undefined) query = query.where('ts', '>=', Date.parse(filter.from))
    if (filter.to !== undefined) query = query.where('ts', '<', Date.parse(filter.to))
    const [rows, total] = await Promise.all([
      query.selectAll().orderBy('ts', 'desc').orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute(),
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ])
    return { entries: rows.map(toEntry), total: Number(total.n) }
  }
}
