import { FeedbackInput, type Feedback } from '@interlog/schema'
import type { AuthContext } from '../auth/auth-context.js'
import { visibilityOf, visibleInteraction } from '../auth/visibility.js'
import { NotFoundError } from '../errors/errors.js'
import { parseOrThrow } from '../errors/zod-issues.js'
import type { TenantPrivacy } from '../privacy/tenant-privacy.js'
import type { Clock, IdGenerator } from '../runtime/clock.js'
import type { FeedbackStore, InteractionStore } from '../store/store.js'
import { correctionDistance } from './edit-distance.js'

/** Feedback on an interaction: kept as history, the latest shown on the interaction and counted in metrics. */
export class FeedbackService {
  constructor(
    private readonly feedback: FeedbackStore,
    private readonly interactions: InteractionStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly privacy: Pick<TenantPrivacy, 'admit'>,
  ) {}

  /** The comment and correction are redacted like ingested text, and refused while collection is off. */
  async add(auth: AuthContext, interactionId: string, body: unknown): Promise<Feedback> {
    const input = parseOrThrow(FeedbackInput, body, 'feedback')
    const redactor = await this.privacy.admit(auth.tenantId)
    if (redactor && input.comment !== undefined) input.comment = redactor.text(input.comment)
    if (redactor && input.correction !== undefined) input.correction = redactor.value(input.correction)
    const interaction = await visibleInteraction(this.interactions, auth, interactionId)
    const feedback: Feedback = {
      id: this.ids.next(),
      interaction_id: interactionId,
      kind: input.kind,
      sentiment: input.sentiment ?? null,
      quality_score: input.quality_score ?? null,
      comment: input.comment ?? null,
      correction: input.correction ?? null,
      categories: input.categories ?? [],
      edit_distance: input.correction === undefined ? null : correctionDistance(interaction, input.correction),
      created_at: this.clock.now().toISOString(),
    }
    // The interaction may be deleted in between; the store checks again inside its transaction.
    const stored = await this.feedback.add(auth.tenantId, feedback, visibilityOf(auth))
    if (!stored) throw new NotFoundError(`Interaction '${interactionId}'`)
    return stored
  }

  async history(auth: AuthContext, interactionId: string): Promise<Feedback[]> {
    await visibleInteraction(this.interactions, auth, interactionId)
    return this.feedback.history(auth.tenantId, interactionId)
  }
}
