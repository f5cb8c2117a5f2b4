import { describe, expect, it } from 'vitest'
import { Interlog, type InterlogError } from '../src/index.js'
import { fakeRuntime, unitOptions, type RecordedCall } from './support/fake-runtime.js'

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

function sentInteractions(calls: RecordedCall[]): Record<string, unknown>[] {
  return calls.flatMap((call) => (call.body as { interactions?: Record<string, unknown>[] }).interactions ?? [])
}

describe('Interlog.track', () => {
  it('returns a UUIDv7 at once and sends snake_case fields in a batch with the bearer key', async () => {
    const { runtime, calls } = fakeRuntime()
    const errors: InterlogError[] = []
    const interlog = new Interlog(unitOptions(runtime, errors))

    const id = interlog.track({
      type: 'support_chat',
      userId: 'user-1',
      threadId: 'thread-1',
      userMessage: 'hi',
      assistantResponse: 'hello',
      promptTokens: 3,
      cachedTokens: 1,
      modelParameters: { temperature: 0.2 },
      toolCalls: [{ name: 'lookup', arguments: { q: 'x' }, status: 'success', latencyMs: 4 }],
      endedAt: new Date('2026-01-01T00:00:01Z'),
    })

    expect(id).toMatch(UUID_V7)
    expect(calls).toHaveLength(0) // nothing on the caller's path
    await interlog.flush()

    expect(calls).toHaveLength(1)
    expect(calls[0]!.url).toBe('http://interlog.test/v1/interactions')
    expect(calls[0]!.headers.authorization).toBe('Bearer il_test_key')
    const [sent] = sentInteractions(calls)
    expect(sent).toMatchObject({
      id,
      type: 'support_chat',
      user_id: 'user-1',
      thread_id: 'thread-1',
      user_message: 'hi',
      assistant_response: 'hello',
      prompt_tokens: 3,
      cached_tokens: 1,
      model_parameters: { temperature: 0.2 },
      tool_calls: [{ name: 'lookup', arguments: { q: 'x' }, status: 'success', latency_ms: 4 }],
      ended_at: '2026-01-01T00:00:01.000Z',
    })
    expect(typeof sent!.timestamp).toBe('string')
    expect(interlog.stats()).toMatchObject({ queued: 0, inFlight: 0, sent: 1, failed: 0, dropped: 0, retries: 0 })
    expect(errors).toEqual([])
  })

  it('keeps a caller-supplied id and merges defaults (event wins, metadata merged, tags combined)', async () => {
    const { runtime, calls } = fakeRuntime()
    const interlog = new Interlog(
      unitOptions(runtime, [], { defaults: { type: 'chat', category: 'web', metadata: { app: 'demo', env: 'prod' }, tags: ['a'] } }),
    )
    expect(interlog.track({ id: 'my-id-1', category: 'mobile', metadata: { env: 'staging' }, tags: ['b', 'a'] })).toBe('my-id-1')
    await interlog.flush()
    expect(sentInteractions(calls)[0]).toMatchObject({
      id: 'my-id-1',
      type: 'chat',
      category: 'mobile',
      metadata: { app: 'demo', env: 'staging' },
      tags: ['a', 'b'],
    })
  })

  it('never throws on bad input: reports it and still sends what is usable', async () => {
    const { runtime, calls } = fakeRuntime()
    const errors: InterlogError[] = []
    const interlog = new Interlog(unitOptions(runtime, errors))
    const circular: Record<string, unknown> = {}
    circular.self = circular

    expect(() => interlog.track(null as never)).not.toThrow()
    expect(() => interlog.track(42 as never)).not.toThrow()
    const partlyBad = interlog.track({ userId: '', promptTokens: -1, status: 'ok' as never, typo_field: 1, userMessage: 'kept' } as never)
    const unserialisable = interlog.track({ metadata: circular })
    const fine = interlog.track({ userMessage: 'fine' })
    await interlog.flush()

    const sent = sentInteractions(calls)
    expect(sent.map((item) => item.id)).toEqual([partlyBad, fine])
    expect(sent[0]).toEqual({ id: partlyBad, timestamp: expect.any(String), user_message: 'kept' })
    const codes = errors.map((error) => error.code)
    expect(codes.filter((code) => code === 'invalid_input')).toHaveLength(3)
    expect(codes).toContain('serialization_failed')
    const fieldReport = errors.find((error) => error.eventIds.includes(partlyBad))!
    expect(fieldReport.message).toContain('typo_field')
    expect(fieldReport.message).toContain('promptTokens')
    expect(errors.find((error) => error.code === 'serialization_failed')!.eventIds).toEqual([unserialisable])
    expect(interlog.stats()).toMatchObject({ sent: 2, failed: 1 })
  })

  it('copies top-level arrays, so pushing to the app array later does not change the event', async () => {
    const { runtime, calls } = fakeRuntime()
    const interlog = new Interlog(unitOptions(runtime, []))
    const messages = [{ role: 'user', content: 'first' }]
    interlog.track({ messages })
    messages.push({ role: 'assistant', content: 'later' })
    await interlog.flush()
    expect(sentInteractions(calls)[0]!.messages).toEqual([{ role: 'user', content: 'first' }])
  })

  it('does nothing at all when disabled, and can be switched at run time', async () => {
    const { runtime, calls, delays } = fakeRuntime()
    const interlog = new Interlog(unitOptions(runtime, [], { enabled: false }))
    const id = interlog.track({ userMessage: 'secret' })
    interlog.feedback(id, { kind: 'thumbs_up' })
    expect(id).toMatch(UUID_V7)
    await interlog.flush()
    expect(calls).toHaveLength(0)
    expect(delays).toHaveLength(0)
    expect(interlog.enabled).toBe(false)

    interlog.setEnabled(true)
    interlog.track({ userMessage: 'allowed' })
    interlog.setEnabled(false)
    interlog.track({ userMessage: 'opted out' })
    await interlog.flush()
    expect(sentInteractions(calls).map((item) => item.user_message)).toEqual(['allowed'])
  })

  it('sends a batch once flushAt events wait, without flush()', async () => {
    const { runtime, calls } = fakeRuntime()
    const interlog = new Interlog(unitOptions(runtime, [], { flushAt: 3 }))
    interlog.track({ userMessage: '1' })
    interlog.track({ userMessage: '2' })
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(calls).toHaveLength(0)
    interlog.track({ userMessage: '3' })
    expect(calls).toHaveLength(0) // not from inside the caller's call
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(calls).toHaveLength(1)
    expect(sentInteractions(calls)).toHaveLength(3)
  })

  it('sends what waits once flushIntervalMs has passed', async () => {
    const { runtime, calls } = fakeRuntime()
    const interlog = new Interlog(unitOptions(runtime, [], { flushIntervalMs: 30 }))
    interlog.track({ userMessage: 'later' })
    expect(calls).toHaveLength(0)
    await new Promise((resolve) => setTimeout(resolve, 80))
    expect(sentInteractions(calls)).toHaveLength(1)
  })

  it('sends what waits together and keeps feedback after the interaction it is about', async () => {
    const { runtime, calls } = fakeRuntime()
    const interlog = new Interlog(unitOptions(runtime, [], { flushAt: 2 }))
    const first = interlog.track({ userMessage: 'a' })
    interlog.feedback(first, { kind: 'thumbs_down', sentiment: 2, qualityScore: 40, comment: 'too long', correction: 'shorter', categories: ['length'] })
    interlog.track({ userMessage: 'b' })
    interlog.track({ userMessage: 'c' })
    interlog.track({ userMessage: 'd' })
    await interlog.flush()

    expect(calls.map((call) => call.url.replace('http://interlog.test', ''))).toEqual([
      '/v1/interactions',
      `/v1/interactions/${first}/feedback`,
      '/v1/interactions',
    ])
    expect(calls[1]!.body).toEqual({ kind: 'thumbs_down', sentiment: 2, quality_score: 40, comment: 'too long', correction: 'shorter', categories: ['length'] })
    expect(calls.map((call) => (call.body as { interactions?: unknown[] }).interactions?.length)).toEqual([1, undefined, 3])
  })

  it('reports feedback it cannot send and sends nothing for it', async () => {
    const { runtime, calls } = fakeRuntime()
    const errors: InterlogError[] = []
    const interlog = new Interlog(unitOptions(runtime, errors))
    interlog.feedback('some-id', { kind: 'love_it' as never })
    interlog.feedback('', { kind: 'thumbs_up' })
    await interlog.flush()
    expect(calls).toHaveLength(0)
    expect(errors.map((error) => error.code)).toEqual(['invalid_input', 'invalid_input'])
  })

  it('applies redact to a private copy, drops events it returns null for, and fails closed when it throws', async () => {
    const { runtime, calls } = fakeRuntime()
    const errors: InterlogError[] = []
    const interlog = new Interlog(
      unitOptions(runtime, errors, {
        redact: (event) => {
          if (event.kind !== 'interaction') return event
          const message = event.interaction.user_message ?? ''
          if (message.includes('drop me')) return null
          if (message.includes('explode')) throw new Error('redactor bug')
          event.interaction.user_message = message.replace(/\d{4}-\d{4}/g, '[card]')
          const first = event.interaction.messages?.[0]
          if (first) first.content = '[redacted]'
        },
      }),
    )
    const messages = [{ role: 'user', content: 'card 1234-5678' }]
    const kept = interlog.track({ userMessage: 'card 1234-5678', messages })
    interlog.track({ userMessage: 'drop me' })
    const exploded = interlog.track({ userMessage: 'explode' })
    await interlog.flush()

    const sent = sentInteractions(calls)
    expect(sent.map((item) => item.id)).toEqual([kept])
    expect(sent[0]).toMatchObject({ user_message: 'card [card]', messages: [{ role: 'user', content: '[redacted]' }] })
    expect(messages[0]!.content).toBe('card 1234-5678') // the app's object is untouched
    expect(errors.map((error) => [error.code, error.eventIds])).toEqual([['redact_failed', [exploded]]])
    expect(interlog.stats()).toMatchObject({ sent: 1, failed: 1 })
  })

  it('survives an onError that throws', async () => {
    const { runtime } = fakeRuntime()
    const interlog = new Interlog({
      ...unitOptions(runtime, []),
      onError: () => {
        throw new Error('bad handler')
      },
    })
    expect(() => interlog.track(undefined as never)).not.toThrow()
    await expect(interlog.flush()).resolves.toBeUndefined()
  })

  it('reports bad options and falls back to defaults instead of throwing', async () => {
    const errors: InterlogError[] = []
    const { runtime, calls } = fakeRuntime()
    const disabled = new Interlog({ baseUrl: 'not a url', onError: (error) => errors.push(error), registerExitHandler: false, runtime })
    expect(disabled.enabled).toBe(false)
    disabled.track({ userMessage: 'x' })
    await disabled.flush()
    expect(calls).toHaveLength(0)

    const interlog = new Interlog(unitOptions(runtime, errors, { flushAt: -5, maxQueueSize: 'big' as never }))
    interlog.track({ userMessage: 'x' })
    await interlog.flush()
    expect(calls).toHaveLength(1)
    expect(errors.map((error) => error.message)).toEqual([
      expect.stringContaining('baseUrl'),
      expect.stringContaining('maxQueueSize'),
      expect.stringContaining('flushAt'),
    ])
  })
})
