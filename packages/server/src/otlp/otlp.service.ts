import { createHash } from 'node:crypto'
import type { InteractionInput } from '@interlog/schema'
import type { AuthContext } from '../auth/auth-context.js'
import type { InteractionsService } from '../interactions/interactions.service.js'
import { redactToolCall } from '../privacy/redaction/redaction.targets.js'
import type { TenantPrivacy } from '../privacy/tenant-privacy.js'
import type { Clock } from '../runtime/clock.js'
import type { LogEventRecord } from '../store/store.js'
import { eventNameOf, isGenAiEvent } from './genai.events.js'
import { invalidIds, mapModelCall, spanRole } from './genai.mapper.js'
import type { ExportLogsRequest, ExportTraceRequest } from './otlp.model.js'
import type { OtlpJoins } from './otlp.joins.js'
import { mapToolSpan, requestKey, targetOf, withToolSpans, type ToolSpan } from './tool-spans.js'

export interface ExportOutcome {
  /** Items that interlog reads but could not store (OTLP partial success). */
  rejected: number
  errorMessage?: string
  /** What was read, and what was not interlog's to keep (HTTP, database, agent spans; non-GenAI logs). */
  counts: Record<string, number>
}

interface ModelCall {
  input: InteractionInput & { id: string }
  traceId: string
  spanId: string
  requestedToolCallIds: string[]
}

/** How many rejection reasons the answer spells out; the count covers them all. */
const REASONS_SHOWN = 5

function outcomeOf(rejections: string[], counts: Record<string, number>): ExportOutcome {
  const shown = rejections.slice(0, REASONS_SHOWN).join('; ') + (rejections.length > REASONS_SHOWN ? '; ...' : '')
  return { rejected: rejections.length, errorMessage: rejections.length > 0 ? `${rejections.length} rejected: ${shown}` : undefined, counts }
}

/**
 * OTLP export → interactions. Model-call spans go through the ordinary ingest path (validation,
 * normalisation, group commit), so an answer means they are committed. Tool spans join their model
 * call before the write when both are in the request; what arrives apart (tool spans, GenAI log
 * events) is joined by OtlpJoins.
 */
export class OtlpService {
  constructor(
    private readonly interactions: Pick<InteractionsService, 'ingestMany'>,
    private readonly joins: OtlpJoins,
    private readonly clock: Clock,
    private readonly privacy: Pick<TenantPrivacy, 'admit'>,
  ) {}

  /**
   * Model calls are redacted by the ingest path; tool spans are redacted here, before they are joined
   * or kept for a later join.
   */
  async exportTraces(auth: AuthContext, request: ExportTraceRequest): Promise<ExportOutcome> {
    const redactor = await this.privacy.admit(auth.tenantId)
    const rejections: string[] = []
    const modelCalls: ModelCall[] = []
    const tools: ToolSpan[] = []
    let ignored = 0
    for (const received of request.spans) {
      const { span } = received
      const role = spanRole(span.attributes)
      if (role === 'other') {
        ignored += 1
        continue
      }
      const invalid = invalidIds(span)
      if (invalid) rejections.push(`span ${span.spanId || '(no id)'} '${span.name}': ${invalid}`)
      else if (role === 'tool_call') {
        const tool = mapToolSpan(received)
        tools.push(redactor ? { ...tool, tool_call: redactToolCall(redactor, tool.tool_call) } : tool)
      }
      else {
        const input = mapModelCall(received) as ModelCall['input']
        const requestedToolCallIds = (input.tool_calls ?? []).flatMap((call) => call.id ?? [])
        modelCalls.push({ input, traceId: span.traceId, spanId: span.spanId, requestedToolCallIds })
      }
    }

    const joinedBefore = this.joinWithinRequest(modelCalls, tools)
    const outcomes = await this.interactions.ingestMany(auth, modelCalls.map((call) => call.input))
    const stored: ModelCall[] = []
    const created = new Set<string>()
    outcomes.forEach((outcome, index) => {
      const call = modelCalls[index]!
      if ('error' in outcome) rejections.push(`span ${call.spanId}: ${outcome.error.message}`)
      else {
        stored.push(call)
        if (outcome.status === 201) created.add(call.input.id)
      }
    })
    await this.joins.afterModelCalls(
      auth,
      stored.map((call) => ({ interactionId: call.input.id, traceId: call.traceId, requestedToolCallIds: call.requestedToolCallIds })),
      tools,
      (tool) => created.has(joinedBefore.get(tool) ?? ''),
    )
    return outcomeOf(rejections, { model_calls: modelCalls.length, tool_spans: tools.length, ignored_spans: ignored })
  }

  /**
   * GenAI events (log records) are redacted, kept and joined to their span's interaction; other log
   * records are not interlog's. The event key comes from the record as sent, so a resent record is
   * recognised whatever the redaction settings.
   */
  async exportLogs(auth: AuthContext, request: ExportLogsRequest): Promise<ExportOutcome> {
    const redactor = await this.privacy.admit(auth.tenantId)
    const rejections: string[] = []
    const events: LogEventRecord[] = []
    const receivedTs = this.clock.now().getTime()
    let ignored = 0
    request.records.forEach((record, seq) => {
      const name = eventNameOf(record.eventName, record.attributes)
      if (!isGenAiEvent(name)) {
        ignored += 1
        return
      }
      if (!/^[0-9a-f]{32}$/.test(record.traceId) || !/^[0-9a-f]{16}$/.test(record.spanId)) {
        rejections.push(`log record ${seq} '${name}': a GenAI event needs the trace and span ids of its span to join it`)
        return
      }
      const eventKey = createHash('sha256').update(JSON.stringify([name, record.timeMs, record.body, record.attributes])).digest('base64url').slice(0, 22)
      events.push({
        trace_id: record.traceId,
        span_id: record.spanId,
        event_key: eventKey,
        event_name: name,
        time_ms: record.timeMs,
        seq,
        body: redactor ? redactor.value(record.body) : record.body,
        attributes: redactor ? redactor.value(record.attributes) : record.attributes,
        received_ts: receivedTs,
      })
    })
    if (events.length > 0) await this.joins.afterLogEvents(auth, events)
    return outcomeOf(rejections, { genai_events: events.length, ignored_records: ignored })
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
}
