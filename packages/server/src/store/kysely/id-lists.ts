import { sql, type Expression, type SqlBool } from 'kysely'
import { CHUNK } from './chunks.js'

/**
 * How a dialect matches a column against a list of ids in one statement. Archiving and erasing delete
 * tens of thousands of rows per transaction from every table that holds interaction data, so the
 * statement count and each statement's parse and plan are much of the transaction's cost.
 */
export interface IdLists {
  /** Ids per statement. */
  readonly perStatement: number
  /** `column` (a column name or an expression) is one of `ids`. */
  oneOf(column: string | Expression<string>, ids: readonly string[]): Expression<SqlBool>
}

/** A column, or an expression in parentheses (so that operators inside it bind before the comparison). */
export const operand = (column: string | Expression<string>) => (typeof column === 'string' ? sql.ref(column) : sql`(${column})`)

/**
 * One bound parameter per id, 500 to a statement: within every dialect's parameter limit, and short
 * enough for SQLite (which runs each statement on the event loop's thread) to let requests in between.
 */
export const parameterLists: IdLists = {
  perStatement: CHUNK,
  oneOf: (column, ids) => sql<SqlBool>`${operand(column)} IN (${sql.join(ids)})`,
}
