import type { Interaction } from '@interlog/schema'
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely'
import type { Database } from '../store/kysely/database.js'
import { SEARCHED_FIELDS } from '../store/migrations/003-search.js'
import { toFts5, toTsQuery, type SearchTerm } from './search-query.js'

type Eb = ExpressionBuilder<Database, 'interactions'>

/** How a dialect matches and ranks interactions for a parsed query (a capability each adapter supplies). */
export interface FullTextSearch {
  matches(eb: Eb, terms: SearchTerm[]): Expression<SqlBool>
  /** Higher is more relevant. */
  rank(eb: Eb, terms: SearchTerm[]): Expression<number>
}

/** SQLite: the FTS5 table shares the interaction's rowid. bm25 ranks lower-is-better, so it is negated. */
export const fts5Search: FullTextSearch = {
  matches: (_eb, terms) => sql<SqlBool>`interactions.rowid IN (SELECT rowid FROM interactions_fts WHERE interactions_fts MATCH ${toFts5(terms)})`,
  rank: (_eb, terms) =>
    sql<number>`(SELECT -bm25(interactions_fts) FROM interactions_fts WHERE interactions_fts MATCH ${toFts5(terms)} AND interactions_fts.rowid = interactions.rowid)`,
}

/** PostgreSQL: the generated search_vector column, GIN-indexed. */
export const tsvectorSearch: FullTextSearch = {
  matches: (_eb, terms) => sql<SqlBool>`interactions.search_vector @@ to_tsquery('english', ${toTsQuery(terms)})`,
  rank: (_eb, terms) => sql<number>`ts_rank(interactions.search_vector, to_tsquery('english', ${toTsQuery(terms)}))`,
}

/**
 * The text PostgreSQL indexes for an interaction: its searched fields, uncompressed, joined by spaces
 * (what the generated column of 003-search computed from the row's JSON).
 */
export const searchDocument = (interaction: Interaction): string => SEARCHED_FIELDS.map((field) => interaction[field] ?? '').join(' ')
