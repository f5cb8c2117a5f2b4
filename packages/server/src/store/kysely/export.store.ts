import { FLAGGED_FEEDBACK_KINDS } from '@interlog/schema'
import type { Kysely } from 'kysely'
import type { FullTextSearch } from '../../search/full-text-search.js'
import type { ExportFilter, ExportPage, ExportStore } from '../store.js'
import type { Database } from './database.js'
import { fromStoredRow } from './interaction.rows.js'
import { scoped, STORED, type InteractionQuery } from './kysely.store.js'

type Db = Kysely<Database>

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

/** Export reads, identical in both dialects: keyset pages over the (tenant, ts, id) index. */
export class KyselyExportStore implements ExportStore {
  constructor(
    private readonly db: Db,
    private readonly search: FullTextSearch,
  ) {}

  async page(tenantId: string, filter: ExportFilter, after: { ts: number; id: string } | undefined, limit: number): Promise<ExportPage> {
    let query = exportScoped(this.db.selectFrom('interactions'), tenantId, filter, this.search)
      .select([...STORED, 'ts', 'id'])
      .orderBy('ts', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
    if (after) query = query.where((eb) => eb(eb.refTuple('ts', 'id'), '<', eb.tuple(after.ts, after.id)))
    const rows = await query.execute()
    const last = rows.at(-1)
    return { interactions: rows.map(fromStoredRow), last: last && { ts: Number(last.ts), id: last.id } }
  }

  async count(tenantId: string, filter: ExportFilter): Promise<number> {
    const row = await exportScoped(this.db.selectFrom('interactions'), tenantId, filter, this.search)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  async latestCorrections(tenantId: string, interactionIds: string[]): Promise<Map<string, unknown>> {
    const corrections = new Map<string, unknown>()
    if (interactionIds.length === 0) return corrections
    const rows = await this.db
      .selectFrom('feedback')
      .select(['interaction_id', 'correction'])
      .where('tenant_id', '=', tenantId)
      .where('interaction_id', 'in', interactionIds)
      .where('correction', 'is not', null)
      .orderBy('created_at', 'asc')
      .orderBy('id', 'asc')
      .execute()
    // Oldest first: a later correction of the same interaction replaces an earlier one.
    for (const row of rows) corrections.set(row.interaction_id, JSON.parse(row.correction!))
    return corrections
  }
}
