import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely'
import type { FullTextSearch } from '../../search/full-text-search.js'
import { parseSearchQuery } from '../../search/search-query.js'
import type { InteractionFilter, Visibility } from '../store.js'
import type { Database } from './database.js'

type InteractionQuery = SelectQueryBuilder<Database, 'interactions', object>

/**
 * The order a page is read in, when the caller reads a page rather than counting: filters on columns
 * many rows hold are then applied while walking that order's index (`column + 0` keeps SQLite from
 * choosing the filter's own index and sorting all its matches), which finds a page in a few thousand
 * rows whatever the table size. Sparse columns (feedback, handoff) keep their indexes for time orders,
 * which those indexes hold; quality scores (feedback only) keep theirs always.
 */
export type WalkOrder = 'time' | 'value'

const walked = (column: 'confidence' | 'feedback_kind' | 'handoff', walk: WalkOrder | undefined, also: boolean) => {
  const ref = sql.ref(`interactions.${column}`)
  if (walk === undefined || !also) return sql<unknown>`${ref}`
  return column === 'feedback_kind' ? sql<unknown>`(${ref} || '')` : sql<unknown>`(${ref} + 0)`
}

/** Applies tenant, end-user visibility and list filters: the WHERE clause every interaction read shares. */
export function scoped(
  query: InteractionQuery,
  tenantId: string,
  filter: InteractionFilter,
  visibility: Visibility,
  search: FullTextSearch,
  how: { dense?: boolean; walk?: WalkOrder } = {},
) {
  const { dense = false, walk } = how
  let q = query.where('interactions.tenant_id', '=', tenantId)
  if (filter.q !== undefined) {
    const terms = parseSearchQuery(filter.q)
    q = q.where((eb) => search.matches(eb, terms, { tenantId, dense }))
  }
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
  if (filter.incomplete_variables) q = q.where('all_variables_present', '=', 0)
  const byValue = walk === 'value'
  if (filter.feedback_kind !== undefined) {
    const kind = walked('feedback_kind', walk, byValue)
    q = filter.feedback_kind === 'any' ? q.where(kind, 'is not', null) : q.where(kind, '=', filter.feedback_kind)
  }
  if (filter.min_quality_score !== undefined) q = q.where('feedback_quality_score', '>=', filter.min_quality_score)
  if (filter.max_quality_score !== undefined) q = q.where('feedback_quality_score', '<=', filter.max_quality_score)
  if (filter.min_confidence !== undefined) q = q.where(walked('confidence', walk, true), '>=', filter.min_confidence)
  if (filter.max_confidence !== undefined) q = q.where(walked('confidence', walk, true), '<=', filter.max_confidence)
  if (filter.handoff !== undefined) q = q.where(walked('handoff', walk, byValue), '=', filter.handoff ? 1 : 0)
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
