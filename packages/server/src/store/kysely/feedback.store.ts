import type { Feedback } from '@interlog/schema'
import type { Kysely } from 'kysely'
import { feedbackDeltas, type TenantDeltas } from '../../analytics/rollup-deltas.js'
import type { FeedbackStore, Visibility } from '../store.js'
import type { Database } from './database.js'
import { metricSourceOf, METRIC_COLUMNS } from './interaction.rows.js'
import { fromJsonText, toJsonText } from './json-text.js'
import { attachedHistory, visibleInteraction } from './visible-interaction.js'

type Db = Kysely<Database>
type FeedbackRow = Database['feedback']

export const toFeedback = (row: FeedbackRow): Feedback => ({
  id: row.id,
  interaction_id: row.interaction_id,
  kind: row.kind as Feedback['kind'],
  sentiment: row.sentiment,
  quality_score: row.quality_score === null ? null : Number(row.quality_score),
  comment: row.comment,
  correction: fromJsonText(row.correction),
  categories: JSON.parse(row.categories) as string[],
  edit_distance: row.edit_distance,
  created_at: row.created_at,
})

/** Feedback history and the latest feedback on the interaction, kept consistent with metric rollups. */
export class KyselyFeedbackStore implements FeedbackStore {
  constructor(
    private readonly db: Db,
    /** The dialect's rollup upsert, run inside the given transaction. */
    private readonly applyRollupDeltas: (trx: Db, groups: TenantDeltas[]) => Promise<void>,
    /** PostgreSQL locks the row so concurrent feedback on one interaction applies in turn; SQLite has one writer anyway. */
    private readonly lockRows: boolean,
  ) {}

  add(tenantId: string, feedback: Feedback, visibility: Visibility): Promise<Feedback | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const interaction = await visibleInteraction(trx, tenantId, feedback.interaction_id, visibility, this.lockRows).select(METRIC_COLUMNS).executeTakeFirst()
      if (!interaction) return undefined
      await trx
        .insertInto('feedback')
        .values({
          tenant_id: tenantId,
          ...feedback,
          correction: toJsonText(feedback.correction),
          categories: JSON.stringify(feedback.categories),
        })
        .execute()
      const before = { kind: interaction.feedback_kind, quality: interaction.feedback_quality_score }
      const after = { kind: feedback.kind, quality: feedback.quality_score ?? before.quality }
      await trx
        .updateTable('interactions')
        .set({ feedback_kind: after.kind, feedback_quality_score: after.quality })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', feedback.interaction_id)
        .execute()
      const { ts, dims } = metricSourceOf(interaction)
      await this.applyRollupDeltas(trx, [{ tenantId, deltas: feedbackDeltas(ts, dims, before, after) }])
      return feedback
    })
  }

  async history(tenantId: string, interactionId: string): Promise<Feedback[]> {
    const rows = await attachedHistory(this.db, 'feedback', tenantId, [interactionId]).execute()
    return rows.map(toFeedback)
  }
}
