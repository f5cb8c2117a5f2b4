import { FLAGGED_FEEDBACK_KINDS, type Interaction } from '@interlog/schema'
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely'
import type { FullTextSearch } from '../../search/full-text-search.js'
import { CONVERSATION_FIELDS, type ExportFilter, type ExportPage, type ExportStore, type ExportView } from '../store.js'
import type { Database } from './database.js'
import { fromStoredRow } from './interaction.rows.js'
import type { PayloadCodec } from './payload-codec.js'
import { scoped } from './interaction.scope.js'
import { STORED, type InteractionQuery } from './kysely.store.js'

type Db = Kysely<Database>
type Position = { ts: number; id: string }

/**
 * How a dialect reads the conversation fields out of `data`: `select` adds them to a page query so
 * that each row's JSON is parsed once, `values` answers them from a row in CONVERSATION_FIELDS order
 * (null where absent).
 */
export interface ConversationProjection {
  select(query: InteractionQuery): SelectQueryBuilder<Database, 'interactions', Record<string, unknown>>
  values(row: Record<string, unknown>): unknown[]
}

/** SQLite: json_extract with several paths parses the document once and answers an array, as text. */
export const sqliteConversationProjection: ConversationProjection = {
  select: (query) => query.select(sql`json_extract(data, ${sql.join(CONVERSATION_FIELDS.map((field) => sql.lit(`$.${field}`)))})`.as('fields')),
  values: (row) => JSON.parse(row.fields as string) as unknown[],
}

/**
 * The correction of the row's latest feedback that carried one (JSON text), read in the page's own
 * statement: one query per page instead of two. Only rows with feedback can have one, so the
 * subquery (on the feedback_by_interaction index) runs for those alone.
 */
const LATEST_CORRECTION = sql<string | null>`CASE WHEN interactions.feedback_kind IS NOT NULL THEN (
  SELECT f.correction FROM feedback AS f
  WHERE f.tenant_id = interactions.tenant_id AND f.interaction_id = interactions.id AND f.correction IS NOT NULL
  ORDER BY f.created_at DESC, f.id DESC LIMIT 1) END`

/** The list's WHERE clause plus the export's own conditions on outcome and latest feedback. */
function exportScoped(query: InteractionQuery, tenantId: string, filter: ExportFilter, search: FullTextSearch) {
  let q = scoped(query, tenantId, filter, {}, search)
  if (filter.success_only) q = q.where('status', '=', 'success')
  if (filter.with_feedback_only) q = q.where('feedback_kind', 'is not', null)
  if (filter.min_quality !== undefined) q = q.where('feedback_quality_score', '>=', filter.min_quality)
  if (filter.exclude_flagged) {
    q = q.where((eb) => eb.or([eb('feedback_kind', 'is', null), eb('feedback_kind', 'not in', [...FLAGGED_FEEDBACK_KINDS])]))
  }
  return q
}

/**
 * Export reads, shared by both dialects: keyset pages over the (tenant, ts, id) index. The
 * conversation view has the database pick the few JSON fields training formats use (the dialect's
 * ConversationProjection), so the rest of each row is never sent or parsed in JavaScript.
 */
export class KyselyExportStore implements ExportStore {
  constructor(
    private readonly db: Db,
    private readonly search: FullTextSearch,
    private readonly projection: ConversationProjection,
    /** Large fields are stored compressed beside the row's JSON; reads put them back. */
    private readonly codec: PayloadCodec,
  ) {}

  async page(tenantId: string, filter: ExportFilter, view: ExportView, after: Position | undefined, limit: number): Promise<ExportPage> {
    let query = exportScoped(this.db.selectFrom('interactions'), tenantId, filter, this.search)
      .select(LATEST_CORRECTION.as('latest_correction'))
      .orderBy('ts', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
    if (after) query = query.where((eb) => eb(eb.refTuple('ts', 'id'), '<', eb.tuple(after.ts, after.id)))
    if (view === 'full') {
      const rows = await query.select([...STORED, 'ts', 'id']).execute()
      return { interactions: rows.map((row) => fromStoredRow(row, this.codec)), corrections: correctionsOf(rows), last: positionOf(rows.at(-1)) }
    }
    const rows = (await this.projection.select(query.select(['ts', 'id', 'status', 'feedback_kind', 'feedback_quality_score', 'payload'])).execute()) as ConversationRow[]
    return { interactions: rows.map((row) => this.conversationOf(tenantId, row)), corrections: correctionsOf(rows), last: positionOf(rows.at(-1)) }
  }

  private conversationOf(tenantId: string, row: ConversationRow): Interaction {
    const interaction: Record<string, unknown> = { id: row.id, tenant_id: tenantId, status: row.status }
    const values = this.projection.values(row)
    CONVERSATION_FIELDS.forEach((field, index) => {
      if (values[index] !== null) interaction[field] = values[index]
    })
    if (row.payload !== null) {
      const large = this.codec.decode({}, row.payload)
      for (const field of CONVERSATION_FIELDS) if (large[field] !== undefined) interaction[field] = large[field]
    }
    if (row.feedback_kind !== null) interaction.feedback_kind = row.feedback_kind
    if (row.feedback_quality_score !== null) interaction.feedback_quality_score = Number(row.feedback_quality_score)
    return interaction as unknown as Interaction
  }

  async count(tenantId: string, filter: ExportFilter): Promise<number> {
    const row = await exportScoped(this.db.selectFrom('interactions'), tenantId, filter, this.search)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  async hotIds(tenantId: string, interactionIds: string[]): Promise<Set<string>> {
    if (interactionIds.length === 0) return new Set()
    const rows = await this.db.selectFrom('interactions').select('id').where('tenant_id', '=', tenantId).where('id', 'in', interactionIds).execute()
    return new Set(rows.map((row) => row.id))
  }
}

type ConversationRow = Record<string, unknown> & { ts: number; id: string; latest_correction: string | null; status: string; feedback_kind: string | null; feedback_quality_score: number | null; payload: Buffer | null }

function correctionsOf(rows: { id: string; latest_correction: string | null }[]): Map<string, unknown> {
  const corrections = new Map<string, unknown>()
  for (const row of rows) if (row.latest_correction !== null) corrections.set(row.id, JSON.parse(row.latest_correction))
  return corrections
}

const positionOf = (row: { ts: number; id: string } | undefined): Position | undefined => row && { ts: Number(row.ts), id: row.id }
