import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto'
import OpenAI from 'openai'
import { OpenAIInstrumentation } from 'traceloop-instrumentation-openai-legacy'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { interactionsOfModel } from '../support/collect.js'
import { tenantWithKey, type ApiClient } from '../support/http.js'
import { startTestServer } from '../support/in-process-server.js'
import { startOpenAiStub, STUB_FINAL_ANSWER, STUB_PLAIN_ANSWER, STUB_TOOL_CALL } from '../support/openai-stub.js'
import { tracingTo } from '../support/otel-tracing.js'

/**
 * The older GenAI attribute style, as OpenLLMetry emitted it before the current conventions (and as
 * many deployed apps still do): `gen_ai.system`, `llm.request.type`, `gen_ai.prompt.<n>.*`,
 * `gen_ai.completion.<n>.*` with tool calls, `gen_ai.usage.prompt_tokens`, `llm.usage.total_tokens`.
 * Real client: @traceloop/instrumentation-openai 0.20 around the official `openai` client.
 */
describe('OTLP ingest of the older GenAI attributes (OpenLLMetry 0.20, SQLite)', () => {
  let stop: () => Promise<void>
  let client: ApiClient
  let openaiStub: Awaited<ReturnType<typeof startOpenAiStub>>
  let openai: OpenAI
  let tracing: ReturnType<typeof tracingTo>

  beforeAll(async () => {
    const server = await startTestServer('sqlite', 'otlp_legacy')
    stop = server.stop
    const tenant = await tenantWithKey(server.url, 'legacy-team', ['ingest', 'read'])
    client = tenant.client
    openaiStub = await startOpenAiStub()
    tracing = tracingTo(new OTLPTraceExporter({ url: `${server.url}/v1/traces`, headers: { Authorization: `Bearer ${tenant.key}` } }), 'legacy-bot')
    const instrumentation = new OpenAIInstrumentation()
    instrumentation.setTracerProvider(tracing.provider)
    instrumentation.manuallyInstrument(OpenAI)
    openai = new OpenAI({ apiKey: 'sk-test', baseURL: openaiStub.baseURL, maxRetries: 0 })
  })
  afterAll(async () => {
    await tracing?.shutdown()
    await openaiStub?.stop()
    await stop?.()
  })

  const interactionsOf = (model: string) => interactionsOfModel(client, model)

  it('reads model, indexed prompt and completion messages and the older token names', async () => {
    await openai.chat.completions.create({
      model: 'legacy-plain',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi!' },
      ],
    })
    await tracing.flush()
    const [stored, ...others] = await interactionsOf('legacy-plain')
    expect(others).toEqual([])
    expect(stored).toMatchObject({
      type: 'chat',
      provider: 'OpenAI',
      model: 'legacy-plain',
      model_version: 'legacy-plain-2024-07-18',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi!' },
      ],
      user_message: 'Hi!',
      assistant_response: STUB_PLAIN_ANSWER,
      finish_reason: 'stop',
      completion_tokens: 7,
      status: 'success',
    })
    expect(stored.total_tokens).toBe(stored.prompt_tokens + 7)
    // Nothing of the older style is left unread in the metadata.
    expect(Object.keys(stored.metadata).filter((key) => /^gen_ai\.(prompt|completion)\.\d/.test(key))).toEqual([])
  })

  it('reads the tool calls of a completion and the tool message of the next prompt', async () => {
    const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } }]
    const question = { role: 'user' as const, content: 'Weather in Paris?' }
    const first = await openai.chat.completions.create({ model: 'legacy-tools', messages: [question], tools })
    const call = first.choices[0]!.message.tool_calls![0]!
    await openai.chat.completions.create({
      model: 'legacy-tools',
      tools,
      messages: [question, first.choices[0]!.message, { role: 'tool', tool_call_id: call.id, content: '{"temperature_c":21}' }],
    })
    await tracing.flush()
    const [asked, answered] = await interactionsOf('legacy-tools')
    expect(asked.tool_calls).toEqual([{ name: STUB_TOOL_CALL.name, arguments: { city: 'Paris' } }])
    expect(asked.finish_reason).toBe('tool_calls')
    expect(answered.assistant_response).toBe(STUB_FINAL_ANSWER)
    expect(answered.messages.map((message: { role: string }) => message.role)).toEqual(['user', 'assistant', 'tool'])
    expect(answered.messages[2]).toMatchObject({ role: 'tool', content: '{"temperature_c":21}' })
  })
})
