import { sql, type Kysely, type Migration } from 'kysely'
import { tenantSearchToken } from '../../search/full-text-search.js'
import { SEARCHED_FIELDS } from './003-search.js'
import type { ColumnTypes } from './dialect-types.js'

/**
 * SQLite: the FTS5 table gains a `tenant` column holding each row's tenant token, so a tenant's matches
 * are found and counted inside the text index instead of by looking up every matching row. The index
 * is rebuilt from the rows. PostgreSQL's search needs no change.
 */
export function searchTenantMigration(types: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (types.fullText !== 'fts5') return
      await sql.raw('DROP TABLE interactions_fts').execute(db)
      await sql
        .raw(
          `CREATE VIRTUAL TABLE interactions_fts USING fts5(${SEARCHED_FIELDS.join(', ')}, tenant,
           content='', contentless_delete=1, tokenize='porter unicode61')`,
        )
        .execute(db)
      const { rows: tenants } = await sql<{ tenant_id: string }>`SELECT DISTINCT tenant_id FROM interactions`.execute(db)
      const texts = SEARCHED_FIELDS.map((f) => sql.raw(`json_extract(data, '$.${f}')`))
      for (const { tenant_id } of tenants) {
        await sql`INSERT INTO interactions_fts (rowid, ${sql.raw(SEARCHED_FIELDS.join(', '))}, tenant)
          SELECT rowid, ${sql.join(texts)}, ${tenantSearchToken(tenant_id)} FROM interactions
          WHERE tenant_id = ${tenant_id} AND coalesce(${sql.join(texts, sql` , `)}) IS NOT NULL`.execute(db)
      }
    },
  }
}
