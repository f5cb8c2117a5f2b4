import { describe, expect, it } from 'vitest'
import { invalidIds, mapModelCall, spanRole } from '../../src/otlp/genai.mapper.js'
import { decodeExportTraceRequest } from '../../src/otlp/otlp.decode.js'
import type { ReceivedSpan } from '../../src/otlp/otlp.model.js'
import { jsonRequest, type SpanSpec } from '../support/otlp-payloads.js'

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736'
const SPAN = '00f067aa0ba902b7'

/** Goes through the real decoder, so attribute values take the shapes the wire gives them. */
function received(attributes: Record<string, unknown>, overrides: Partial<SpanSpec> = {}): ReceivedSpan {
  const body = Buffer.from(JSON.stringify(jsonRequest([{ traceId: TRACE, spanId: SPAN, attributes, ...overrides }], { 'service.name': 'travel-app' })))
  return decodeExportTraceRequest(body, 'json').spans[0]!
}

const currentMessages = {
  'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: 'You are a travel agent.' }]),
  'gen_ai.input.messages': JSON.stringify([
    { role: 'user', parts: [{ type: 'text', content: 'Find flights to Paris' }] },
    { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'search_flights', arguments: { to: 'Paris' } }] },
    { role: 'tool', parts: [{ type: 'tool_call_response', id: 'c1', response: { flights: 2 } }] },
    { role: 'user', parts: [{ type: 'text', content: 'The cheaper one' }, { type: 'uri', modality: 'image', mime_type: 'image/png', uri: 'https://example.com/seat.png' }] },
  ]),
  'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'Booked the 9:40 flight.' }], finish_reason: 'stop' }]),
}

const expectedMessages = [
  { role: 'system', content: 'You are a travel agent.' },
  { role: 'user', content: 'Find flights to Paris' },
  { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'search_flights', arguments: '{"to":"Paris"}' } }] },
  { role: 'tool', tool_call_id: 'c1', content: '{"flights":2}' },
  {
    role: 'user',
    content: [
      { type: 'text', text: 'The cheaper one' },
      { type: 'image_url', image_url: { url: 'https://example.com/seat.png' } },
    ],
  },
]

describe('GenAI span → interaction: current conventions', () => {
  const attributes = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-4o',
    'gen_ai.response.model': 'gpt-4o-2024-08-06',
    'gen_ai.request.temperature': 0.5,
    'gen_ai.request.max_tokens': 200,
    'gen_ai.usage.input_tokens': 120,
    'gen_ai.usage.output_tokens': 30,
    'gen_ai.usage.cache_read.input_tokens': 100,
    'gen_ai.usage.reasoning.output_tokens': 12,
    'gen_ai.response.finish_reasons': ['stop'],
    'gen_ai.conversation.id': 'conv-42',
    'gen_ai.response.id': 'resp-1',
    'server.address': 'api.openai.com',
    'user.id': 'ann',
    'session.id': 'sess-9',
    ...currentMessages,
  }

  it('maps model, usage, messages, answer, conversation, user and timing; keeps the rest in metadata', () => {
    const input = mapModelCall(received(attributes, { startMs: Date.parse('2026-03-01T10:00:00Z'), durationMs: 420.5 }))
    expect(input).toEqual({
      id: `otel-${TRACE}-${SPAN}`,
      type: 'chat',
      provider: 'openai',
      model: 'gpt-4o',
      model_version: 'gpt-4o-2024-08-06',
      user_id: 'ann',
      session_id: 'sess-9',
      thread_id: 'conv-42',
      model_parameters: { temperature: 0.5, max_tokens: 200 },
      messages: expectedMessages,
      user_message: 'The cheaper one',
      assistant_response: 'Booked the 9:40 flight.',
      finish_reason: 'stop',
      prompt_tokens: 120,
      completion_tokens: 30,
      cached_tokens: 100,
      reasoning_tokens: 12,
      timestamp: '2026-03-01T10:00:00.000Z',
      ended_at: '2026-03-01T10:00:00.420Z',
      latency_ms: 420.5,
      metadata: {
        'gen_ai.response.id': 'resp-1',
        'server.address': 'api.openai.com',
        otel: {
          trace_id: TRACE,
          span_id: SPAN,
          span_name: 'chat gpt-4o-mini',
          scope: { name: 'fixture', version: '1.0.0' },
          resource: { 'service.name': 'travel-app' },
        },
      },
    })
  })

  it('reads messages sent as structured attribute values as well as JSON strings', () => {
    const structured = Object.fromEntries(Object.entries(currentMessages).map(([key, value]) => [key, JSON.parse(value)]))
    const input = mapModelCall(received({ ...attributes, ...structured }))
    expect(input.messages).toEqual(expectedMessages)
    expect(input.assistant_response).toBe('Booked the 9:40 flight.')
  })

  it('maps the requested tool calls of the answer, with parsed arguments', () => {
    const input = mapModelCall(
      received({
        ...attributes,
        'gen_ai.output.messages': JSON.stringify([
          { role: 'assistant', finish_reason: 'tool_call', parts: [{ type: 'tool_call', id: 'c2', name: 'book', arguments: '{"flight":"AF1"}' }] },
        ]),
      }),
    )
    expect(input.tool_calls).toEqual([{ id: 'c2', name: 'book', arguments: { flight: 'AF1' } }])
    expect(input.finish_reason).toBe('tool_call')
    expect(input.assistant_response).toBeUndefined()
  })

  it('keeps output messages it cannot fully map (several choices) verbatim in the metadata', () => {
    const choices = [
      { role: 'assistant', parts: [{ type: 'text', content: 'A' }], finish_reason: 'stop' },
      { role: 'assistant', parts: [{ type: 'text', content: 'B' }], finish_reason: 'stop' },
    ]
    const input = mapModelCall(received({ ...attributes, 'gen_ai.output.messages': JSON.stringify(choices) }))
    expect(input.assistant_response).toBe('A')
    expect(input.metadata!['gen_ai.output.messages']).toBe(JSON.stringify(choices))
  })

  it('leaves a malformed messages attribute in the metadata instead of guessing', () => {
    const input = mapModelCall(received({ ...attributes, 'gen_ai.input.messages': '[{"role": "user", "parts": ' }))
    expect(input.messages).toEqual([{ role: 'system', content: 'You are a travel agent.' }])
    expect(input.metadata!['gen_ai.input.messages']).toBe('[{"role": "user", "parts": ')
  })

  it('maps status ERROR to a failure with the message, error type and stack trace', () => {
    const input = mapModelCall(
      received(
        { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o', 'error.type': 'RateLimitError' },
        {
          status: { code: 2, message: '429 Rate limit reached' },
          events: [{ name: 'exception', attributes: { 'exception.type': 'RateLimitError', 'exception.message': 'Rate limit', 'exception.stacktrace': 'RateLimitError: Rate limit\n  at x' } }],
        },
      ),
    )
    expect(input).toMatchObject({
      status: 'failure',
      error_message: '429 Rate limit reached',
      error_type: 'RateLimitError',
      error_details: { stacktrace: 'RateLimitError: Rate limit\n  at x' },
    })
  })

  it('keeps wrongly typed values unmapped rather than failing the span', () => {
    const input = mapModelCall(received({ 'gen_ai.operation.name': 'chat', 'gen_ai.usage.input_tokens': 'many', 'gen_ai.usage.output_tokens': '7' }))
    expect(input.prompt_tokens).toBeUndefined()
    expect(input.completion_tokens).toBe(7)
    expect(input.metadata!['gen_ai.usage.input_tokens']).toBe('many')
  })
})

describe('GenAI span → interaction: older conventions', () => {
  const attributes = {
    'gen_ai.system': 'openai',
    'llm.request.type': 'chat',
    'gen_ai.request.model': 'gpt-3.5-turbo',
    'gen_ai.response.model': 'gpt-3.5-turbo-0125',
    'gen_ai.prompt.0.role': 'system',
    'gen_ai.prompt.0.content': 'Be nice.',
    'gen_ai.prompt.1.role': 'user',
    'gen_ai.prompt.1.content': 'Weather in Oslo?',
    'gen_ai.prompt.2.role': 'assistant',
    'gen_ai.prompt.2.tool_calls.0.id': 'call_9',
    'gen_ai.prompt.2.tool_calls.0.name': 'weather',
    'gen_ai.prompt.2.tool_calls.0.arguments': '{"city":"Oslo"}',
    'gen_ai.prompt.3.role': 'tool',
    'gen_ai.prompt.3.content': 'cold',
    'gen_ai.prompt.3.tool_call_id': 'call_9',
    'gen_ai.prompt.10.role': 'user',
    'gen_ai.prompt.10.content': 'And tomorrow?',
    'gen_ai.prompt.template.role': 'not a message',
    'gen_ai.completion.0.role': 'assistant',
    'gen_ai.completion.0.finish_reason': 'tool_calls',
    'gen_ai.completion.0.tool_calls.0.id': 'call_10',
    'gen_ai.completion.0.tool_calls.0.name': 'weather',
    'gen_ai.completion.0.tool_calls.0.arguments': '{"city":"Oslo","day":"tomorrow"}',
    'gen_ai.completion.1.content': 'another choice',
    'gen_ai.usage.prompt_tokens': 50,
    'gen_ai.usage.completion_tokens': 10,
    'gen_ai.usage.cache_read_input_tokens': 20,
    'llm.usage.total_tokens': 60,
    'llm.is_streaming': false,
    'traceloop.workflow.name': 'trip-planner',
    'traceloop.association.properties.user_id': 'bob',
    'traceloop.association.properties.session_id': 'sess-1',
  }

  it('reads indexed prompts (numeric indexes only, in number order), completion tool calls and older usage names', () => {
    const input = mapModelCall(received(attributes))
    expect(input).toMatchObject({
      type: 'chat',
      provider: 'openai',
      model: 'gpt-3.5-turbo',
      model_version: 'gpt-3.5-turbo-0125',
      user_id: 'bob',
      session_id: 'sess-1',
      messages: [
        { role: 'system', content: 'Be nice.' },
        { role: 'user', content: 'Weather in Oslo?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }] },
        { role: 'tool', content: 'cold', tool_call_id: 'call_9' },
        { role: 'user', content: 'And tomorrow?' },
      ],
      user_message: 'And tomorrow?',
      tool_calls: [{ id: 'call_10', name: 'weather', arguments: { city: 'Oslo', day: 'tomorrow' } }],
      finish_reason: 'tool_calls',
      prompt_tokens: 50,
      completion_tokens: 10,
      total_tokens: 60,
      cached_tokens: 20,
      model_parameters: { stream: false },
    })
    expect(input.assistant_response).toBeUndefined()
    expect(input.metadata).toMatchObject({
      'gen_ai.prompt.template.role': 'not a message',
      'gen_ai.completion.1.content': 'another choice',
      'traceloop.workflow.name': 'trip-planner',
    })
    expect(Object.keys(input.metadata!).filter((key) => /^gen_ai\.(prompt|completion)\.0\./.test(key))).toEqual([])
  })

  it('reads a completion text and the older function_call', () => {
    const input = mapModelCall(
      received({
        'gen_ai.system': 'openai',
        'gen_ai.request.model': 'gpt-3.5-turbo',
        'gen_ai.completion.0.content': 'Calling it.',
        'gen_ai.completion.0.function_call.name': 'lookup',
        'gen_ai.completion.0.function_call.arguments': '{"id":1}',
      }),
    )
    expect(input).toMatchObject({ assistant_response: 'Calling it.', tool_calls: [{ name: 'lookup', arguments: { id: 1 } }] })
  })
})

describe('which spans are model calls', () => {
  it('classifies by operation name, or by the older request type / provider and model', () => {
    expect(spanRole({ 'gen_ai.operation.name': 'chat' })).toBe('model_call')
    expect(spanRole({ 'gen_ai.operation.name': 'embeddings' })).toBe('model_call')
    expect(spanRole({ 'gen_ai.operation.name': 'execute_tool' })).toBe('tool_call')
    expect(spanRole({ 'ai.toolCall.name': 'search' })).toBe('tool_call')
    expect(spanRole({ 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.request.model': 'gpt-4o' })).toBe('other')
    expect(spanRole({ 'llm.request.type': 'completion' })).toBe('model_call')
    expect(spanRole({ 'gen_ai.system': 'anthropic', 'gen_ai.request.model': 'claude' })).toBe('model_call')
    expect(spanRole({ 'gen_ai.system': 'anthropic' })).toBe('other')
    expect(spanRole({ 'http.request.method': 'GET' })).toBe('other')
  })

  it('refuses spans without valid ids', () => {
    const span = received({}).span
    expect(invalidIds(span)).toBeUndefined()
    expect(invalidIds({ ...span, traceId: '0'.repeat(32) })).toMatch(/trace id/)
    expect(invalidIds({ ...span, traceId: 'abc' })).toMatch(/trace id/)
    expect(invalidIds({ ...span, spanId: '' })).toMatch(/span id/)
  })
})
