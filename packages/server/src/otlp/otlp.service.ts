import type { InteractionInput } from '@interlog/schema'
import type { AuthContext } from '../auth/auth-context.js'
import type { InteractionsService } from '../interactions/interactions.service.js'
import type { Clock } from '../runtime/clock.js'
import type { InteractionStore, OtlpToolStore, ToolSpanRecord } from '../store/store.js'
import { invalidIds, mapModelCall, spanRole } from './genai.mapper.js'
import type { ExportTraceRequest, OtlpSpan } from './otlp.model.js'
import { mapToolSpan, requestKey, targetOf, withToolSpans, type ToolSpan } from './tool-spans.js'

export interface ExportOutcome {
  /** Spans that describe a model call or a tool call but could not be stored (OTLP partial success). */
  rejectedSpans: number
  errorMessage?: string
  modelCalls: number
  toolSpans: number
  /** Spans that are not GenAI calls (HTTP, database, agent or workflow spans): not interlog's to keep. */
  ignoredSpans: number
}

interface ModelCall {
  input: InteractionInput & { id: string }
  traceId: string
  requestedToolCallIds: string[]
}

/** How many rejection reasons the answer spells out; the count covers them all. */
const REASONS_SHOWN = 5

const describe = (span: OtlpSpan) => `span ${span.spanId || '(no id)'} '${span.name}'`

/**
 * OTLP trace export → interactions. Model-call spans go through the ordinary ingest path (validation,
 * normalisation, group commit), so an answer means they are committed. Tool spans join their model
 * call before the write when both are in the request, and through the join tables otherwise.
 */
export class OtlpService {
  constructor(
    private readonly interactions: Pick<InteractionsService, 'ingestMany'>,
    private readonly store: { interactions: Pick<InteractionStore, 'update'>; otlpTools: OtlpToolStore },
    private readonly clock: Clock,
  ) {}

  async exportTraces(auth: AuthContext, request: ExportTraceRequest): Promise<ExportOutcome> {
    const rejections: string[] = []
    const modelCalls: ModelCall[] = []
    const tools: ToolSpan[] = []
    let ignoredSpans = 0
    for (const received of request.spans) {
      const role = spanRole(received.span.attributes)
      if (role === 'other') {
        ignoredSpans += 1
        continue
      }
      const invalid = invalidIds(received.span)
      if (invalid) rejections.push(`${describe(received.span)}: ${invalid}`)
      else if (role === 'tool_call') tools.push(mapToolSpan(received))
      else {
        const input = mapModelCall(received) as ModelCall['input']
        const requestedToolCallIds = (input.tool_calls ?? []).flatMap((call) => call.id ?? [])
        modelCalls.push({ input, traceId: received.span.traceId, requestedToolCallIds })
      }
    }

    const joinedBefore = this.joinWithinRequest(modelCalls, tools)
    const outcomes = await this.interactions.ingestMany(auth, modelCalls.map((call) => call.input))
    const stored: ModelCall[] = []
    const created = new Set<string>()
    outcomes.forEach((outcome, index) => {
      const call = modelCalls[index]!
      if ('error' in outcome) rejections.push(`span ${call.input.id.slice(-16)}: ${outcome.error.message}`)
      else {
        stored.push(call)
        if (outcome.status === 201) created.add(call.input.id)
      }
    })
    await this.joinAcrossRequests(auth, stored, tools, (tool) => created.has(joinedBefore.get(tool) ?? ''))

    return {
      rejectedSpans: rejections.length,
      errorMessage:
        rejections.length === 0
          ? undefined
          : `${rejections.length} span(s) rejected: ${rejections.slice(0, REASONS_SHOWN).join('; ')}${rejections.length > REASONS_SHOWN ? '; ...' : ''}`,
      modelCalls: modelCalls.length,
      toolSpans: tools.length,
      ignoredSpans,
    }
  }

  /** Applies tool spans to model calls of the same request before they are written; answers tool → interaction id. */
  private joinWithinRequest(modelCalls: ModelCall[], tools: ToolSpan[]): Map<ToolSpan, string> {
    const joined = new Map<ToolSpan, string>()
    if (tools.length === 0) return joined
    const byId = new Map(modelCalls.map((call) => [call.input.id, call]))
    const requestedBy = new Map(
      modelCalls.flatMap((call) => call.requestedToolCallIds.map((id) => [requestKey(call.traceId, id), call.input.id] as const)),
    )
    for (const tool of tools) {
      const target = byId.get(targetOf(tool, requestedBy) ?? '')
      if (!target) continue
      target.input = withToolSpans(target.input, [tool]) ?? target.input
      joined.set(tool, target.input.id)
    }
    return joined
  }

  /**
   * Tool spans and model calls that arrive in different requests. Both sides are saved first and then
   * look for each other, so whichever is committed second finds the first (across replicas too);
   * applying a tool span twice changes nothing.
   */
  private async joinAcrossRequests(
    auth: AuthContext,
    stored: ModelCall[],
    tools: ToolSpan[],
    alreadyWritten: (tool: ToolSpan) => boolean,
  ): Promise<void> {
    const tenantId = auth.tenantId
    await this.store.otlpTools.saveRequestedCalls(
      tenantId,
      stored.flatMap((call) => call.requestedToolCallIds.map((id) => ({ trace_id: call.traceId, tool_call_id: id, interaction_id: call.input.id }))),
    )
    const receivedTs = this.clock.now().getTime()
    await this.store.otlpTools.saveToolSpans(tenantId, tools.map((tool): ToolSpanRecord => ({ ...tool, received_ts: receivedTs })))

    const traces = [...new Set([...stored.map((call) => call.traceId), ...tools.map((tool) => tool.trace_id)])]
    if (traces.length === 0) return
    const savedTools = await this.store.otlpTools.toolSpansOfTraces(tenantId, traces)
    if (savedTools.length === 0) return
    const requested = await this.store.otlpTools.requestedCallsOfTraces(tenantId, traces)
    const requestedBy = new Map(requested.map((call) => [requestKey(call.trace_id, call.tool_call_id), call.interaction_id]))

    const storedIds = new Set(stored.map((call) => call.input.id))
    const toolsHere = new Map(tools.map((tool) => [`${tool.trace_id}/${tool.span_id}`, tool]))
    const toolsByTarget = new Map<string, ToolSpan[]>()
    for (const saved of savedTools) {
      const target = targetOf(saved, requestedBy)
      const here = toolsHere.get(`${saved.trace_id}/${saved.span_id}`)
      // Only joins this request can have made possible; a tool span already in the row written above needs nothing.
      if (!target || !(storedIds.has(target) || here) || (here && alreadyWritten(here))) continue
      toolsByTarget.set(target, [...(toolsByTarget.get(target) ?? []), saved])
    }
    for (const [target, targetTools] of toolsByTarget) {
      await this.store.interactions.update(tenantId, target, (current) =>
        // A user-bound key only ever changes its own user's interactions.
        auth.userId !== undefined && current.user_id !== auth.userId ? undefined : withToolSpans(current, targetTools),
      )
    }
  }
}
