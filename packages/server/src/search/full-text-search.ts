import type { Interaction } from '@interlog/schema'
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely'
import type { Database } from '../store/kysely/database.js'
import { SEARCHED_FIELDS } from '../store/migrations/003-search.js'
import { toFts5, toTsQuery, type SearchTerm } from './search-query.js'

type Eb = ExpressionBuilder<Database, 'interactions'>

/** Where a search runs: the tenant, and whether the caller knows the matches are many. */
export interface SearchScope {
  tenantId: string
  /**
   * Many matches (at least DENSE_MATCHES): newest-first pages are then found faster by walking the
   * time index and testing each row than by sorting every match.
   */
  dense?: boolean
}

/** From this many matches on, walking the time index beats sorting the matches (see docs/benchmarks.md). */
export const DENSE_MATCHES = 2_000

/** How a dialect matches, ranks and counts interactions for a parsed query (a capability each adapter supplies). */
export interface FullTextSearch {
  matches(eb: Eb, terms: SearchTerm[], scope: SearchScope): Expression<SqlBool>
  /** Higher is more relevant. */
  rank(eb: Eb, terms: SearchTerm[], scope: SearchScope): Expression<number>
  /** Counts a tenant's matches from the text index alone, where the index holds the tenant. */
  countMatches?(db: Kysely<Database>, terms: SearchTerm[], tenantId: string): Promise<number>
}

/**
 * The token that scopes a row's FTS5 entry to its tenant. Only letters and digits survive the
 * tokenizer, and the trailing digit keeps the porter stemmer from shortening the token.
 */
export const tenantSearchToken = (tenantId: string) => `t${tenantId.replace(/[^0-9A-Za-z]/g, '')}0`

const TEXT_COLUMNS = `{${SEARCHED_FIELDS.join(' ')}}`

/** The user's terms must match the text columns; the tenant token must match the tenant column. */
const tenantFts5 = (terms: SearchTerm[], tenantId: string) => `tenant : "${tenantSearchToken(tenantId)}" AND ${TEXT_COLUMNS} : (${toFts5(terms)})`

/**
 * SQLite: the FTS5 table shares the interaction's rowid and holds the tenant token, so a tenant's
 * matches are counted without touching the rows. bm25 ranks lower-is-better, so it is negated; the
 * tenant column weighs nothing. For dense matches `+rowid` stops SQLite from looking up every match
 * by rowid, so it walks the time index in order instead.
 */
export const fts5Search: FullTextSearch = {
  matches: (_eb, terms, { tenantId, dense }) => {
    const matched = sql`(SELECT rowid FROM interactions_fts WHERE interactions_fts MATCH ${tenantFts5(terms, tenantId)})`
    return dense ? sql<SqlBool>`+interactions.rowid IN ${matched}` : sql<SqlBool>`interactions.rowid IN ${matched}`
  },
  rank: (_eb, terms, { tenantId }) =>
    sql<number>`(SELECT -bm25(interactions_fts, ${sql.raw(SEARCHED_FIELDS.map(() => '1').join(', '))}, 0) FROM interactions_fts
      WHERE interactions_fts MATCH ${tenantFts5(terms, tenantId)} AND interactions_fts.rowid = interactions.rowid)`,
  countMatches: async (db, terms, tenantId) => {
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM interactions_fts WHERE interactions_fts MATCH ${tenantFts5(terms, tenantId)}`.execute(db)
    return Number(rows[0]?.n ?? 0)
  },
}

/** PostgreSQL: the search_vector column (written from the uncompressed text), GIN-indexed. Its planner picks the page plan itself. */
export const tsvectorSearch: FullTextSearch = {
  matches: (_eb, terms) => sql<SqlBool>`interactions.search_vector @@ to_tsquery('english', ${toTsQuery(terms)})`,
  rank: (_eb, terms) => sql<number>`ts_rank(interactions.search_vector, to_tsquery('english', ${toTsQuery(terms)}))`,
}

/**
 * The text PostgreSQL indexes for an interaction: its searched fields, uncompressed, joined by spaces
 * (what the generated column of 003-search computed from the row's JSON).
 */
export const searchDocument = (interaction: Interaction): string => SEARCHED_FIELDS.map((field) => interaction[field] ?? '').join(' ')
