import type { ToolCall } from '@interlog/schema'
import type { ToolSpanRecord } from '../store/store.js'
import { interactionIdOf, validParentSpanId } from './genai.mapper.js'
import { AttributeReader } from './otlp.attributes.js'
import { STATUS_CODE_ERROR, type AttributeValue, type ReceivedSpan } from './otlp.model.js'

/**
 * `execute_tool` spans (and the Vercel AI SDK's `ai.toolCall` spans) become `tool_calls` of the model
 * call that requested them: the interaction in the same trace that asked for the same tool call id,
 * or else the interaction of the tool span's parent span.
 */

export type ToolSpan = Omit<ToolSpanRecord, 'received_ts'>

const parsed = (value: AttributeValue | undefined): AttributeValue | undefined => {
  if (typeof value !== 'string') return value
  try {
    return JSON.parse(value) as AttributeValue
  } catch {
    return value
  }
}

export function mapToolSpan({ span }: ReceivedSpan): ToolSpan {
  const attributes = new AttributeReader(span.attributes)
  const name = attributes.string('gen_ai.tool.name', 'ai.toolCall.name') ?? (span.name.replace(/^execute_tool\s+/, '') || 'tool')
  const toolCallId = attributes.string('gen_ai.tool.call.id', 'ai.toolCall.id')
  const call: ToolCall = { name: name.slice(0, 256), status: span.status.code === STATUS_CODE_ERROR ? 'failure' : 'success' }
  if (toolCallId) call.id = toolCallId.slice(0, 256)
  const args = parsed(attributes.all['gen_ai.tool.call.arguments'] ?? attributes.all['ai.toolCall.args'])
  if (args !== undefined) call.arguments = args
  const result = parsed(attributes.all['gen_ai.tool.call.result'] ?? attributes.all['ai.toolCall.result'])
  if (result !== undefined) call.result = result
  if (call.status === 'failure') {
    const exception = span.events.find((event) => event.name === 'exception')?.attributes['exception.message']
    call.error = span.status.message || (typeof exception === 'string' ? exception : 'The tool span ended with status ERROR')
  }
  if (span.endMs >= span.startMs && span.startMs > 0) call.latency_ms = Math.round((span.endMs - span.startMs) * 1000) / 1000
  return {
    trace_id: span.traceId,
    span_id: span.spanId,
    parent_span_id: validParentSpanId(span) ?? null,
    tool_call_id: toolCallId ?? null,
    tool_call: call,
  }
}

/** The interaction a tool span belongs to, given the tool call ids model calls requested in its trace. */
export function targetOf(tool: ToolSpan, requestedBy: Map<string, string>): string | undefined {
  const byCallId = tool.tool_call_id === null ? undefined : requestedBy.get(requestKey(tool.trace_id, tool.tool_call_id))
  return byCallId ?? (tool.parent_span_id ? interactionIdOf(tool.trace_id, tool.parent_span_id) : undefined)
}

export const requestKey = (traceId: string, toolCallId: string) => `${traceId}/${toolCallId}`

interface WithToolCalls {
  tool_calls?: ToolCall[]
  metadata?: Record<string, unknown>
}

/** Which tool spans an interaction already took in, so applying one again changes nothing. */
const appliedSpanIds = (interaction: WithToolCalls): string[] => {
  const otel = interaction.metadata?.otel as { tool_span_ids?: unknown } | undefined
  return Array.isArray(otel?.tool_span_ids) ? (otel.tool_span_ids as string[]) : []
}

function mergeCall(calls: ToolCall[], tool: ToolSpan): void {
  const unanswered = (call: ToolCall) => call.result === undefined && call.status === undefined
  let index = tool.tool_call_id === null ? -1 : calls.findIndex((call) => call.id === tool.tool_call_id)
  // Without a matching id, the first unanswered request of that tool (the span may not carry the id).
  if (index < 0) index = calls.findIndex((call) => call.name === tool.tool_call.name && unanswered(call) && (call.id === undefined || tool.tool_call_id === null))
  if (index < 0) {
    calls.push(tool.tool_call)
    return
  }
  const requested = calls[index]!
  calls[index] = { ...requested, ...tool.tool_call, name: requested.name, arguments: requested.arguments ?? tool.tool_call.arguments }
}

/**
 * The interaction with the tool spans applied to its `tool_calls`: the result, status, error and
 * latency of each are filled into the call it answers, or added as a call. Undefined when every span
 * was applied before.
 */
export function withToolSpans<T extends WithToolCalls>(interaction: T, tools: ToolSpan[]): T | undefined {
  const applied = appliedSpanIds(interaction)
  const fresh = tools.filter((tool) => !applied.includes(tool.span_id))
  if (fresh.length === 0) return undefined
  const calls = [...(interaction.tool_calls ?? [])]
  // Spans that name their call id go first, so one without an id never takes a call another span answers by id.
  const byIdFirst = [...fresh].sort((a, b) => Number(a.tool_call_id === null) - Number(b.tool_call_id === null))
  for (const tool of byIdFirst) mergeCall(calls, tool)
  const otel = (interaction.metadata?.otel ?? {}) as Record<string, unknown>
  return {
    ...interaction,
    tool_calls: calls,
    metadata: { ...interaction.metadata, otel: { ...otel, tool_span_ids: [...applied, ...fresh.map((tool) => tool.span_id)] } },
  }
}
