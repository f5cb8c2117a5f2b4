import { customerServiceFlow, UPDATE_CONTEXT_TOOL } from '@interlog/flows'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { forcedTool, startScriptedLlm, type ChatRequest } from '../../../flows/test/support/scripted-llm.js'
import { freshDatabase, STORE_KINDS } from '../support/databases.js'
import { keyFor, tenantWithKey } from '../support/http.js'
import { startServerProcess, type ServerProcess } from '../support/server-process.js'
import { startToolServer } from '../support/tool-server.js'

const text = (request: ChatRequest) => request.messages.map((message) => String(message.content)).join('\n')

/** The model: extracts the roof conversation, judges "yes" as agreement, and writes replies naming their task. */
function model(request: ChatRequest) {
  const tool = forcedTool(request)
  if (text(request).includes('explode')) return { status: 500, message: 'the model is down' }
  if (tool === UPDATE_CONTEXT_TOOL) {
    return text(request).includes('roof') ? { tool, arguments: { customer_name: 'John Smith', customer_phone_number: '+15551234567', main_ask: 'Leaking roof' } } : { tool, arguments: {} }
  }
  if (tool === 'judge_statements') return { tool, arguments: { s1: /Customer: yes/i.test(text(request)), s2: false, reason: 'the customer said yes' } }
  return { content: `LLM reply: ${/Your task for this message: (.*)/.exec(String(request.messages[0]!.content))![1]}` }
}

describe.each(STORE_KINDS)('flows with an LLM on %s', (kind) => {
  const database = freshDatabase(kind, 'flowsllm')
  let llm: Awaited<ReturnType<typeof startScriptedLlm>>
  let tools: Awaited<ReturnType<typeof startToolServer>>
  let server: ServerProcess
  let acme: Awaited<ReturnType<typeof tenantWithKey>>

  beforeAll(async () => {
    llm = await startScriptedLlm(model)
    tools = await startToolServer()
    server = await startServerProcess({
      args: ['--data', database.dataDir, ...(database.databaseUrl ? ['--database-url', database.databaseUrl] : [])],
      env: {
        INTERLOG_DATABASE_SCHEMA: database.databaseSchema,
        INTERLOG_FLOWS_LLM_MODEL: 'test-model',
        INTERLOG_FLOWS_LLM_BASE_URL: llm.baseURL,
        INTERLOG_FLOWS_LLM_API_KEY: 'test-key',
        INTERLOG_FLOWS_TOOL_URL_PREFIXES: `${tools.url}/`,
      },
    })
    acme = await tenantWithKey(server.url, 'acme', ['ingest', 'read'])
    const { id: _id, ...flow } = customerServiceFlow
    const admin = (await keyFor(server.url, acme.tenantId, ['admin'])).client
    const put = await admin.call('PUT', '/v1/flows/support', { ...flow, tools: { lookup_customer: { url: `${tools.url}/lookup` }, plan_task: { url: `${tools.url}/plan` } } })
    expect(put.status).toBe(201)
  })
  afterAll(async () => {
    await server?.stop()
    await Promise.all([llm?.stop(), tools?.stop()])
    await database.cleanup()
  })

  it('writes replies, extracts with update_context and navigates with the configured OpenAI-compatible model', async () => {
    const hello = await acme.client.post('/v1/flows/support/sessions/s1/messages', { message: 'Hi' })
    expect(hello.body.replies).toEqual(['LLM reply: Greet the customer as Acme Home Services and ask how you can help.'])
    const turn = await acme.client.post('/v1/flows/support/sessions/s1/messages', { message: "My roof is leaking, I'm John Smith, my number is 555-123-4567" })
    expect(turn.body.fields).toMatchObject({ customer_name: 'John Smith', main_ask: 'Leaking roof' })
    expect(turn.body.path).toEqual(['acknowledge', 'lookup_customer', 'plan_task', 'propose'])
    const done = await acme.client.post('/v1/flows/support/sessions/s1/messages', { message: 'yes' })
    expect(done.body.transitions[0]).toMatchObject({ to: 'booked', judged_by: 'llm' })
    expect(llm.requests.every((request) => request.model === 'test-model')).toBe(true)

    const steps = await acme.client.get('/v1/interactions?thread_id=s1&provider=openai-compatible&limit=200')
    const types = new Set(steps.body.interactions.map((i: { type: string }) => i.type))
    expect(types).toEqual(new Set(['flow.reply', 'flow.extract', 'flow.navigate']))
    expect(steps.body.interactions[0]).toMatchObject({ model: 'test-model', prompt_tokens: 40, completion_tokens: 9 })
  })

  it('extracts with the LLM by default, and answers 502 when the model fails', async () => {
    const extracted = await acme.client.post('/v1/extract', { messages: [{ role: 'user', content: 'my roof leaks' }], fields: { main_ask: 'what they need' } })
    expect(extracted.body).toEqual({ fields: { main_ask: 'Leaking roof' }, engine: 'llm' })
    expect((await acme.client.post('/v1/extract', { messages: [{ role: 'user', content: 'my roof leaks' }], fields: { main_ask: 'ask' }, engine: 'offline' })).body.engine).toBe('offline')
    const failed = await acme.client.post('/v1/flows/support/sessions/s2/messages', { message: 'please explode' })
    expect(failed.status).toBe(502)
    expect(failed.body.error).toMatchObject({ code: 'upstream_error', message: expect.stringContaining('the model is down') })
    expect((await acme.client.get('/v1/flows/support/sessions/s2')).body.messages).toHaveLength(1)
  })
})
