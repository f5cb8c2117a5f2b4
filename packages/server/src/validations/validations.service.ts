import { ValidationInput, type Interaction, type Validation } from '@interlog/schema'
import type { AuthContext } from '../auth/auth-context.js'
import { visibilityOf, visibleInteraction } from '../auth/visibility.js'
import { NotFoundError } from '../errors/errors.js'
import { parseOrThrow } from '../errors/zod-issues.js'
import { redactFields } from '../privacy/redact-fields.js'
import type { TenantPrivacy } from '../privacy/tenant-privacy.js'
import type { Clock, IdGenerator } from '../runtime/clock.js'
import type { InteractionStore, ValidationStore } from '../store/store.js'
import { hasChanges, jsonDiff } from './json-diff.js'

/** A JSON object or array sent as text (JSON mode answers in assistant_response) is compared as JSON. */
function parsedIfJson(text: string): unknown {
  const trimmed = text.trimStart()
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return text
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** What an edit is compared to when the client does not send the original: the interaction's output. */
export function outputOf(interaction: Interaction): unknown {
  if (interaction.structured_output !== undefined) return interaction.structured_output
  return interaction.assistant_response === undefined ? null : parsedIfJson(interaction.assistant_response)
}

/** Validation results of an interaction's output: kept as history, the latest shown on the interaction. */
export class ValidationsService {
  constructor(
    private readonly validations: ValidationStore,
    private readonly interactions: InteractionStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly privacy: Pick<TenantPrivacy, 'admit'>,
  ) {}

  /**
   * Errors, warnings and the original and edited values are redacted like ingested data (so the diff
   * compares redacted values, as the interaction's own output is), and refused while collection is off.
   */
  async add(auth: AuthContext, interactionId: string, body: unknown): Promise<Validation> {
    const input = parseOrThrow(ValidationInput, body, 'validation')
    redactFields(await this.privacy.admit(auth.tenantId), input, ['errors', 'warnings', 'original', 'edited'])
    const interaction = await visibleInteraction(this.interactions, auth, interactionId)
    const diff = input.edited === undefined ? null : jsonDiff(input.original !== undefined ? input.original : outputOf(interaction), input.edited)
    const validation: Validation = {
      id: this.ids.next(),
      interaction_id: interactionId,
      passed: input.passed,
      score: input.score ?? null,
      errors: input.errors ?? [],
      warnings: input.warnings ?? [],
      duration_ms: input.duration_ms ?? null,
      original: input.original ?? null,
      edited: input.edited ?? null,
      diff,
      user_edited: diff !== null && hasChanges(diff),
      created_at: this.clock.now().toISOString(),
    }
    // The interaction may be deleted in between; the store checks again inside its transaction.
    const stored = await this.validations.add(auth.tenantId, validation, visibilityOf(auth))
    if (!stored) throw new NotFoundError(`Interaction '${interactionId}'`)
    return stored
  }

  async history(auth: AuthContext, interactionId: string): Promise<Validation[]> {
    await visibleInteraction(this.interactions, auth, interactionId)
    return this.validations.history(auth.tenantId, interactionId)
  }
}
