import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Interlog, uuidv7, wrapOpenAI, type InterlogError } from '../src/index.js'
import { FakeOpenAI } from './support/fake-openai.js'
import { createTenantKey, serverIsBuilt, startInterlogServer, type RunningServer } from './support/interlog-server.js'
import { plainCompletion, rateLimitError, streamChunks, toolCallCompletion, weatherTool } from './support/openai-fixtures.js'

/**
 * The SDK against a real interlog server (SQLite), with the real openai client against a scripted
 * OpenAI-compatible server. Needs `npm run build` at the root first (the server runs from dist).
 */
describe('SDK → real interlog server', () => {
  let server: RunningServer
  let fake: FakeOpenAI
  let key: string
  let openai: OpenAI

  beforeAll(async () => {
    if (!serverIsBuilt()) throw new Error('The interlog server is not built: run `npm run build` (npm test does) first')
    ;[server, fake] = await Promise.all([startInterlogServer(), FakeOpenAI.start()])
    ;({ key } = await createTenantKey(server, 'sdk-test', ['ingest', 'read']))
    openai = new OpenAI({ apiKey: 'sk-test', baseURL: fake.baseURL, maxRetries: 0 })
  })

  afterAll(async () => {
    await Promise.all([server?.stop(), fake?.stop()])
  })

  function client(apiKey: string, errors: InterlogError[]): Interlog {
    return new Interlog({ baseUrl: server.url, apiKey, registerExitHandler: false, onError: (error) => errors.push(error) })
  }

  it('stores wrapped OpenAI calls (plain, tools, stream, error) and an assistant turn with tools, field for field', async () => {
    const errors: InterlogError[] = []
    const interlog = client(key, errors)
    const threadId = `thread-${uuidv7()}`
    const wrapped = wrapOpenAI(openai, interlog, { type: 'support_chat', userId: 'user-1', threadId })
    const messages = [{ role: 'user' as const, content: 'Weather in Paris?' }]
    const ids = { plain: uuidv7(), tools: uuidv7(), stream: uuidv7(), error: uuidv7() }

    fake.enqueue(
      { kind: 'json', body: plainCompletion('Sunny.') },
      { kind: 'json', body: toolCallCompletion },
      { kind: 'sse', items: streamChunks },
      { kind: 'json', status: 429, body: rateLimitError },
    )
    const plain = await wrapped.chat.completions.create({ model: 'gpt-4o-mini', messages, temperature: 0.5, interlog: { id: ids.plain } })
    expect(plain.choices[0]!.message.content).toBe('Sunny.')
    await wrapped.chat.completions.create({ model: 'gpt-4o-mini', messages, tools: [weatherTool], interlog: { id: ids.tools } })
    const stream = await wrapped.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
      stream_options: { include_usage: true },
      interlog: { id: ids.stream },
    })
    for await (const chunk of stream) expect(chunk.object).toBe('chat.completion.chunk')
    const failure = await wrapped.chat.completions.create({ model: 'gpt-4o-mini', messages, interlog: { id: ids.error } }).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(OpenAI.RateLimitError)

    const turn = interlog.start({ type: 'assistant', userId: 'user-1', threadId, userMessage: 'add a row' })
    const added = await turn.tool('add_new_data', { row: { name: 'Ada' } }, async () => ({ inserted: 1 }))
    await turn.tool('notify', {}, () => Promise.reject(new Error('smtp down'))).catch(() => undefined)
    turn.end({ assistantResponse: `Added ${added.inserted} row.` })

    await interlog.flush()
    expect(errors).toEqual([])
    expect(interlog.stats()).toMatchObject({ sent: 5, failed: 0, queued: 0 })

    const list = await server.request('GET', `/v1/interactions?thread_id=${encodeURIComponent(threadId)}`, key)
    expect(list.status).toBe(200)
    expect(list.body.total_count).toBe(5)
    const byId = Object.fromEntries((list.body.interactions as { id: string }[]).map((item) => [item.id, item]))

    expect(byId[ids.plain]).toMatchObject({
      type: 'support_chat',
      user_id: 'user-1',
      thread_id: threadId,
      provider: 'openai',
      model: 'gpt-4o-mini',
      model_version: 'gpt-4o-mini-2024-07-18',
      messages,
      assistant_response: 'Sunny.',
      finish_reason: 'stop',
      status: 'success',
      model_parameters: { temperature: 0.5 },
      prompt_tokens: 120,
      completion_tokens: 30,
      total_tokens: 150,
      cached_tokens: 64,
      reasoning_tokens: 12,
      latency_ms: expect.any(Number),
    })
    expect(byId[ids.tools]).toMatchObject({
      finish_reason: 'tool_calls',
      model_parameters: { tools: [weatherTool] },
      tool_calls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' }, status: 'pending' }],
    })
    expect(byId[ids.stream]).toMatchObject({
      assistant_response: 'Hello, world',
      tool_calls: [{ id: 'call_9', name: 'get_weather', arguments: { city: 'Oslo' } }],
      total_tokens: 150,
      metadata: { stream: true, time_to_first_token_ms: expect.any(Number) },
    })
    expect(byId[ids.error]).toMatchObject({
      status: 'failure',
      error_type: 'RateLimitError',
      error_message: expect.stringContaining('Rate limit reached'),
      error_details: { status: 429 },
    })

    const one = await server.request('GET', `/v1/interactions/${turn.id}`, key)
    expect(one.status).toBe(200)
    expect(one.body).toMatchObject({
      id: turn.id,
      type: 'assistant',
      user_message: 'add a row',
      assistant_response: 'Added 1 row.',
      status: 'success',
      tool_calls: [
        { name: 'add_new_data', arguments: { row: { name: 'Ada' } }, result: { inserted: 1 }, status: 'success', latency_ms: expect.any(Number) },
        { name: 'notify', status: 'failure', error: 'smtp down' },
      ],
    })
    await interlog.shutdown()
  })

  it('a resent id is acknowledged as a duplicate, never stored twice', async () => {
    const errors: InterlogError[] = []
    const interlog = client(key, errors)
    const id = uuidv7()
    const threadId = `dup-${id}`
    interlog.track({ id, threadId, userMessage: 'first' })
    await interlog.flush()
    interlog.track({ id, threadId, userMessage: 'resent' })
    await interlog.flush()

    expect(errors).toEqual([])
    expect(interlog.stats()).toMatchObject({ sent: 2, failed: 0 })
    const list = await server.request('GET', `/v1/interactions?thread_id=${threadId}`, key)
    expect(list.body.total_count).toBe(1)
    expect(list.body.interactions[0]).toMatchObject({ id, user_message: 'first' })
    await interlog.shutdown()
  })

  it("sends feedback from a browser key bound to the end user, accepted for that user's interactions only", async () => {
    const { tenantId, key: backendKey } = await createTenantKey(server, 'sdk-feedback', ['ingest', 'read'])
    const minted = await server.request('POST', '/v1/admin/keys', server.adminKey, { tenant_id: tenantId, scopes: ['feedback'], user_id: 'end-user' })
    const backend = client(backendKey, [])
    const mine = backend.track({ userId: 'end-user', userMessage: 'hi', assistantResponse: 'Helo' })
    const theirs = backend.track({ userId: 'someone-else', userMessage: 'hi' })
    await backend.flush()

    const errors: InterlogError[] = []
    const browser = client(minted.body.key, errors)
    browser.feedback(mine, { kind: 'modified', qualityScore: 70, correction: 'Hello', categories: ['typo'] })
    browser.feedback(theirs, { kind: 'thumbs_down' })
    await browser.flush()

    expect(errors).toMatchObject([{ status: 404 }])
    const history = await server.request('GET', `/v1/interactions/${mine}/feedback`, backendKey)
    expect(history.body.feedback).toMatchObject([{ kind: 'modified', quality_score: 70, correction: 'Hello', categories: ['typo'], edit_distance: 1 }])
    expect((await server.request('GET', `/v1/interactions/${theirs}/feedback`, backendKey)).body.feedback).toEqual([])
    await Promise.all([backend.shutdown(), browser.shutdown()])
  })

  it("reports the server's refusal of a key without the ingest scope, and does not retry it", async () => {
    const { key: readOnly } = await createTenantKey(server, 'sdk-test-readonly', ['read'])
    const errors: InterlogError[] = []
    const interlog = client(readOnly, errors)
    const id = interlog.track({ userMessage: 'not allowed' })
    await interlog.flush()
    expect(errors).toMatchObject([{ code: 'rejected', status: 403, eventIds: [id] }])
    expect(interlog.stats()).toMatchObject({ sent: 0, failed: 1, retries: 0 })
    await interlog.shutdown()
  })

  it('tells the app when the tenant switched data collection off', async () => {
    const { key } = await createTenantKey(server, 'sdk-test-collection-off', ['ingest', 'admin'])
    expect((await server.request('PUT', '/v1/settings/collection', key, { enabled: false })).status).toBe(200)
    const errors: InterlogError[] = []
    const interlog = client(key, errors)
    const id = interlog.track({ userMessage: 'not collected' })
    await interlog.flush()
    expect(errors).toMatchObject([{ code: 'collection_disabled', status: 403, eventIds: [id] }])
    expect(interlog.stats()).toMatchObject({ sent: 0, failed: 1, retries: 0 })
    await interlog.shutdown()
  })
})
