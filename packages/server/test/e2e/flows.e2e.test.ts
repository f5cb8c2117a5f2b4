import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { offlineCustomerServiceFlow } from '@interlog/flows'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freshDatabase, STORE_KINDS } from '../support/databases.js'
import { anInteraction } from '../support/fixtures.js'
import { apiClient, keyFor, tenantWithKey, type ApiClient } from '../support/http.js'
import { startServerProcess, type ServerProcess } from '../support/server-process.js'
import { startToolServer } from '../support/tool-server.js'

const ROOF = "My roof is leaking, I'm John Smith, my number is 555-123-4567"

/** The example flow as a JSON body, its tools served over HTTP by the test's tool server. */
function exampleBody(toolUrl: string) {
  const { id: _id, ...flow } = offlineCustomerServiceFlow()
  return { ...flow, tools: { lookup_customer: { url: `${toolUrl}/crm/lookup` }, plan_task: { url: `${toolUrl}/tasks/plan` } } }
}

describe.each(STORE_KINDS)('flows over HTTP on %s', (kind) => {
  const database = freshDatabase(kind, 'flows')
  const args = ['--data', database.dataDir, ...(database.databaseUrl ? ['--database-url', database.databaseUrl] : [])]
  let tools: Awaited<ReturnType<typeof startToolServer>>
  let server: ServerProcess
  let acme: Awaited<ReturnType<typeof tenantWithKey>>
  let globex: Awaited<ReturnType<typeof tenantWithKey>>
  let admin: ApiClient
  const snapshots = join(database.dataDir, 'snapshots')
  const start = () =>
    startServerProcess({
      args,
      env: {
        INTERLOG_DATABASE_SCHEMA: database.databaseSchema,
        INTERLOG_FLOWS_TOOL_URL_PREFIXES: `${tools.url}/`,
        INTERLOG_FLOWS_SNAPSHOT_DIR: snapshots,
        INTERLOG_RATE_LIMIT_PER_MINUTE: '0',
      },
    })

  beforeAll(async () => {
    tools = await startToolServer()
    server = await start()
    acme = await tenantWithKey(server.url, 'acme', ['ingest', 'read'])
    globex = await tenantWithKey(server.url, 'globex', ['ingest', 'read', 'admin'])
    admin = (await keyFor(server.url, acme.tenantId, ['admin'])).client
  })
  afterAll(async () => {
    await server?.stop()
    await tools?.stop()
    await database.cleanup()
  })

  it('stores a flow per tenant: 201 then 200 on replace, listed, read, and refused with every problem named', async () => {
    expect((await admin.call('PUT', '/v1/flows/support', exampleBody(tools.url))).status).toBe(201)
    const replaced = await admin.call('PUT', '/v1/flows/support', { ...exampleBody(tools.url), name: 'Support' })
    expect(replaced.status).toBe(200)
    expect(replaced.body).toMatchObject({ id: 'support', name: 'Support', start: 'greet' })
    expect((await acme.client.get('/v1/flows')).body.flows.map((flow: { id: string }) => flow.id)).toEqual(['support'])
    expect((await acme.client.get('/v1/flows/support')).body.nodes.greet.edges[1]).toEqual({ to: 'capture_issue', advance: 'stepwise' })
    expect((await globex.client.get('/v1/flows/support')).status).toBe(404)
    expect((await acme.client.call('PUT', '/v1/flows/x', exampleBody(tools.url))).status).toBe(403)

    const broken = exampleBody(tools.url)
    broken.nodes.greet!.edges![1]!.to = 'nowhere'
    broken.nodes.propose = { kind: 'reply', template: 'Hi {{nickname}}' }
    const refused = await admin.call('PUT', '/v1/flows/broken', broken)
    expect(refused.status).toBe(400)
    expect(refused.body.error.details.issues).toEqual([
      { path: 'nodes.greet.edges.1.to', message: "no node named 'nowhere'" },
      { path: 'nodes.propose.template', message: "'nickname' is neither a field nor a tool's result_field" },
    ])
    const elsewhere = await admin.call('PUT', '/v1/flows/elsewhere', { ...exampleBody(tools.url), tools: { lookup_customer: { url: 'http://10.0.0.1/x' }, plan_task: { url: `${tools.url}/p` } } })
    expect(elsewhere.status).toBe(400)
    expect(elsewhere.body.error.details.issues[0].path).toBe('tools.lookup_customer.url')
    const llmOnly = await admin.call('PUT', '/v1/flows/llm', { fields: {}, start: 'a', nodes: { a: { kind: 'reply', instructions: 'Say hi' } } })
    expect(llmOnly.body.error.details.issues).toEqual([{ path: 'nodes.a.template', message: 'without an LLM a reply node needs a template' }])
    const typo = await admin.call('PUT', '/v1/flows/typo', { ...exampleBody(tools.url), strat: 'greet' })
    expect(typo.status).toBe(400)
    expect(typo.body.error.details.issues[0]).toMatchObject({ path: 'strat', code: 'unknown_field' })
    expect((await acme.client.get('/v1/flows/broken')).status).toBe(404)
  })

  it('runs turns: one message fills three fields and the flow runs its automatic steps, tools and all', async () => {
    const hello = await acme.client.post('/v1/flows/support/sessions/s1/messages', { message: 'Hi', user_id: 'cust-42' })
    expect(hello.status).toBe(200)
    expect(hello.body).toMatchObject({ replies: ["Hello! You've reached Acme Home Services. How can I help you today?"], path: ['greet'], stopped: 'waiting' })

    const turn = await acme.client.post('/v1/flows/support/sessions/s1/messages', { message: ROOF })
    expect(turn.status).toBe(200)
    expect(turn.body.fields).toEqual({ customer_name: 'John Smith', customer_phone_number: '+15551234567', customer_email: null, main_ask: 'My roof is leaking' })
    expect(turn.body.path).toEqual(['acknowledge', 'lookup_customer', 'plan_task', 'propose'])
    expect(turn.body.replies).toHaveLength(2)
    expect(turn.body.context).toMatchObject({ customer_id: 'cust-0001', task: expect.stringContaining('task-0001') })
    expect(turn.body.transitions[1]).toEqual({
      from: 'acknowledge',
      to: 'lookup_customer',
      advance: 'auto',
      reason: 'customer_name and customer_phone_number are known',
      judged_by: 'condition',
    })
    expect(tools.calls.find((call) => call.tool === 'lookup_customer')).toEqual({
      tool: 'lookup_customer',
      arguments: { name: 'John Smith', phone: '+15551234567' },
      flow_id: 'support',
      session_id: 's1',
    })

    const session = await acme.client.get('/v1/flows/support/sessions/s1')
    expect(session.body).toMatchObject({ node: 'propose', waiting: true, status: 'active', user_id: 'cust-42', turns: 2, fields: turn.body.fields })
    expect(session.body.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'assistant'])
    expect((await acme.client.get('/v1/flows/support/sessions')).body).toMatchObject({ total_count: 1, sessions: [{ session_id: 's1' }] })
    // The debugging snapshot: the same state, as a JSON file per tenant, flow and session.
    const snapshot = join(snapshots, acme.tenantId, 'support', 's1.json')
    expect(existsSync(snapshot)).toBe(true)
    expect(JSON.parse(readFileSync(snapshot, 'utf8'))).toEqual(session.body)

    // Every step is an interaction of the session's thread, recorded before the turn was answered.
    const thread = await acme.client.get('/v1/interactions?thread_id=s1&limit=200')
    const types = (thread.body.interactions as { type: string; user_id: string; metadata: { flow_id: string } }[]).map((i) => i.type)
    expect(new Set(types)).toEqual(new Set(['flow.reply', 'flow.extract', 'flow.navigate', 'flow.tool']))
    expect(types.filter((type) => type === 'flow.tool')).toHaveLength(2)
    expect(thread.body.interactions.every((i: { user_id: string; session_id: string }) => i.user_id === 'cust-42' && i.session_id === 's1')).toBe(true)
    const tool = thread.body.interactions.find((i: { type: string }) => i.type === 'flow.tool')
    expect(tool.tool_calls[0]).toMatchObject({ status: 'success' })
  })

  it('keeps sessions apart per tenant and per end user', async () => {
    expect((await globex.client.get('/v1/flows/support/sessions/s1')).status).toBe(404)
    expect((await globex.client.post('/v1/flows/support/sessions/s1/messages', { message: 'hi' })).status).toBe(404)
    const ana = await keyFor(server.url, acme.tenantId, ['ingest', 'read'], 'ana')
    const bob = await keyFor(server.url, acme.tenantId, ['ingest', 'read'], 'bob')
    expect((await ana.client.post('/v1/flows/support/sessions/ana-1/messages', { message: 'hello' })).status).toBe(200)
    expect((await ana.client.get('/v1/flows/support/sessions/ana-1')).body.user_id).toBe('ana')
    expect((await bob.client.get('/v1/flows/support/sessions/ana-1')).status).toBe(404)
    expect((await bob.client.post('/v1/flows/support/sessions/ana-1/messages', { message: 'hijack' })).status).toBe(404)
    expect((await ana.client.post('/v1/flows/support/sessions/ana-2/messages', { message: 'hello', user_id: 'bob' })).status).toBe(403)
    expect((await bob.client.get('/v1/flows/support/sessions')).body.total_count).toBe(0)
    expect((await acme.client.post('/v1/flows/support/sessions/s9/messages', { message: '' })).body.error.details.issues[0].path).toBe('message')
  })

  it('keeps the session across a restart and goes on where it stopped; an ended session answers 409', async () => {
    await server.stop()
    server = await start()
    acme = { ...acme, client: apiClient(server.url, acme.key) }
    globex = { ...globex, client: apiClient(server.url, globex.key) }
    const done = await acme.client.post('/v1/flows/support/sessions/s1/messages', { message: 'Yes please, go ahead' })
    expect(done.body).toMatchObject({ path: ['booked'], status: 'completed', stopped: 'completed' })
    expect(done.body.replies[0]).toContain('+15551234567')
    const again = await acme.client.post('/v1/flows/support/sessions/s1/messages', { message: 'hello?' })
    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('conflict')
  })

  it('extracts from any conversation and from a stored thread, offline without an LLM', async () => {
    const fields = { customer_name: 'full name', customer_email: 'email', main_ask: 'what they need' }
    const adHoc = await acme.client.post('/v1/extract', {
      messages: [
        { role: 'assistant', content: "I'm Sarah from Acme, how can I help?" },
        { role: 'user', content: 'Hi, I am Ana Lima, my water heater is leaking. ana@example.com' },
      ],
      fields,
    })
    expect(adHoc.body).toEqual({ fields: { customer_name: 'Ana Lima', customer_email: 'ana@example.com', main_ask: 'My water heater is leaking' }, engine: 'offline' })
    const noLlm = await acme.client.post('/v1/extract', { messages: [{ role: 'user', content: 'hi' }], fields, engine: 'llm' })
    expect(noLlm.status).toBe(400)
    expect(noLlm.body.error.details.issues[0].path).toBe('engine')
    expect((await acme.client.post('/v1/extract', { messages: [], fields })).body.error.details.issues[0].path).toBe('messages')

    await acme.client.post('/v1/interactions', anInteraction({ thread_id: 'chat-7', user_message: 'The fridge is warm', assistant_response: 'What is your name?', timestamp: '2026-01-01T10:00:00Z' }))
    await acme.client.post('/v1/interactions', anInteraction({ thread_id: 'chat-7', user_message: 'Omar Haddad, omar@example.com', assistant_response: 'Thanks!', timestamp: '2026-01-01T10:01:00Z' }))
    const fromThread = await acme.client.post('/v1/threads/chat-7/extract', { fields })
    expect(fromThread.body).toEqual({ fields: { customer_name: 'Omar Haddad', customer_email: 'omar@example.com', main_ask: 'The fridge is warm' }, engine: 'offline' })
    expect((await globex.client.post('/v1/threads/chat-7/extract', { fields })).status).toBe(404)
  })

  it('lists the flow routes in the OpenAPI document', async () => {
    const openapi = await apiClient(server.url, '').get('/openapi.json')
    for (const path of ['/v1/flows', '/v1/flows/{flow_id}', '/v1/flows/{flow_id}/sessions', '/v1/flows/{flow_id}/sessions/{session_id}', '/v1/flows/{flow_id}/sessions/{session_id}/messages', '/v1/extract', '/v1/threads/{thread_id}/extract']) {
      expect(Object.keys(openapi.body.paths)).toContain(path)
    }
    expect(Object.keys(openapi.body.components.schemas)).toEqual(expect.arrayContaining(['FlowDefinitionCreate', 'FlowCondition', 'FlowTurn', 'FlowSession', 'ExtractRequest', 'ExtractResult']))
  })
})
