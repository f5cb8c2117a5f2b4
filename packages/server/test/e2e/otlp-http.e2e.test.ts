import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { otlpProtos } from '../../src/otlp/otlp.proto.js'
import { keyFor, tenantWithKey, type ApiClient } from '../support/http.js'
import { startTestServer } from '../support/in-process-server.js'
import { freshSpanId, freshTraceId, gzip, jsonLogsRequest, jsonRequest, protobufLogsRequest, protobufRequest, type SpanSpec } from '../support/otlp-payloads.js'

const PROTOBUF = 'application/x-protobuf'
const BODY_LIMIT = 256 * 1024

const chatSpan = (traceId: string, spanId: string, attributes: Record<string, unknown> = {}): SpanSpec => ({
  traceId,
  spanId,
  attributes: {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'http-model',
    'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Hi' }] }]),
    'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'Hello' }], finish_reason: 'stop' }]),
    ...attributes,
  },
})

const toolSpan = (traceId: string, spanId: string, parentSpanId: string, callId?: string): SpanSpec => ({
  traceId,
  spanId,
  parentSpanId,
  name: 'execute_tool lookup',
  attributes: {
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.tool.name': 'lookup',
    ...(callId ? { 'gen_ai.tool.call.id': callId } : {}),
    'gen_ai.tool.call.result': '{"found":true}',
  },
})

const decode = (type: 'exportTraceServiceResponse' | 'exportLogsServiceResponse' | 'status', body: ArrayBuffer) =>
  otlpProtos()[type].toObject(otlpProtos()[type].decode(new Uint8Array(body)), { longs: Number }) as Record<string, any>

/** The OTLP/HTTP protocol itself: encodings, answers, errors, idempotency and tool joins across requests. */
describe('POST /v1/traces over HTTP (SQLite)', () => {
  let stop: () => Promise<void>
  let url: string
  let key: string
  let tenantId: string
  let client: ApiClient

  beforeAll(async () => {
    const server = await startTestServer('sqlite', 'otlp_http', { bodyLimitBytes: BODY_LIMIT })
    stop = server.stop
    url = server.url
    ;({ key, client, tenantId } = await tenantWithKey(url, 'protocol', ['ingest', 'read']))
  })
  afterAll(() => stop?.())

  const post = (body: Buffer | string, headers: Record<string, string> = {}, apiKey = key) =>
    fetch(`${url}/v1/traces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': PROTOBUF, ...headers },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    })
  const postJson = (body: unknown, headers: Record<string, string> = {}) =>
    post(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body), { 'content-type': 'application/json', ...headers })
  const stored = async (traceId: string, spanId: string) => {
    const response = await client.get(`/v1/interactions/otel-${traceId}-${spanId}`)
    return response.status === 200 ? response.body : undefined
  }

  it('is in the OpenAPI document', async () => {
    const openapi = await client.get('/openapi.json')
    expect(openapi.body.paths['/v1/traces'].post.summary).toMatch(/OpenTelemetry traces/)
    expect(openapi.body.paths['/v1/logs'].post.summary).toMatch(/GenAI events/)
  })

  it('answers an empty ExportTraceServiceResponse in the request encoding, and stores a resent span once', async () => {
    const trace = freshTraceId()
    const span = freshSpanId()
    const body = protobufRequest([chatSpan(trace, span)])
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await post(body)
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toBe(PROTOBUF)
      expect(decode('exportTraceServiceResponse', await response.arrayBuffer())).toEqual({})
    }
    const json = await postJson(jsonRequest([chatSpan(trace, span)]))
    expect([json.status, await json.json()]).toEqual([200, {}])
    expect(await stored(trace, span)).toMatchObject({ model: 'http-model', user_message: 'Hi', assistant_response: 'Hello' })
    expect((await client.get(`/v1/interactions?model=http-model&limit=200`)).body.interactions.filter((i: any) => i.metadata.otel.trace_id === trace)).toHaveLength(1)
  })

  it('accepts gzip bodies in both encodings', async () => {
    const trace = freshTraceId()
    const [a, b] = [freshSpanId(), freshSpanId()]
    expect((await post(gzip(protobufRequest([chatSpan(trace, a)])), { 'content-encoding': 'gzip' })).status).toBe(200)
    expect((await postJson(gzip(JSON.stringify(jsonRequest([chatSpan(trace, b)]))), { 'content-encoding': 'gzip' })).status).toBe(200)
    expect(await stored(trace, a)).toBeDefined()
    expect(await stored(trace, b)).toBeDefined()
  })

  it('stores the good spans and reports the rejected ones as partial success', async () => {
    const trace = freshTraceId()
    const [good, tooLongUser, noise] = [freshSpanId(), freshSpanId(), freshSpanId()]
    const spans = [
      chatSpan(trace, good),
      chatSpan(trace, tooLongUser, { 'user.id': 'u'.repeat(300) }),
      chatSpan('not-a-trace-id', freshSpanId()),
      { traceId: trace, spanId: noise, name: 'SELECT users', attributes: { 'db.system': 'postgresql' } },
    ]
    const json = await postJson(jsonRequest(spans))
    expect(json.status).toBe(200)
    const answer = await json.json()
    expect(answer.partialSuccess.rejectedSpans).toBe('2')
    expect(answer.partialSuccess.errorMessage).toMatch(/user_id/)
    expect(answer.partialSuccess.errorMessage).toMatch(/invalid trace id 'not-a-trace-id'/)
    expect(await stored(trace, good)).toBeDefined()
    expect(await stored(trace, tooLongUser)).toBeUndefined()
    expect(await stored(trace, noise)).toBeUndefined()

    const protobuf = await post(protobufRequest([chatSpan(freshTraceId(), freshSpanId(), { 'user.id': 'u'.repeat(300) })]))
    expect(decode('exportTraceServiceResponse', await protobuf.arrayBuffer()).partialSuccess).toMatchObject({ rejectedSpans: 1, errorMessage: expect.stringMatching(/user_id/) })
  })

  it('refuses undecodable bodies with 400 and a Status, storing nothing of them', async () => {
    const trace = freshTraceId()
    const first = freshSpanId()
    const body = protobufRequest([chatSpan(trace, first), chatSpan(trace, freshSpanId())])
    const truncated = await post(body.subarray(0, body.length - 20))
    expect(truncated.status).toBe(400)
    expect(truncated.headers.get('content-type')).toBe(PROTOBUF)
    expect(decode('status', await truncated.arrayBuffer())).toMatchObject({ code: 3, message: expect.stringMatching(/Undecodable protobuf/) })

    const wrongType = jsonRequest([chatSpan(trace, first), chatSpan(trace, freshSpanId())]) as any
    wrongType.resourceSpans[0].scopeSpans[0].spans[1].attributes = 'not a list'
    const json = await postJson(wrongType)
    expect(json.status).toBe(400)
    expect(await json.json()).toMatchObject({ code: 3, message: expect.stringContaining('resourceSpans.0.scopeSpans.0.spans.1.attributes') })

    expect((await postJson('{"resourceSpans": [')).status).toBe(400)
    expect((await post(Buffer.from('not gzip'), { 'content-encoding': 'gzip' })).status).toBe(400)
    expect(await stored(trace, first)).toBeUndefined()
  })

  it('answers 413 over the size limit, compressed or decompressed, and 415 for other formats', async () => {
    const huge = await post(Buffer.alloc(BODY_LIMIT + 1))
    expect(huge.status).toBe(413)
    expect(decode('status', await huge.arrayBuffer()).code).toBe(8)
    const bomb = await post(gzip(Buffer.alloc(BODY_LIMIT * 4)), { 'content-encoding': 'gzip' })
    expect(bomb.status).toBe(413)
    const text = await post('hello', { 'content-type': 'text/plain' })
    expect(text.status).toBe(415)
    expect(await text.json()).toMatchObject({ code: 3, message: expect.stringContaining(PROTOBUF) })
    expect((await post(protobufRequest([]), { 'content-encoding': 'br' })).status).toBe(415)
  })

  it('answers 401 and 403 as Status messages', async () => {
    const unknown = await post(protobufRequest([]), {}, 'il_not_a_key')
    expect(unknown.status).toBe(401)
    expect(decode('status', await unknown.arrayBuffer()).code).toBe(16)
    const reader = await keyFor(url, tenantId, ['read'])
    const forbidden = await postJson({}, { authorization: `Bearer ${reader.key}` })
    expect(forbidden.status).toBe(403)
    expect(await forbidden.json()).toMatchObject({ code: 7, message: expect.stringContaining("'ingest'") })
  })

  it('joins a tool span that arrives before its model call, by parent span and by tool call id', async () => {
    const trace = freshTraceId()
    const [model, byParent, agent, byCallId] = [freshSpanId(), freshSpanId(), freshSpanId(), freshSpanId()]
    // The tool spans come first: one is a child of the model call, the other of an agent span, with the call id.
    expect((await postJson(jsonRequest([toolSpan(trace, byParent, model), toolSpan(trace, byCallId, agent, 'call_7')]))).status).toBe(200)
    const output = [{ role: 'assistant', parts: [{ type: 'tool_call', id: 'call_7', name: 'lookup', arguments: { q: 'x' } }] }]
    expect((await post(protobufRequest([chatSpan(trace, model, { 'gen_ai.output.messages': JSON.stringify(output) })]))).status).toBe(200)
    const joined = await stored(trace, model)
    expect(joined.tool_calls).toEqual([
      { id: 'call_7', name: 'lookup', arguments: { q: 'x' }, result: { found: true }, status: 'success', latency_ms: 420 },
      { name: 'lookup', result: { found: true }, status: 'success', latency_ms: 420 },
    ])
    // Resending everything changes nothing.
    await postJson(jsonRequest([toolSpan(trace, byParent, model), toolSpan(trace, byCallId, agent, 'call_7')]))
    await post(protobufRequest([chatSpan(trace, model, { 'gen_ai.output.messages': JSON.stringify(output) })]))
    expect((await stored(trace, model)).tool_calls).toEqual(joined.tool_calls)
  })

  it('gives a user-bound key its user, and never lets its tool spans touch another user', async () => {
    const ann = await keyFor(url, tenantId, ['ingest', 'read'], 'ann')
    const bob = await keyFor(url, tenantId, ['ingest'], 'bob')
    const trace = freshTraceId()
    const model = freshSpanId()
    const sent = await post(protobufRequest([chatSpan(trace, model)]), { authorization: `Bearer ${ann.key}` })
    expect(sent.status).toBe(200)
    expect((await post(protobufRequest([toolSpan(trace, freshSpanId(), model)]), { authorization: `Bearer ${bob.key}` })).status).toBe(200)
    const read = await ann.client.get(`/v1/interactions/otel-${trace}-${model}`)
    expect(read.body.user_id).toBe('ann')
    expect(read.body.tool_calls).toBeUndefined()
  })
})

describe('POST /v1/traces rate limit', () => {
  it('answers 429 with Retry-After, which OTLP exporters retry', async () => {
    // Two requests per minute per key: the admin key creates the tenant and the key, the ingest key sends twice.
    const server = await startTestServer('sqlite', 'otlp_rate', { rateLimitPerMinute: 2 })
    try {
      const { key } = await tenantWithKey(server.url, 'limited', ['ingest'])
      const send = () =>
        fetch(`${server.url}/v1/traces`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': PROTOBUF }, body: new Uint8Array(protobufRequest([])) })
      expect((await send()).status).toBe(200)
      expect((await send()).status).toBe(200)
      const limited = await send()
      expect(limited.status).toBe(429)
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
      expect(decode('status', await limited.arrayBuffer()).code).toBe(8)
    } finally {
      await server.stop()
    }
  })
})

describe('POST /v1/logs over HTTP (SQLite)', () => {
  let stop: () => Promise<void>
  let url: string
  let key: string
  let client: ApiClient

  beforeAll(async () => {
    const server = await startTestServer('sqlite', 'otlp_logs_http')
    stop = server.stop
    url = server.url
    ;({ key, client } = await tenantWithKey(url, 'logs-protocol', ['ingest', 'read']))
  })
  afterAll(() => stop?.())

  const post = (body: Buffer | string, contentType: string) =>
    fetch(`${url}/v1/logs`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': contentType }, body: typeof body === 'string' ? body : new Uint8Array(body) })

  it('keeps GenAI events for their span, ignores other records, and rejects events without span ids', async () => {
    const trace = freshTraceId()
    const span = freshSpanId()
    const records = [
      { traceId: trace, spanId: span, eventName: 'gen_ai.user.message', body: { content: 'Hi from a log' } },
      { body: 'GET /health 200' },
      { eventName: 'gen_ai.choice', body: { index: 0, message: { content: 'orphan' } } },
    ]
    const json = await post(JSON.stringify(jsonLogsRequest(records)), 'application/json')
    expect(json.status).toBe(200)
    expect(await json.json()).toEqual({
      partialSuccess: { rejectedLogRecords: '1', errorMessage: expect.stringContaining("log record 2 'gen_ai.choice'") },
    })
    const protobuf = await post(protobufLogsRequest(records.slice(0, 2)), PROTOBUF)
    expect(decode('exportLogsServiceResponse', await protobuf.arrayBuffer())).toEqual({})

    // The span arrives later and takes the event in.
    const traced = await fetch(`${url}/v1/traces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': PROTOBUF },
      body: new Uint8Array(protobufRequest([{ traceId: trace, spanId: span, attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'logs-model' } }])),
    })
    expect(traced.status).toBe(200)
    const stored = await client.get(`/v1/interactions/otel-${trace}-${span}`)
    expect(stored.body).toMatchObject({ model: 'logs-model', user_message: 'Hi from a log', messages: [{ role: 'user', content: 'Hi from a log' }] })
  })

  it('refuses undecodable bodies with 400', async () => {
    const body = protobufLogsRequest([{ traceId: freshTraceId(), spanId: freshSpanId(), eventName: 'gen_ai.user.message', body: { content: 'x' } }])
    const truncated = await post(body.subarray(0, body.length - 4), PROTOBUF)
    expect(truncated.status).toBe(400)
    expect(decode('status', await truncated.arrayBuffer()).message).toMatch(/ExportLogsServiceRequest/)
  })
})
