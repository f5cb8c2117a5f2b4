import { describe, expect, it } from 'vitest'
import { contentOfEvents, eventNameOf, withEventContent, type EventContent, type GenAiEvent } from '../../src/otlp/genai.events.js'
import { decodeExportLogsRequest } from '../../src/otlp/otlp.decode.js'
import { jsonLogsRequest, protobufLogsRequest, type LogSpec } from '../support/otlp-payloads.js'

const event = (name: string, body: unknown, attributes: Record<string, unknown> = {}): GenAiEvent => ({ name, body, attributes })

describe('GenAI events → interaction fields', () => {
  it('reads the message events and the first choice (the older event conventions)', () => {
    const content = contentOfEvents([
      event('gen_ai.system.message', { content: 'Be brief.' }),
      event('gen_ai.user.message', { content: 'Weather?' }),
      event('gen_ai.assistant.message', { tool_calls: [{ id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }] }),
      event('gen_ai.tool.message', { id: 'c1', content: 'cold' }),
      event('gen_ai.user.message', { content: 'And tomorrow?' }),
      event('gen_ai.choice', { index: 1, finish_reason: 'stop', message: { content: 'second choice' } }),
      event('gen_ai.choice', { index: 0, finish_reason: 'tool_calls', message: { tool_calls: [{ id: 'c2', type: 'function', function: { name: 'weather', arguments: '{"day":1}' } }] } }),
    ])
    expect(content).toEqual({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }] },
        { role: 'tool', content: 'cold', tool_call_id: 'c1' },
        { role: 'user', content: 'And tomorrow?' },
      ],
      user_message: 'And tomorrow?',
      tool_calls: [{ id: 'c2', name: 'weather', arguments: { day: 1 } }],
      finish_reason: 'tool_calls',
    })
  })

  it('reads the inference details event of the current conventions', () => {
    const content = contentOfEvents([
      event('gen_ai.client.inference.operation.details', undefined, {
        'gen_ai.input.messages': [{ role: 'user', parts: [{ type: 'text', content: 'Hi' }] }],
        'gen_ai.output.messages': [{ role: 'assistant', parts: [{ type: 'text', content: 'Hello' }], finish_reason: 'stop' }],
      }),
    ])
    expect(content).toEqual({ messages: [{ role: 'user', content: 'Hi' }], user_message: 'Hi', assistant_response: 'Hello', finish_reason: 'stop' })
  })

  it('takes the event name from the record, else from the older event.name attribute', () => {
    expect(eventNameOf('gen_ai.choice', {})).toBe('gen_ai.choice')
    expect(eventNameOf('', { 'event.name': 'gen_ai.user.message' })).toBe('gen_ai.user.message')
    expect(eventNameOf('', {})).toBe('')
  })
})

describe('applying event content to an interaction', () => {
  it('fills only what the span did not carry, and says which fields came from events', () => {
    const applied = withEventContent(
      { assistant_response: 'from the span', metadata: { otel: { trace_id: 't' } } },
      { messages: [{ role: 'user', content: 'Hi' }], user_message: 'Hi', assistant_response: 'from events' },
    )!
    expect(applied).toEqual({
      assistant_response: 'from the span',
      messages: [{ role: 'user', content: 'Hi' }],
      user_message: 'Hi',
      metadata: { otel: { trace_id: 't', fields_from_events: ['messages', 'user_message'] } },
    })
  })

  it('rebuilds messages when more prompt events arrive, and changes nothing when applied again', () => {
    const empty: EventContent & { metadata?: Record<string, unknown> } = {}
    const first = withEventContent(empty, { messages: [{ role: 'system', content: 'Be brief.' }] })!
    const more = { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], user_message: 'Hi' }
    const second = withEventContent(first, more)!
    expect(second.messages).toHaveLength(2)
    expect(withEventContent(second, more)).toBeUndefined()
  })
})

describe('decoding ExportLogsServiceRequest', () => {
  const records: LogSpec[] = [
    { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', eventName: 'gen_ai.user.message', body: { content: 'Hi' }, attributes: { 'gen_ai.system': 'openai' } },
    { body: 'a plain log line' },
  ]

  it('gives the same records from protobuf and from OTLP/JSON', () => {
    const fromJson = decodeExportLogsRequest(Buffer.from(JSON.stringify(jsonLogsRequest(records))), 'json')
    expect(decodeExportLogsRequest(protobufLogsRequest(records), 'protobuf')).toEqual(fromJson)
    expect(fromJson.records).toEqual([
      {
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        spanId: '00f067aa0ba902b7',
        timeMs: Date.parse('2026-03-01T10:00:00Z'),
        eventName: 'gen_ai.user.message',
        body: { content: 'Hi' },
        attributes: { 'gen_ai.system': 'openai' },
      },
      { traceId: '', spanId: '', timeMs: Date.parse('2026-03-01T10:00:00Z'), eventName: '', body: 'a plain log line', attributes: {} },
    ])
  })

  it('refuses truncated protobuf and wrong JSON types', () => {
    const body = protobufLogsRequest(records)
    expect(() => decodeExportLogsRequest(body.subarray(0, body.length - 5), 'protobuf')).toThrow(/Undecodable protobuf ExportLogsServiceRequest/)
    expect(() => decodeExportLogsRequest(Buffer.from('{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"eventName":7}]}]}]}'), 'json')).toThrow(
      /resourceLogs\.0\.scopeLogs\.0\.logRecords\.0\.eventName/,
    )
  })
})
