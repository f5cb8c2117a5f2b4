import type { FlowDefinitionJson, FlowSession } from '@interlog/schema'
import type { Kysely } from 'kysely'
import type { FlowDefinitionRecord, FlowSessionPage, FlowStore, Visibility } from '../store.js'
import type { Database } from './database.js'

type Db = Kysely<Database>

const toRecord = (row: Database['flow_definitions']): FlowDefinitionRecord => ({
  id: row.id,
  definition: JSON.parse(row.definition) as FlowDefinitionJson,
  created_at: row.created_at,
  updated_at: row.updated_at,
})

/** Flow definitions and session state: identical in both dialects (JSON as text, optimistic versions). */
export class KyselyFlowStore implements FlowStore {
  constructor(private readonly db: Db) {}

  async putDefinition(tenantId: string, record: FlowDefinitionRecord): Promise<'created' | 'updated'> {
    const definition = JSON.stringify(record.definition)
    const inserted = await this.db
      .insertInto('flow_definitions')
      .values({ tenant_id: tenantId, id: record.id, definition, created_at: record.created_at, updated_at: record.updated_at })
      .onConflict((oc) => oc.columns(['tenant_id', 'id']).doNothing())
      .executeTakeFirst()
    if ((inserted.numInsertedOrUpdatedRows ?? 0n) > 0n) return 'created'
    await this.db.updateTable('flow_definitions').set({ definition, updated_at: record.updated_at }).where('tenant_id', '=', tenantId).where('id', '=', record.id).execute()
    return 'updated'
  }

  async getDefinition(tenantId: string, id: string): Promise<FlowDefinitionRecord | undefined> {
    const row = await this.db.selectFrom('flow_definitions').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst()
    return row && toRecord(row)
  }

  async listDefinitions(tenantId: string): Promise<FlowDefinitionRecord[]> {
    const rows = await this.db.selectFrom('flow_definitions').selectAll().where('tenant_id', '=', tenantId).orderBy('id').execute()
    return rows.map(toRecord)
  }

  deleteDefinition(tenantId: string, id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('flow_sessions').where('tenant_id', '=', tenantId).where('flow_id', '=', id).execute()
      const result = await trx.deleteFrom('flow_definitions').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst()
      return result.numDeletedRows > 0n
    })
  }

  async getSession(tenantId: string, flowId: string, sessionId: string, visibility: Visibility): Promise<FlowSession | undefined> {
    let query = this.db.selectFrom('flow_sessions').select('state').where('tenant_id', '=', tenantId).where('flow_id', '=', flowId).where('session_id', '=', sessionId)
    if (visibility.userId !== undefined) query = query.where('user_id', '=', visibility.userId)
    const row = await query.executeTakeFirst()
    return row && (JSON.parse(row.state) as FlowSession)
  }

  async saveSession(tenantId: string, session: FlowSession): Promise<boolean> {
    const columns = {
      user_id: session.user_id,
      status: session.status,
      node: session.node,
      version: session.version,
      state: JSON.stringify(session),
      updated_at: session.updated_at,
    }
    if (session.version === 1) {
      const inserted = await this.db
        .insertInto('flow_sessions')
        .values({ tenant_id: tenantId, flow_id: session.flow_id, session_id: session.session_id, created_at: session.created_at, ...columns })
        .onConflict((oc) => oc.columns(['tenant_id', 'flow_id', 'session_id']).doNothing())
        .executeTakeFirst()
      return (inserted.numInsertedOrUpdatedRows ?? 0n) > 0n
    }
    const updated = await this.db
      .updateTable('flow_sessions')
      .set(columns)
      .where('tenant_id', '=', tenantId)
      .where('flow_id', '=', session.flow_id)
      .where('session_id', '=', session.session_id)
      .where('version', '=', session.version - 1)
      .executeTakeFirst()
    return updated.numUpdatedRows > 0n
  }

  async listSessions(tenantId: string, flowId: string, visibility: Visibility, page: { limit: number; offset: number }): Promise<FlowSessionPage> {
    let query = this.db.selectFrom('flow_sessions').where('tenant_id', '=', tenantId).where('flow_id', '=', flowId)
    if (visibility.userId !== undefined) query = query.where('user_id', '=', visibility.userId)
    const [rows, count] = await Promise.all([
      query.select('state').orderBy('updated_at', 'desc').orderBy('session_id').limit(page.limit).offset(page.offset).execute(),
      query.select((eb) => eb.fn.countAll<number | string>().as('total')).executeTakeFirstOrThrow(),
    ])
    return { sessions: rows.map((row) => JSON.parse(row.state) as FlowSession), total: Number(count.total) }
  }
}
