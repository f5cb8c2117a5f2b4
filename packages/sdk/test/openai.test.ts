import { InteractionInput } from '@interlog/schema'
import OpenAI from 'openai'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { Interlog, uuidv7, wrapOpenAI, type InterlogError } from '../src/index.js'
import { FakeOpenAI } from './support/fake-openai.js'
import {
  plainCompletion,
  rateLimitError,
  responsesResult,
  responsesStreamEvents,
  streamChunks,
  toolCallCompletion,
  usage,
  weatherTool,
} from './support/openai-fixtures.js'
import { Sink } from './support/sink.js'

let fake: FakeOpenAI
let sink: Sink
let interlog: Interlog
let errors: InterlogError[]
let openai: OpenAI

const messages = [
  { role: 'system' as const, content: 'You are a weather bot.' },
  { role: 'user' as const, content: 'Weather in Paris?' },
]

beforeAll(async () => {
  ;[fake, sink] = await Promise.all([FakeOpenAI.start(), Sink.start()])
  openai = new OpenAI({ apiKey: 'sk-test', baseURL: fake.baseURL, maxRetries: 0 })
})

afterAll(async () => {
  await Promise.all([fake.stop(), sink.stop()])
})

beforeEach(() => {
  fake.reset()
  errors = []
  interlog = new Interlog({ baseUrl: sink.url, apiKey: 'il_key', flushIntervalMs: 20, registerExitHandler: false, onError: (error) => errors.push(error) })
})

afterEach(async () => {
  await interlog.shutdown()
  expect(errors).toEqual([])
})

/** Flushes and returns what the sink received for this id, checked against the server's schema. */
async function received(id?: string): Promise<Record<string, unknown>> {
  await interlog.flush()
  const item = id ? sink.interaction(id) : sink.interactionBatches().flat().at(-1)
  expect(item).toBeDefined()
  const parsed = InteractionInput.safeParse(item)
  expect(parsed.success ? [] : parsed.error.issues).toEqual([])
  return item!
}

describe('wrapOpenAI: chat.completions.create', () => {
  it('returns exactly what the unwrapped client returns and logs model, messages, tools, usage, latency', async () => {
    fake.enqueue({ kind: 'json', body: plainCompletion('Sunny.') }, { kind: 'json', body: plainCompletion('Sunny.') })
    const wrapped = wrapOpenAI(openai, interlog, { type: 'support_chat', userId: 'user-7', threadId: 'thread-7' })
    const params = { model: 'gpt-4o-mini', messages, tools: [weatherTool], temperature: 0.2 }

    const expected = await openai.chat.completions.create(params)
    const reply = await wrapped.chat.completions.create(params)

    expect(reply).toEqual(expected)
    expect(reply._request_id).toBe(expected._request_id)
    expect(fake.requests[1]!.body).toEqual(fake.requests[0]!.body)
    const interaction = await received()
    expect(interaction).toMatchObject({
      type: 'support_chat',
      user_id: 'user-7',
      thread_id: 'thread-7',
      provider: 'openai',
      model: 'gpt-4o-mini',
      model_version: 'gpt-4o-mini-2024-07-18',
      messages,
      user_message: 'Weather in Paris?',
      assistant_response: 'Sunny.',
      finish_reason: 'stop',
      status: 'success',
      model_parameters: { temperature: 0.2, tools: [weatherTool] },
      prompt_tokens: 120,
      completion_tokens: 30,
      total_tokens: 150,
      cached_tokens: 64,
      reasoning_tokens: 12,
      metadata: { provider_response_id: 'chatcmpl-plain' },
    })
    expect(interaction.latency_ms).toEqual(expect.any(Number))
    expect(Date.parse(String(interaction.ended_at))).toBeGreaterThanOrEqual(Date.parse(String(interaction.timestamp)))
  })

  it('logs the tool calls the model asked for, with parsed arguments', async () => {
    fake.enqueue({ kind: 'json', body: toolCallCompletion })
    const wrapped = wrapOpenAI(openai, interlog)
    const reply = await wrapped.chat.completions.create({ model: 'gpt-4o-mini', messages, tools: [weatherTool] })
    expect(reply.choices[0]!.message.tool_calls).toEqual(toolCallCompletion.choices[0]!.message.tool_calls)
    expect(await received()).toMatchObject({
      finish_reason: 'tool_calls',
      tool_calls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' }, status: 'pending' }],
    })
  })

  it('passes a stream through untouched and assembles content, tool calls, usage and time to first token', async () => {
    fake.enqueue({ kind: 'sse', items: streamChunks, gapMs: 5 }, { kind: 'sse', items: streamChunks, gapMs: 5 })
    const wrapped = wrapOpenAI(openai, interlog, { threadId: 'stream-thread' })
    const params = { model: 'gpt-4o-mini', messages, stream: true as const, stream_options: { include_usage: true } }

    const expectedChunks: unknown[] = []
    for await (const chunk of await openai.chat.completions.create(params)) expectedChunks.push(chunk)
    const stream = await wrapped.chat.completions.create(params)
    expect(stream).toBeInstanceOf((await import('openai/streaming')).Stream)
    const chunks: unknown[] = []
    for await (const chunk of stream) chunks.push(chunk)

    expect(chunks).toEqual(expectedChunks)
    const interaction = await received()
    expect(interaction).toMatchObject({
      thread_id: 'stream-thread',
      assistant_response: 'Hello, world',
      tool_calls: [{ id: 'call_9', name: 'get_weather', arguments: { city: 'Oslo' }, status: 'pending' }],
      finish_reason: 'tool_calls',
      prompt_tokens: usage.prompt_tokens,
      cached_tokens: 64,
      reasoning_tokens: 12,
      model_version: 'gpt-4o-mini-2024-07-18',
      status: 'success',
      metadata: { stream: true, provider_response_id: 'chatcmpl-stream' },
    })
    const { time_to_first_token_ms: ttft } = interaction.metadata as { time_to_first_token_ms: number }
    expect(ttft).toBeGreaterThan(0)
    expect(ttft).toBeLessThanOrEqual(Number(interaction.latency_ms))
  })

  it('records a stream the app stops reading as partial, and tee() still works', async () => {
    fake.enqueue({ kind: 'sse', items: streamChunks }, { kind: 'sse', items: streamChunks })
    const wrapped = wrapOpenAI(openai, interlog)
    const params = { model: 'gpt-4o-mini', messages, stream: true as const }

    const firstId = uuidv7()
    let read = 0
    for await (const chunk of await wrapped.chat.completions.create({ ...params, interlog: { id: firstId } })) {
      expect(chunk.object).toBe('chat.completion.chunk')
      if (++read === 3) break
    }
    expect(await received(firstId)).toMatchObject({ status: 'partial', assistant_response: 'Hello, world' })

    const teeId = uuidv7()
    const [left, right] = (await wrapped.chat.completions.create({ ...params, interlog: { id: teeId } })).tee()
    const readAll = async (stream: AsyncIterable<unknown>) => {
      const items: unknown[] = []
      for await (const item of stream) items.push(item)
      return items
    }
    const [fromLeft, fromRight] = await Promise.all([readAll(left), readAll(right)])
    expect(fromLeft).toEqual(streamChunks)
    expect(fromRight).toEqual(streamChunks)
    expect(await received(teeId)).toMatchObject({ status: 'success', assistant_response: 'Hello, world' })
    expect(sink.postedInteractionIds().filter((id) => id === teeId)).toHaveLength(1)
  })

  it('throws exactly the error the unwrapped client throws and logs a failure', async () => {
    const reply = { kind: 'json' as const, status: 429, body: rateLimitError, headers: { 'retry-after': '1' } }
    fake.enqueue(reply, reply)
    const wrapped = wrapOpenAI(openai, interlog, { userId: 'user-err' })
    const params = { model: 'gpt-4o-mini', messages }

    const expected = await openai.chat.completions.create(params).catch((error: unknown) => error)
    const actual = await wrapped.chat.completions.create(params).catch((error: unknown) => error)

    expect(actual).toBeInstanceOf(OpenAI.RateLimitError)
    expect(actual).toEqual(expected)
    expect((actual as InstanceType<typeof OpenAI.RateLimitError>).status).toBe(429)
    const interaction = await received()
    expect(interaction).toMatchObject({
      user_id: 'user-err',
      status: 'failure',
      error_type: 'RateLimitError',
      error_message: expect.stringContaining('Rate limit reached'),
      error_details: { status: 429, code: 'rate_limit_exceeded', type: 'requests' },
      model: 'gpt-4o-mini',
    })
  })

  it('strips the per-call `interlog` option before the request and applies it to the interaction', async () => {
    fake.enqueue({ kind: 'json', body: plainCompletion('ok') })
    const wrapped = wrapOpenAI(openai, interlog, { type: 'chat', userId: 'default-user', metadata: { app: 'demo' } })
    const id = uuidv7()
    await wrapped.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      interlog: { id, userId: 'user-42', threadId: 'thread-42', metadata: { feature: 'faq' }, tags: ['beta'] },
    })
    expect(fake.requests.at(-1)!.body).not.toHaveProperty('interlog')
    expect(await received(id)).toMatchObject({
      id,
      type: 'chat',
      user_id: 'user-42',
      thread_id: 'thread-42',
      tags: ['beta'],
      metadata: { app: 'demo', feature: 'faq', provider_response_id: 'chatcmpl-plain' },
    })
  })

  it('keeps withResponse() and asResponse() working', async () => {
    fake.enqueue({ kind: 'json', body: plainCompletion('with response') }, { kind: 'json', body: plainCompletion('raw') })
    const wrapped = wrapOpenAI(openai, interlog)
    const { data, response, request_id } = await wrapped.chat.completions.create({ model: 'gpt-4o-mini', messages }).withResponse()
    expect(data.choices[0]!.message.content).toBe('with response')
    expect(response.status).toBe(200)
    expect(request_id).toBe('req_test')
    expect(await received()).toMatchObject({ assistant_response: 'with response' })

    const raw = await wrapped.chat.completions.create({ model: 'gpt-4o-mini', messages }).asResponse()
    expect(((await raw.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content).toBe('raw')
  })

  it('when interlog is disabled, still strips the option and records nothing', async () => {
    fake.enqueue({ kind: 'json', body: plainCompletion('quiet') })
    const quiet = new Interlog({ baseUrl: sink.url, enabled: false, registerExitHandler: false })
    const before = sink.requests.length
    const reply = await wrapOpenAI(openai, quiet).chat.completions.create({ model: 'gpt-4o-mini', messages, interlog: { userId: 'u' } })
    await quiet.flush()
    expect(reply.choices[0]!.message.content).toBe('quiet')
    expect(fake.requests.at(-1)!.body).not.toHaveProperty('interlog')
    expect(sink.requests.length).toBe(before)
  })
})

describe('wrapOpenAI: responses.create', () => {
  it('logs instructions and input as messages, the output text, tool calls and usage', async () => {
    fake.enqueue({ kind: 'json', body: responsesResult }, { kind: 'json', body: responsesResult })
    const wrapped = wrapOpenAI(openai, interlog, { type: 'agent' })
    const params = { model: 'gpt-4.1-mini', instructions: 'Be brief.', input: 'Weather in Rome?', temperature: 0.1 }

    const expected = await openai.responses.create(params)
    const reply = await wrapped.responses.create(params)
    expect(reply).toEqual(expected)
    expect(reply.output_text).toBe('Checking the weather in Rome.')
    expect(await received()).toMatchObject({
      type: 'agent',
      model: 'gpt-4.1-mini',
      model_version: 'gpt-4.1-mini-2025-04-14',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Rome?' },
      ],
      user_message: 'Weather in Rome?',
      assistant_response: 'Checking the weather in Rome.',
      tool_calls: [{ id: 'call_r1', name: 'get_weather', arguments: { city: 'Rome' }, status: 'pending' }],
      prompt_tokens: 80,
      completion_tokens: 20,
      total_tokens: 100,
      cached_tokens: 16,
      reasoning_tokens: 8,
      finish_reason: 'completed',
      status: 'success',
      model_parameters: { temperature: 0.1 },
      metadata: { provider_response_id: 'resp_1' },
    })
  })

  it('passes a Responses stream through and logs the completed response with time to first token', async () => {
    fake.enqueue({ kind: 'sse', items: responsesStreamEvents, eventNames: true, gapMs: 5 })
    const wrapped = wrapOpenAI(openai, interlog)
    const events: unknown[] = []
    const stream = await wrapped.responses.create({
      model: 'gpt-4.1-mini',
      input: [{ role: 'user', content: 'Weather in Rome?' }],
      stream: true,
    })
    for await (const event of stream) events.push(event)
    expect(events).toEqual(responsesStreamEvents)
    const interaction = await received()
    expect(interaction).toMatchObject({
      assistant_response: 'Checking the weather in Rome.',
      user_message: 'Weather in Rome?',
      total_tokens: 100,
      status: 'success',
      metadata: { stream: true },
    })
    expect((interaction.metadata as { time_to_first_token_ms: number }).time_to_first_token_ms).toBeGreaterThan(0)
  })
})
