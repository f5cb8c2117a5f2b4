import { InterlogError, type ErrorReporter } from '../errors.js'
import { mergeFields } from '../merge-fields.js'
import type { QueuedFeedback, QueuedInteraction } from '../queued-event.js'
import type { TrackDefaults } from '../types.js'
import { toWireFeedback, toWireInteraction } from './to-wire.js'
import type { OutgoingEvent, WireFeedback, WireInteraction } from './wire-types.js'

/**
 * Applied to every event before it leaves the process. Mutate the event or return a new one; return
 * null to drop it. It receives a private copy, so changes never reach the app's own objects.
 */
export type Redact = (event: OutgoingEvent) => OutgoingEvent | null | undefined | void

export interface SerializeContext {
  defaults: TrackDefaults | undefined
  redact: Redact | undefined
  report: ErrorReporter
}

/** The JSON of one event, or why it is not sent: `failed` counts in stats, `filtered` (redact said null) does not. */
export type Serialized = { json: string } | { skipped: 'failed' | 'filtered' }

export function serializeInteraction(context: SerializeContext, event: QueuedInteraction): Serialized {
  const { wire, problems } = toWireInteraction(event.id, event.recordedAt, mergeFields(context.defaults, event.input))
  if (problems.length > 0) {
    context.report(new InterlogError('invalid_input', `interaction ${event.id}: dropped ${problems.join('; ')}`, { eventIds: [event.id] }))
  }
  return finish(context, event.id, { kind: 'interaction', interaction: wire }, (redacted) =>
    redacted.kind === 'interaction' ? redacted.interaction : undefined,
  )
}

export function serializeFeedback(context: SerializeContext, event: QueuedFeedback): Serialized {
  const { wire, problems } = toWireFeedback(event.feedback)
  if (problems.length > 0) {
    context.report(new InterlogError('invalid_input', `feedback for ${event.id}: ${problems.join('; ')}`, { eventIds: [event.id] }))
  }
  if (!wire) return { skipped: 'failed' }
  return finish(context, event.id, { kind: 'feedback', interactionId: event.id, feedback: wire }, (redacted) =>
    redacted.kind === 'feedback' ? redacted.feedback : undefined,
  )
}

function finish(
  context: SerializeContext,
  id: string,
  event: OutgoingEvent,
  bodyOf: (event: OutgoingEvent) => WireInteraction | WireFeedback | undefined,
): Serialized {
  let outgoing = event
  if (context.redact) {
    // A JSON round trip gives redact its own copy (exactly what would be sent anyway).
    const copy = attempt(context, id, () => JSON.parse(JSON.stringify(event)) as OutgoingEvent)
    if (!copy) return { skipped: 'failed' }
    try {
      const redacted = context.redact(copy)
      if (redacted === null) return { skipped: 'filtered' }
      outgoing = redacted ?? copy
    } catch (error) {
      // Fail closed: an event whose redaction failed must not leave the process unredacted.
      context.report(new InterlogError('redact_failed', `redact threw for ${id}; event dropped`, { eventIds: [id], cause: error }))
      return { skipped: 'failed' }
    }
  }
  const json = attempt(context, id, () => {
    const body = bodyOf(outgoing)
    if (!body) throw new Error('redact returned an event of another kind')
    return JSON.stringify(body)
  })
  return json === undefined ? { skipped: 'failed' } : { json }
}

function attempt<T>(context: SerializeContext, id: string, run: () => T): T | undefined {
  try {
    return run()
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    context.report(new InterlogError('serialization_failed', `event ${id} cannot be sent: ${message}`, { eventIds: [id], cause: error }))
    return undefined
  }
}
