import type { Interaction } from '@interlog/schema'
import type { AuthContext } from '../auth/auth-context.js'
import type { Clock } from '../runtime/clock.js'
import type { InteractionStore, LogEventRecord, OtlpJoinStore, ToolSpanRecord } from '../store/store.js'
import { contentOfEvents, withEventContent } from './genai.events.js'
import { interactionIdOf } from './genai.mapper.js'
import { requestKey, targetOf, withToolSpans, type ToolSpan } from './tool-spans.js'

/** A model-call interaction that is stored, with the tool call ids it requested. */
export interface StoredModelCall {
  interactionId: string
  traceId: string
  requestedToolCallIds: string[]
}

type JoinStore = { interactions: Pick<InteractionStore, 'update'>; otlp: OtlpJoinStore }

/**
 * Joins what OTLP delivers apart: tool spans to the model call that requested them, GenAI log events
 * to their span's interaction. Each side is saved first and then looks for the other, so whichever is
 * committed second finds the first (across replicas too); applying something twice changes nothing.
 */
export class OtlpJoins {
  constructor(
    private readonly store: JoinStore,
    private readonly clock: Clock,
  ) {}

  /**
   * After model calls were written: remembers the tool calls they requested and the tool spans of the
   * request, then applies to the stored interactions the tool spans and log events that are theirs.
   * `alreadyApplied` names tool spans that are part of a row just written.
   */
  async afterModelCalls(auth: AuthContext, calls: StoredModelCall[], tools: ToolSpan[], alreadyApplied: (tool: ToolSpan) => boolean): Promise<void> {
    await this.saveRequested(auth, calls)
    const receivedTs = this.clock.now().getTime()
    await this.store.otlp.saveToolSpans(auth.tenantId, tools.map((tool): ToolSpanRecord => ({ ...tool, received_ts: receivedTs })))
    const traces = [...new Set([...calls.map((call) => call.traceId), ...tools.map((tool) => tool.trace_id)])]
    await this.joinToolSpans(auth, traces, new Set(calls.map((call) => call.interactionId)), tools, alreadyApplied)
    if (calls.length === 0) return
    const updated = await this.applyLogEvents(auth, calls.map((call) => call.traceId), new Set(calls.map((call) => call.interactionId)))
    await this.afterEventToolCalls(auth, updated)
  }

  /** After log events were received: saves them and applies them to their spans' interactions. */
  async afterLogEvents(auth: AuthContext, events: LogEventRecord[]): Promise<void> {
    await this.store.otlp.saveLogEvents(auth.tenantId, events)
    const targets = new Set(events.map((event) => interactionIdOf(event.trace_id, event.span_id)))
    const updated = await this.applyLogEvents(auth, events.map((event) => event.trace_id), targets)
    await this.afterEventToolCalls(auth, updated)
  }

  /** Instrumentations that put content in events put the requested tool call ids there too: remember them, join their tool spans. */
  private async afterEventToolCalls(auth: AuthContext, updated: Interaction[]): Promise<void> {
    const calls = updated.flatMap((interaction): StoredModelCall[] => {
      const ids = (interaction.tool_calls ?? []).flatMap((call) => call.id ?? [])
      const traceId = (interaction.metadata?.otel as { trace_id?: string } | undefined)?.trace_id
      return ids.length > 0 && traceId ? [{ interactionId: interaction.id, traceId, requestedToolCallIds: ids }] : []
    })
    if (calls.length === 0) return
    await this.saveRequested(auth, calls)
    await this.joinToolSpans(auth, calls.map((call) => call.traceId), new Set(calls.map((call) => call.interactionId)), [], () => false)
  }

  private saveRequested(auth: AuthContext, calls: StoredModelCall[]): Promise<void> {
    return this.store.otlp.saveRequestedCalls(
      auth.tenantId,
      calls.flatMap((call) => call.requestedToolCallIds.map((id) => ({ trace_id: call.traceId, tool_call_id: id, interaction_id: call.interactionId }))),
    )
  }

  private async joinToolSpans(
    auth: AuthContext,
    traces: string[],
    interactionsHere: Set<string>,
    tools: ToolSpan[],
    alreadyApplied: (tool: ToolSpan) => boolean,
  ): Promise<void> {
    if (traces.length === 0) return
    const savedTools = await this.store.otlp.toolSpansOfTraces(auth.tenantId, traces)
    if (savedTools.length === 0) return
    const requested = await this.store.otlp.requestedCallsOfTraces(auth.tenantId, traces)
    const requestedBy = new Map(requested.map((call) => [requestKey(call.trace_id, call.tool_call_id), call.interaction_id]))
    const toolsHere = new Map(tools.map((tool) => [`${tool.trace_id}/${tool.span_id}`, tool]))
    const toolsByTarget = new Map<string, ToolSpan[]>()
    for (const saved of savedTools) {
      const target = targetOf(saved, requestedBy)
      const here = toolsHere.get(`${saved.trace_id}/${saved.span_id}`)
      // Only joins this request can have made possible; a tool span already in a row just written needs nothing.
      if (!target || !(interactionsHere.has(target) || here) || (here && alreadyApplied(here))) continue
      toolsByTarget.set(target, [...(toolsByTarget.get(target) ?? []), saved])
    }
    for (const [target, targetTools] of toolsByTarget) {
      await this.update(auth, target, (current) => withToolSpans(current, targetTools))
    }
  }

  /** Applies the saved events of the traces to those of the target interactions; answers the interactions it changed. */
  private async applyLogEvents(auth: AuthContext, traces: string[], targets: Set<string>): Promise<Interaction[]> {
    const events = await this.store.otlp.logEventsOfTraces(auth.tenantId, traces)
    const eventsByTarget = new Map<string, LogEventRecord[]>()
    for (const event of events) {
      const target = interactionIdOf(event.trace_id, event.span_id)
      if (targets.has(target)) eventsByTarget.set(target, [...(eventsByTarget.get(target) ?? []), event])
    }
    const updated: Interaction[] = []
    for (const [target, targetEvents] of eventsByTarget) {
      const content = contentOfEvents(targetEvents.map((event) => ({ name: event.event_name, body: event.body, attributes: event.attributes })))
      const result = await this.update(auth, target, (current) => withEventContent(current, content))
      if (result) updated.push(result)
    }
    return updated
  }

  /** A user-bound key only ever changes its own user's interactions. */
  private update(auth: AuthContext, id: string, change: (current: Interaction) => Interaction | undefined) {
    return this.store.interactions.update(auth.tenantId, id, (current) =>
      auth.userId !== undefined && current.user_id !== auth.userId ? undefined : change(current),
    )
  }
}
