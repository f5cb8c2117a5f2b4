import type { ToolCall } from '@interlog/schema'
import { describe, expect, it } from 'vitest'
import { decodeExportTraceRequest } from '../../src/otlp/otlp.decode.js'
import { mapToolSpan, requestKey, targetOf, withToolSpans, type ToolSpan } from '../../src/otlp/tool-spans.js'
import { jsonRequest, type SpanSpec } from '../support/otlp-payloads.js'

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736'
const MODEL_SPAN = '00f067aa0ba902b7'

function toolSpan(spec: Partial<SpanSpec> & { attributes: Record<string, unknown> }): ToolSpan {
  const body = Buffer.from(JSON.stringify(jsonRequest([{ traceId: TRACE, spanId: '1111111111111111', name: 'execute_tool get_weather', durationMs: 12.5, ...spec }])))
  return mapToolSpan(decodeExportTraceRequest(body, 'json').spans[0]!)
}

const weather = (id: string | undefined, result: unknown, spanId = '1111111111111111') =>
  toolSpan({
    spanId,
    parentSpanId: MODEL_SPAN,
    attributes: {
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'get_weather',
      ...(id ? { 'gen_ai.tool.call.id': id } : {}),
      'gen_ai.tool.call.arguments': '{"city":"Paris"}',
      'gen_ai.tool.call.result': JSON.stringify(result),
    },
  })

describe('execute_tool spans', () => {
  it('become a tool call with arguments, result, status and latency', () => {
    expect(weather('call_1', { temperature_c: 21 })).toEqual({
      trace_id: TRACE,
      span_id: '1111111111111111',
      parent_span_id: MODEL_SPAN,
      tool_call_id: 'call_1',
      tool_call: { id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' }, result: { temperature_c: 21 }, status: 'success', latency_ms: 12.5 },
    })
  })

  it('carry a failure with the status message, and fall back to the span name for the tool name', () => {
    const failed = toolSpan({ attributes: { 'gen_ai.operation.name': 'execute_tool' }, status: { code: 2, message: 'timeout' } })
    expect(failed.tool_call).toMatchObject({ name: 'get_weather', status: 'failure', error: 'timeout' })
  })

  it('read the Vercel AI SDK tool-call spans too', () => {
    const vercel = toolSpan({ name: 'ai.toolCall', attributes: { 'ai.toolCall.name': 'search', 'ai.toolCall.id': 't1', 'ai.toolCall.args': '{"q":"x"}', 'ai.toolCall.result': '"found"' } })
    expect(vercel.tool_call).toMatchObject({ id: 't1', name: 'search', arguments: { q: 'x' }, result: 'found' })
  })

  it('target the model call that requested their id, else their parent span', () => {
    const requestedBy = new Map([[requestKey(TRACE, 'call_1'), 'otel-requester']])
    expect(targetOf(weather('call_1', 1), requestedBy)).toBe('otel-requester')
    expect(targetOf(weather('call_unknown', 1), requestedBy)).toBe(`otel-${TRACE}-${MODEL_SPAN}`)
    expect(targetOf({ ...weather(undefined, 1), parent_span_id: null }, requestedBy)).toBeUndefined()
  })
})

describe('applying tool spans to an interaction', () => {
  const requested: ToolCall[] = [
    { id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } },
    { id: 'call_2', name: 'get_time' },
  ]

  it('fills the call with the same id, keeping what the model asked for', () => {
    const applied = withToolSpans({ tool_calls: requested, metadata: { otel: { trace_id: TRACE } } }, [weather('call_1', { temperature_c: 21 })])!
    expect(applied.tool_calls).toEqual([
      { id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' }, result: { temperature_c: 21 }, status: 'success', latency_ms: 12.5 },
      { id: 'call_2', name: 'get_time' },
    ])
    expect(applied.metadata).toEqual({ otel: { trace_id: TRACE, tool_span_ids: ['1111111111111111'] } })
  })

  it('without an id, fills the first unanswered call of that tool, else adds a call', () => {
    const unanswered: ToolCall[] = [{ name: 'get_weather' }]
    const once = withToolSpans({ tool_calls: unanswered }, [weather(undefined, 'sunny', '2222222222222222')])!
    expect(once.tool_calls).toEqual([{ name: 'get_weather', arguments: { city: 'Paris' }, result: 'sunny', status: 'success', latency_ms: 12.5 }])
    const twice = withToolSpans(once, [weather(undefined, 'rain', '3333333333333333')])!
    expect(twice.tool_calls!.map((call) => call.result)).toEqual(['sunny', 'rain'])
  })

  it('lets spans that name their call id answer first, whatever the order they come in', () => {
    const applied = withToolSpans({ tool_calls: [requested[0]!] }, [weather(undefined, 'no id', '4444444444444444'), weather('call_1', 'by id')])!
    expect(applied.tool_calls!.map((call) => [call.id, call.result])).toEqual([
      ['call_1', 'by id'],
      [undefined, 'no id'],
    ])
  })

  it('changes nothing when every span was applied before (a resent span)', () => {
    const span = weather('call_1', 'sunny')
    const once = withToolSpans({ tool_calls: requested }, [span])!
    expect(withToolSpans(once, [span])).toBeUndefined()
  })
})
