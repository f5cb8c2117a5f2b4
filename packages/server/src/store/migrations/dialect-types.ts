/** Column types that differ between the dialects; migrations take them instead of branching on the dialect. */
export interface ColumnTypes {
  json: 'text' | 'jsonb'
  bigint: 'integer' | 'bigint'
  double: 'real' | 'double precision'
  binary: 'blob' | 'bytea'
  /** Whether migrations may create SQL functions (PostgreSQL) or must leave such work to the adapter (SQLite). */
  sqlFunctions: boolean
  /** SQLite can cluster a table on its primary key, so a key range is one sequential read. */
  withoutRowid: boolean
  /** How full-text search is stored. */
  fullText: 'fts5' | 'tsvector'
}

export const SQLITE_TYPES: ColumnTypes = { json: 'text', bigint: 'integer', double: 'real', binary: 'blob', sqlFunctions: false, withoutRowid: true, fullText: 'fts5' }
export const POSTGRES_TYPES: ColumnTypes = { json: 'jsonb', bigint: 'bigint', double: 'double precision', binary: 'bytea', sqlFunctions: true, withoutRowid: false, fullText: 'tsvector' }
