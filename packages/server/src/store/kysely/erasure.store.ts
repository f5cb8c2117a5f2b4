import { sql, type Kysely } from 'kysely'
import { rollupDeltas, type TenantDeltas } from '../../analytics/rollup-deltas.js'
import type { ErasureCounts } from '../store.js'
import { chunksTakingTurns } from './chunks.js'
import type { Database } from './database.js'
import { deleteExamplesOfUser } from './example.store.js'
import type { IdLists } from './id-lists.js'
import { METRIC_COLUMNS, metricSourceOf } from './interaction.rows.js'
import { deleteValidationsOfUser } from './validation.store.js'

type Db = Kysely<Database>

/** Whose data an erasure removes: interactions of one tenant, and for a user erasure the user. */
export interface ErasureScope {
  tenantId: string
  interactionIds: string[]
  /** Set when a whole end user is erased, for data held by user rather than by interaction. */
  userId?: string
}

/**
 * Data that belongs to interactions and goes with them: deleting one interaction and erasing a user
 * both run this whole list inside their transaction. A table that holds interaction (or user) data
 * joins by adding an entry; its count then appears in the erasure's answer under `kind`.
 */
export interface AttachedData {
  kind: string
  /** Deletes the rows of the scope inside the open transaction (ids matched the dialect's way); answers how many went. */
  erase(trx: Db, scope: ErasureScope, lists: IdLists): Promise<number>
}

async function inChunks(ids: string[], lists: IdLists, run: (chunk: string[]) => Promise<{ numDeletedRows: bigint }>): Promise<number> {
  let deleted = 0
  for await (const chunk of chunksTakingTurns(ids, lists.perStatement)) deleted += Number((await run(chunk)).numDeletedRows)
  return deleted
}

/** An OTLP interaction's id is `otel-<trace id>-<span id>` (genai.mapper.ts interactionIdOf): the same in SQL. */
const otelId = (spanColumn: 'span_id' | 'parent_span_id') => sql<string>`'otel-' || trace_id || '-' || ${sql.ref(spanColumn)}`

export const ATTACHED_DATA: AttachedData[] = [
  {
    kind: 'feedback',
    erase: (trx, { tenantId, interactionIds }, lists) =>
      inChunks(interactionIds, lists, (ids) => trx.deleteFrom('feedback').where('tenant_id', '=', tenantId).where(lists.oneOf('interaction_id', ids)).executeTakeFirst()),
  },
  {
    kind: 'tags',
    erase: (trx, { tenantId, interactionIds }, lists) =>
      inChunks(interactionIds, lists, (ids) =>
        trx.deleteFrom('interaction_tags').where('tenant_id', '=', tenantId).where(lists.oneOf('interaction_id', ids)).executeTakeFirst(),
      ),
  },
  {
    // Tool spans joined to the interactions: requested by them, or children of their spans. Before
    // the requested tool calls, which this reads.
    kind: 'otlp_tool_spans',
    erase: (trx, { tenantId, interactionIds }, lists) =>
      inChunks(interactionIds, lists, (ids) =>
        trx
          .deleteFrom('otlp_tool_spans')
          .where('tenant_id', '=', tenantId)
          .where((eb) =>
            eb.or([
              lists.oneOf(otelId('parent_span_id'), ids),
              eb.exists(
                eb
                  .selectFrom('otlp_requested_tool_calls as r')
                  .select('r.tool_call_id')
                  .whereRef('r.tenant_id', '=', 'otlp_tool_spans.tenant_id')
                  .whereRef('r.trace_id', '=', 'otlp_tool_spans.trace_id')
                  .whereRef('r.tool_call_id', '=', 'otlp_tool_spans.tool_call_id')
                  .where(lists.oneOf('r.interaction_id', ids)),
              ),
            ]),
          )
          .executeTakeFirst(),
      ),
  },
  {
    kind: 'otlp_log_events',
    erase: (trx, { tenantId, interactionIds }, lists) =>
      inChunks(interactionIds, lists, (ids) =>
        trx.deleteFrom('otlp_log_events').where('tenant_id', '=', tenantId).where(lists.oneOf(otelId('span_id'), ids)).executeTakeFirst(),
      ),
  },
  {
    // A flow session holds the conversation and what was extracted from it (name, phone, email...).
    kind: 'flow_sessions',
    erase: async (trx, { tenantId, userId }) =>
      userId === undefined
        ? 0
        : Number((await trx.deleteFrom('flow_sessions').where('tenant_id', '=', tenantId).where('user_id', '=', userId).executeTakeFirst()).numDeletedRows),
  },
  {
    kind: 'validations',
    erase: async (trx, { tenantId, interactionIds, userId }, lists) =>
      (await inChunks(interactionIds, lists, (ids) => trx.deleteFrom('validations').where('tenant_id', '=', tenantId).where(lists.oneOf('interaction_id', ids)).executeTakeFirst())) +
      (userId === undefined ? 0 : await deleteValidationsOfUser(trx, tenantId, userId)),
  },
  {
    // Curated examples are copies: deleting their source interaction detaches them (interaction_id
    // becomes null); erasing a user removes every example of the user, copied or sent by the user's key.
    kind: 'examples',
    erase: async (trx, { tenantId, interactionIds, userId }, lists) => {
      const erased = userId === undefined ? 0 : await deleteExamplesOfUser(trx, tenantId, userId)
      await inChunks(interactionIds, lists, async (ids) => {
        await trx.updateTable('examples').set({ interaction_id: null }).where('tenant_id', '=', tenantId).where(lists.oneOf('interaction_id', ids)).execute()
        return { numDeletedRows: 0n }
      })
      return erased
    },
  },
  {
    kind: 'otlp_requested_tool_calls',
    erase: (trx, { tenantId, interactionIds }, lists) =>
      inChunks(interactionIds, lists, (ids) =>
        trx.deleteFrom('otlp_requested_tool_calls').where('tenant_id', '=', tenantId).where(lists.oneOf('interaction_id', ids)).executeTakeFirst(),
      ),
  },
]

/** Runs every attached-data eraser in the open transaction; answers the count per kind. */
export async function eraseAttachedData(trx: Db, scope: ErasureScope, lists: IdLists): Promise<ErasureCounts> {
  const counts: ErasureCounts = {}
  for (const attached of ATTACHED_DATA) counts[attached.kind] = await attached.erase(trx, scope, lists)
  return counts
}

/** What the dialect adds to a user erasure: its own search index and rollup upsert, and how it matches ids. */
export interface SearchRemoval {
  readonly idLists: IdLists
  removeUserFromSearch(trx: Db, tenantId: string, userId: string): Promise<void>
  applyRollupDeltas(trx: Db, groups: TenantDeltas[]): Promise<void>
}

/**
 * Erases one end user of a tenant in one transaction: the search entries, the interactions (their
 * metric columns come back from the DELETE, so the rollups lose exactly what was deleted, even while
 * other replicas write), and every attached row. Nothing is left that a read, a search or a metric finds.
 */
export function eraseUserData(db: Db, tenantId: string, userId: string, dialect: SearchRemoval): Promise<ErasureCounts> {
  return db.transaction().execute(async (trx) => {
    await dialect.removeUserFromSearch(trx, tenantId, userId)
    const deleted = await trx
      .deleteFrom('interactions')
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .returning(['id', ...METRIC_COLUMNS])
      .execute()
    const attached = await eraseAttachedData(trx, { tenantId, userId, interactionIds: deleted.map((row) => row.id) }, dialect.idLists)
    await dialect.applyRollupDeltas(trx, [{ tenantId, deltas: rollupDeltas(deleted.map((row) => [metricSourceOf(row), -1])) }])
    return { interactions: deleted.length, ...attached }
  })
}
