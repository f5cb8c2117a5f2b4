import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { STORE_KINDS } from '../support/databases.js'
import { anInteraction } from '../support/fixtures.js'
import { keyFor, tenantWithKey } from '../support/http.js'
import { startTestServer } from '../support/in-process-server.js'
import { freshSpanId, freshTraceId, jsonLogsRequest, jsonRequest } from '../support/otlp-payloads.js'

const ALL_KINDS = ['email', 'phone', 'credit_card', 'national_id', 'ip_address', 'secret']
const EMAIL = 'jane.doe@example.com'
const PHONE = '(415) 555-2671'
const CARD = '4111 1111 1111 1111'
const KEY = 'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z'

/** Words of a long text, so its compressed copy is much smaller than it. */
const longText = (marker: string, words: number) =>
  `${marker} ${Array.from({ length: words }, (_, n) => ['order', 'refund', 'shipping', 'invoice', 'delay'][n % 5]).join(' ')}`

describe.each(STORE_KINDS)('privacy API on %s', (kind) => {
  let stop: () => Promise<void>
  let url: string
  let tenant: Awaited<ReturnType<typeof tenantWithKey>>

  beforeAll(async () => {
    const server = await startTestServer(kind, 'privacy')
    stop = server.stop
    url = server.url
    tenant = await tenantWithKey(url, 'privacy', ['ingest', 'read', 'feedback', 'admin', 'delete'])
  })
  afterAll(() => stop?.())

  const otlp = (signal: 'traces' | 'logs', body: unknown, key = tenant.key) =>
    fetch(`${url}/v1/${signal}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })

  it('lists the new routes in the OpenAPI document', async () => {
    const openapi = (await tenant.client.get('/openapi.json')).body
    for (const path of ['/v1/settings/redaction', '/v1/settings/collection', '/v1/users/{user_id}/data', '/v1/audit-log']) {
      expect(Object.keys(openapi.paths)).toContain(path)
    }
    expect(openapi.components.schemas.RedactionSettingsUpdate.properties.kinds.type).toBe('array')
    expect(Object.keys(openapi.components.schemas)).toEqual(expect.arrayContaining(['RedactionSettings', 'CollectionSettings', 'UserDataErasure', 'AuditLog']))
    expect(openapi.components.schemas.UserDataErasure.properties.deleted.required).toEqual(['interactions', 'archived_interactions'])
    expect(Object.keys(openapi.paths['/v1/users/{user_id}/data'].delete.responses)).toEqual(expect.arrayContaining(['200', '409']))
  })

  it('answers redaction settings (off by default), needs admin, and refuses bad settings naming the field', async () => {
    expect((await tenant.client.get('/v1/settings/redaction')).body).toEqual({ kinds: [], custom_patterns: [], phone_default_country: 'US', updated_at: null })
    const reader = await keyFor(url, tenant.tenantId, ['read', 'ingest'])
    expect((await reader.client.call('PUT', '/v1/settings/redaction', { kinds: ['email'] })).body.error.details.required_scope).toBe('admin')
    const bad = async (body: unknown) => (await tenant.client.call('PUT', '/v1/settings/redaction', body)).body.error.details.issues.map((i: { path: string }) => i.path)
    expect(await bad({ kinds: ['emails'] })).toEqual(['kinds.0'])
    expect(await bad({ kinds: [], custom_patterns: [{ name: 'x', pattern: '(unclosed' }] })).toEqual(['custom_patterns.0.pattern'])
    expect(await bad({ kinds: [], custom_patterns: [{ name: 'x', pattern: '(a+)+$' }] })).toEqual(['custom_patterns.0.pattern'])
    expect(await bad({ kinds: [], custom_patterns: [{ name: 'x', pattern: 'a*' }] })).toEqual(['custom_patterns.0.pattern'])
    expect(await bad({ kinds: [], custom_patterns: [{ name: 'Bad Name', pattern: 'a' }] })).toEqual(['custom_patterns.0.name'])
    expect(await bad({ kinds: [], phone_default_country: 'XX' })).toEqual(['phone_default_country'])
    expect((await tenant.client.get('/v1/settings/redaction')).body.updated_at).toBeNull()
  })

  describe('with redaction on', () => {
    beforeAll(async () => {
      const put = await tenant.client.call('PUT', '/v1/settings/redaction', {
        kinds: ALL_KINDS,
        custom_patterns: [{ name: 'employee_id', pattern: 'EMP-\\d{6}' }],
      })
      expect(put.status).toBe(200)
      expect(put.body).toMatchObject({ kinds: ALL_KINDS, phone_default_country: 'US', updated_at: expect.any(String) })
    })

    it('replaces PII in every text field before it is stored, and search cannot find the original', async () => {
      const created = await tenant.client.post(
        '/v1/interactions',
        anInteraction({
          thread_id: 'pii',
          user_message: `I am Jane, mail ${EMAIL} or call ${PHONE}; employee EMP-123456`,
          assistant_response: `Charged card ${CARD}. Order 48213377 ships on 2024-03-15 for $19.99.`,
          rendered_prompt: `Use key ${KEY} from 203.0.113.42`,
          messages: [{ role: 'user', content: `SSN 078-05-1120` }, { role: 'user', content: [{ type: 'text', text: `again ${EMAIL}` }] }],
          tool_calls: [{ id: 'call-1', name: 'send_mail', arguments: { to: EMAIL }, result: `sent to ${EMAIL}`, error: `retry ${PHONE}` }],
          input_variables: { email: EMAIL, plan: 'pro' },
          structured_output: { phone: PHONE },
          metadata: { client_ip: '203.0.113.42', build: '2.3.11' },
          model_parameters: { temperature: 0.2, user: EMAIL },
          error_message: `failed for ${EMAIL}`,
        }),
      )
      expect(created.status).toBe(201)
      const stored = (await tenant.client.get(`/v1/interactions/${created.body.id}`)).body
      expect(stored.user_message).toBe('I am Jane, mail [EMAIL] or call [PHONE]; employee [EMPLOYEE_ID]')
      expect(stored.assistant_response).toBe('Charged card [CREDIT_CARD]. Order 48213377 ships on 2024-03-15 for $19.99.')
      expect(stored.rendered_prompt).toBe('Use key [SECRET] from [IP_ADDRESS]')
      expect(stored.messages).toEqual([{ role: 'user', content: 'SSN [NATIONAL_ID]' }, { role: 'user', content: [{ type: 'text', text: 'again [EMAIL]' }] }])
      expect(stored.tool_calls).toEqual([{ id: 'call-1', name: 'send_mail', arguments: { to: '[EMAIL]' }, result: 'sent to [EMAIL]', error: 'retry [PHONE]' }])
      expect(stored).toMatchObject({ input_variables: { email: '[EMAIL]', plan: 'pro' }, structured_output: { phone: '[PHONE]' }, error_message: 'failed for [EMAIL]' })
      expect(stored.metadata).toEqual({ client_ip: '[IP_ADDRESS]', build: '2.3.11' })
      expect(stored.model_parameters).toEqual({ temperature: 0.2, user: '[EMAIL]' })
      expect(JSON.stringify(stored)).not.toMatch(/jane\.doe|555-2671|4111|Ab3dEf6|1120|EMP-/)

      const search = async (q: string) => (await tenant.client.get(`/v1/interactions?q=${encodeURIComponent(q)}`)).body.total_count
      for (const original of ['doe', '"example com"', '2671', '4111', 'EMP', '1120', 'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z']) expect(await search(original)).toBe(0)
      expect(await search('EMAIL')).toBe(1)
      expect(await search('jane')).toBe(1) // the name was written out as a word; it is not a listed kind
    })

    it('redacts each item of a batch and answers as usual', async () => {
      const batch = await tenant.client.post('/v1/interactions', { interactions: [anInteraction({ thread_id: 'pii-batch', user_message: `to ${EMAIL}` }), { bad: 1 }] })
      expect(batch.body).toMatchObject({ created: 1, failed: 1 })
      const read = await tenant.client.get(`/v1/interactions/${batch.body.results[0].id}`)
      expect(read.body.user_message).toBe('to [EMAIL]')
    })

    it('redacts OTLP model calls, tool spans and GenAI log events before they are kept or joined', async () => {
      const trace = freshTraceId()
      const [model, tool] = [freshSpanId(), freshSpanId()]
      const chat = {
        traceId: trace,
        spanId: model,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.request.model': 'otel-model',
          'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: `my card is ${CARD}` }] }]),
        },
      }
      const toolSpan = {
        traceId: trace,
        spanId: tool,
        parentSpanId: model,
        name: 'execute_tool lookup',
        attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookup', 'gen_ai.tool.call.arguments': JSON.stringify({ email: EMAIL }) },
      }
      // The tool span arrives first, so it is kept until its model call comes.
      expect((await otlp('traces', jsonRequest([toolSpan]))).status).toBe(200)
      expect((await otlp('traces', jsonRequest([chat]))).status).toBe(200)
      const event = { traceId: trace, spanId: model, eventName: 'gen_ai.choice', body: { index: 0, message: { content: `call ${PHONE}` } } }
      expect((await otlp('logs', jsonLogsRequest([event]))).status).toBe(200)
      const stored = (await tenant.client.get(`/v1/interactions/otel-${trace}-${model}`)).body
      expect(JSON.stringify(stored.messages)).toContain('my card is [CREDIT_CARD]')
      expect(stored.tool_calls[0].arguments).toEqual({ email: '[EMAIL]' })
      expect(stored.assistant_response).toBe('call [PHONE]')
      expect(JSON.stringify(stored)).not.toMatch(/jane\.doe|4111|2671/)
    })

    it('redacts feedback comments and corrections, computing the edit distance on what is stored', async () => {
      const created = await tenant.client.post('/v1/interactions', anInteraction({ thread_id: 'pii-fb', assistant_response: 'Write to [EMAIL]' }))
      const feedback = await tenant.client.post(`/v1/interactions/${created.body.id}/feedback`, {
        kind: 'modified',
        comment: `user ${EMAIL} complained`,
        correction: `Write to ${EMAIL}!`,
      })
      expect(feedback.status).toBe(201)
      expect(feedback.body).toMatchObject({ comment: 'user [EMAIL] complained', correction: 'Write to [EMAIL]!', edit_distance: 1 })
      const structured = await tenant.client.post(`/v1/interactions/${created.body.id}/feedback`, { kind: 'edit', correction: { to: EMAIL } })
      expect(structured.body.correction).toEqual({ to: '[EMAIL]' })
    })
  })

  describe('the collection toggle', () => {
    it('refuses ingest, OTLP and feedback with 403 collection_disabled while off, storing nothing; reads go on', async () => {
      const existing = await tenant.client.post('/v1/interactions', anInteraction({ thread_id: 'toggle' }))
      const off = await tenant.client.call('PUT', '/v1/settings/collection', { enabled: false })
      expect(off.body).toMatchObject({ enabled: false, updated_at: expect.any(String) })
      expect((await tenant.client.get('/v1/settings/collection')).body.enabled).toBe(false)

      const single = await tenant.client.post('/v1/interactions', anInteraction({ thread_id: 'toggle' }))
      expect(single.status).toBe(403)
      expect(single.body.error).toMatchObject({ code: 'collection_disabled', message: expect.stringContaining('/v1/settings/collection') })
      const batch = await tenant.client.post('/v1/interactions', { interactions: [anInteraction({ thread_id: 'toggle' })] })
      expect([batch.status, batch.body.error.code]).toEqual([403, 'collection_disabled'])
      const traces = await otlp('traces', jsonRequest([{ traceId: freshTraceId(), spanId: freshSpanId(), attributes: { 'gen_ai.operation.name': 'chat' } }]))
      expect(traces.status).toBe(403)
      expect(await traces.json()).toMatchObject({ code: 7, message: expect.stringContaining('collection') })
      expect((await tenant.client.post(`/v1/interactions/${existing.body.id}/feedback`, { kind: 'thumbs_up' })).status).toBe(403)

      const thread = await tenant.client.get('/v1/threads/toggle')
      expect(thread.status).toBe(200)
      expect(thread.body.returned_count).toBe(1)

      await tenant.client.call('PUT', '/v1/settings/collection', { enabled: true })
      expect((await tenant.client.post('/v1/interactions', anInteraction({ thread_id: 'toggle' }))).status).toBe(201)
      expect((await tenant.client.call('PUT', '/v1/settings/collection', { enabled: 'no' })).body.error.details.issues[0].path).toBe('enabled')
    })
  })

  describe('compression', () => {
    it('round-trips large payload fields on every read path, and search still finds their words', async () => {
      const big = anInteraction({
        thread_id: 'big',
        user_message: longText('axolotl', 6000),
        messages: Array.from({ length: 30 }, (_, n) => ({ role: n % 2 ? 'assistant' : 'user', content: longText(`turn${n}`, 300) })),
        raw_response: { choices: [{ message: { content: longText('reply', 3000) } }] },
      })
      const created = await tenant.client.post('/v1/interactions', big)
      expect(created.status).toBe(201)
      const read = (await tenant.client.get(`/v1/interactions/${created.body.id}`)).body
      expect(read).toMatchObject({ user_message: big.user_message, messages: big.messages, raw_response: big.raw_response })
      expect(read.size_bytes).toBeGreaterThan(60_000)
      expect((await tenant.client.get('/v1/interactions?thread_id=big')).body.interactions[0].messages).toEqual(big.messages)
      expect((await tenant.client.get('/v1/threads/big')).body.interactions[0].raw_response).toEqual(big.raw_response)
      expect((await tenant.client.get('/v1/interactions?q=axolotl')).body.interactions.map((i: { id: string }) => i.id)).toEqual([created.body.id])
    })
  })
})
