import { InteractionInput } from '@interlog/schema'
import { describe, expect, it } from 'vitest'
import type { TrackInput, WireInteraction } from '../src/index.js'
import { toWireFeedback, toWireInteraction } from '../src/wire/to-wire.js'

/** The hand-written wire type must fit the server's input type: checked by the compiler (npm run typecheck). */
const asSchemaInput = (wire: WireInteraction): InteractionInput => wire

/** Every field an app can set, with valid values. */
const everyField: Required<TrackInput> = {
  id: 'ignored-here',
  timestamp: '2026-11-21T10:00:00+02:00',
  endedAt: 1_790_000_000_000,
  latencyMs: 812.5,
  userId: 'user-1',
  threadId: 'thread-1',
  sessionId: 'session-1',
  type: 'support_chat',
  category: 'web',
  tags: ['beta', 'eu'],
  metadata: { plan: 'pro', nested: { a: [1, 2] } },
  provider: 'openai',
  model: 'gpt-4o-mini',
  modelVersion: 'gpt-4o-mini-2024-07-18',
  promptId: 'greeting',
  promptVersion: '3',
  modelParameters: { temperature: 0.3, tools: [{ type: 'function', function: { name: 'f' } }] },
  userMessage: 'What is the weather?',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: [{ type: 'text', text: 'What is the weather?' }] },
    { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
    { role: 'tool', tool_call_id: 'c1', content: '{"temp":21}' },
  ],
  renderedPrompt: 'Be brief.\nWhat is the weather?',
  inputVariables: { city: 'Paris' },
  requiredVariables: ['city'],
  assistantResponse: 'Sunny, 21°C.',
  structuredOutput: { temp: 21 },
  rawResponse: { id: 'chatcmpl-1' },
  finishReason: 'stop',
  toolCalls: [
    { id: 'c1', name: 'f', arguments: { city: 'Paris' }, result: { temp: 21 }, status: 'success', latencyMs: 12 },
    { name: 'g', status: 'failure', error: 'timeout' },
  ],
  promptTokens: 100,
  completionTokens: 20,
  totalTokens: 120,
  cachedTokens: 64,
  reasoningTokens: 8,
  costUsd: 0.0012,
  status: 'partial',
  errorMessage: 'stream cut',
  errorType: 'StreamError',
  errorDetails: { code: 'ECONNRESET' },
  error: new Error('not used: explicit error fields win'),
  intents: [{ name: 'weather', confidence: 0.9 }],
  confidence: 0.8,
  handoff: false,
  handoffReason: 'none',
  messageType: 'question',
  contextSize: 2048,
}

describe('wire conversion', () => {
  it("produces what the server's own InteractionInput schema accepts, for every field", () => {
    const { wire, problems } = toWireInteraction('id-1', Date.now(), everyField)
    expect(problems).toEqual([])
    const parsed = InteractionInput.safeParse(asSchemaInput(wire))
    expect(parsed.success ? [] : parsed.error.issues).toEqual([])
    expect(wire).toMatchObject({
      id: 'id-1',
      timestamp: '2026-11-21T08:00:00.000Z',
      ended_at: new Date(1_790_000_000_000).toISOString(),
      error_message: 'stream cut',
      error_type: 'StreamError',
      tool_calls: [{ id: 'c1', name: 'f', latency_ms: 12, status: 'success' }, { name: 'g', status: 'failure', error: 'timeout' }],
    })
  })

  it('turns an `error` into the error fields and a failure status', () => {
    class PaymentError extends Error {
      status = 402
      code = 'card_declined'
    }
    const { wire } = toWireInteraction('id-2', 0, { error: new PaymentError('declined') })
    expect(wire).toMatchObject({ status: 'failure', error_message: 'declined', error_type: 'PaymentError', error_details: { status: 402, code: 'card_declined' } })
    expect(InteractionInput.safeParse(wire).success).toBe(true)
  })

  it('drops each invalid field with a reason, and what is left still passes the schema', () => {
    const bad = {
      userId: 'x'.repeat(257),
      tags: ['ok', ''],
      timestamp: 'yesterday',
      confidence: 2,
      messages: [{ content: 'no role' }],
      toolCalls: [{ arguments: {} }],
      totalTokens: 1.5,
      intents: [{ name: 'a', extra: true }],
      finishReason: 'x'.repeat(65),
      somethingElse: true,
      assistantResponse: 'kept',
    } as unknown as TrackInput
    const { wire, problems } = toWireInteraction('id-3', 0, bad)
    expect(problems).toHaveLength(10)
    expect(wire).toEqual({ id: 'id-3', timestamp: new Date(0).toISOString(), assistant_response: 'kept' })
    expect(InteractionInput.safeParse(wire).success).toBe(true)
  })

  it('maps feedback to snake_case and refuses an unknown kind', () => {
    expect(toWireFeedback({ kind: 'edit', qualityScore: 80, correction: 'better' })).toEqual({
      wire: { kind: 'edit', quality_score: 80, correction: 'better' },
      problems: [],
    })
    expect(toWireFeedback({ kind: 'thumbs_up', sentiment: 9 })).toEqual({ wire: { kind: 'thumbs_up' }, problems: ['sentiment is invalid'] })
    expect(toWireFeedback({ kind: 'meh' as never }).wire).toBeUndefined()
  })
})
