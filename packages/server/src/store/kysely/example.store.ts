import type { Example } from '@interlog/schema'
import type { Kysely, SelectQueryBuilder } from 'kysely'
import type { ExampleFilter, ExampleStore, Visibility } from '../store.js'
import type { Database } from './database.js'
import { fromJsonText, toJsonText } from './json-text.js'
import { visibleInteraction } from './visible-interaction.js'

type Db = Kysely<Database>
type ExampleRow = Database['examples']

/** Ids per UPDATE ... WHERE id IN (...): well under both databases' parameter limits. */
const IDS_PER_STATEMENT = 500

const toExample = (row: ExampleRow): Example => ({
  id: row.id,
  interaction_id: row.interaction_id,
  user_id: row.user_id,
  input: fromJsonText(row.input),
  output: fromJsonText(row.output),
  quality_score: row.quality_score === null ? null : Number(row.quality_score),
  type: row.type,
  category: row.category,
  tags: fromJsonText<string[]>(row.tags) ?? [],
  metadata: fromJsonText<Record<string, unknown>>(row.metadata),
  usage_count: Number(row.usage_count),
  last_used_at: row.last_used_at,
  created_at: row.created_at,
})

function filtered<O>(query: SelectQueryBuilder<Database, 'examples', O>, tenantId: string, filter: ExampleFilter) {
  let q = query.where('examples.tenant_id', '=', tenantId)
  for (const column of ['type', 'category', 'interaction_id', 'user_id'] as const) {
    const value = filter[column]
    if (value !== undefined) q = q.where(column, '=', value)
  }
  if (filter.min_quality !== undefined) q = q.where('quality_score', '>=', filter.min_quality)
  const tag = filter.tag
  if (tag !== undefined) {
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('example_tags')
          .select('example_tags.tag')
          .whereRef('example_tags.tenant_id', '=', 'examples.tenant_id')
          .whereRef('example_tags.example_id', '=', 'examples.id')
          .where('example_tags.tag', '=', tag),
      ),
    )
  }
  return q
}

const visible = (visibility: Visibility): ExampleFilter => (visibility.userId === undefined ? {} : { user_id: visibility.userId })

/** Curated examples and their tags: identical in both dialects. */
export class KyselyExampleStore implements ExampleStore {
  constructor(
    private readonly db: Db,
    /** PostgreSQL locks the source interaction, so a concurrent delete of it detaches the example rather than missing it. */
    private readonly lockRows: boolean,
  ) {}

  insert(tenantId: string, example: Example, visibility: Visibility): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      if (example.interaction_id !== null) {
        const source = await visibleInteraction(trx, tenantId, example.interaction_id, visibility, this.lockRows).select('id').executeTakeFirst()
        if (!source) return false
      }
      await trx
        .insertInto('examples')
        .values({
          tenant_id: tenantId,
          ...example,
          input: JSON.stringify(example.input),
          output: JSON.stringify(example.output),
          tags: JSON.stringify(example.tags),
          metadata: toJsonText(example.metadata),
        })
        .execute()
      const tags = [...new Set(example.tags)]
      if (tags.length > 0) await trx.insertInto('example_tags').values(tags.map((tag) => ({ tenant_id: tenantId, example_id: example.id, tag }))).execute()
      return true
    })
  }

  async get(tenantId: string, id: string, visibility: Visibility): Promise<Example | undefined> {
    const row = await filtered(this.db.selectFrom('examples').selectAll(), tenantId, visible(visibility)).where('id', '=', id).executeTakeFirst()
    return row && toExample(row)
  }

  async list(tenantId: string, filter: ExampleFilter, page: { limit: number; offset: number }): Promise<{ examples: Example[]; total: number }> {
    const [rows, total] = await Promise.all([
      filtered(this.db.selectFrom('examples').selectAll(), tenantId, filter)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(page.limit)
        .offset(page.offset)
        .execute(),
      this.count(tenantId, filter),
    ])
    return { examples: rows.map(toExample), total }
  }

  async count(tenantId: string, filter: ExampleFilter): Promise<number> {
    const row = await filtered(this.db.selectFrom('examples'), tenantId, filter)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  delete(tenantId: string, id: string, visibility: Visibility): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      let query = trx.deleteFrom('examples').where('tenant_id', '=', tenantId).where('id', '=', id)
      if (visibility.userId !== undefined) query = query.where('user_id', '=', visibility.userId)
      const result = await query.executeTakeFirst()
      if (result.numDeletedRows === 0n) return false
      await trx.deleteFrom('example_tags').where('tenant_id', '=', tenantId).where('example_id', '=', id).execute()
      return true
    })
  }

  incrementUsage(tenantId: string, ids: Iterable<string>, at: string): Promise<number> {
    const unique = [...new Set(ids)]
    if (unique.length === 0) return Promise.resolve(0)
    return this.db.transaction().execute(async (trx) => {
      let found = 0
      for (let start = 0; start < unique.length; start += IDS_PER_STATEMENT) {
        const result = await trx
          .updateTable('examples')
          .set((eb) => ({ usage_count: eb('usage_count', '+', 1), last_used_at: at }))
          .where('tenant_id', '=', tenantId)
          .where('id', 'in', unique.slice(start, start + IDS_PER_STATEMENT))
          .executeTakeFirst()
        found += Number(result.numUpdatedRows)
      }
      return found
    })
  }

  deleteForUser(tenantId: string, userId: string): Promise<number> {
    return this.db.transaction().execute((trx) => deleteExamplesOfUser(trx, tenantId, userId))
  }
}

/** Removes every example of one end user with its tags, inside the given transaction; answers how many. */
export async function deleteExamplesOfUser(trx: Db, tenantId: string, userId: string): Promise<number> {
  await trx
    .deleteFrom('example_tags')
    .where('tenant_id', '=', tenantId)
    .where('example_id', 'in', (eb) => eb.selectFrom('examples').select('id').where('tenant_id', '=', tenantId).where('user_id', '=', userId))
    .execute()
  const result = await trx.deleteFrom('examples').where('tenant_id', '=', tenantId).where('user_id', '=', userId).executeTakeFirst()
  return Number(result.numDeletedRows)
}
