import { metrics } from '@opentelemetry/api'
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto'
import { OpenAIInstrumentation } from '@opentelemetry/instrumentation-openai'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { interactionsOfModel } from '../support/collect.js'
import { tenantWithKey, type ApiClient } from '../support/http.js'
import { startTestServer } from '../support/in-process-server.js'
import { BROKEN_MODEL, startOpenAiStub, STUB_FINAL_ANSWER, STUB_PLAIN_ANSWER, STUB_TOOL_CALL } from '../support/openai-stub.js'
import { tracingTo } from '../support/otel-tracing.js'

/**
 * The official `@opentelemetry/instrumentation-openai` puts spans on /v1/traces and the message
 * content on /v1/logs as GenAI events (gen_ai.user.message, gen_ai.choice, ...). Each export goes its
 * own way, so the tests send them in both orders.
 */
describe('OTLP GenAI events from @opentelemetry/instrumentation-openai (SQLite)', () => {
  let stop: () => Promise<void>
  let client: ApiClient
  let openaiStub: Awaited<ReturnType<typeof startOpenAiStub>>
  let openai: OpenAI
  let tracing: ReturnType<typeof tracingTo>
  let logs: LoggerProvider

  beforeAll(async () => {
    const server = await startTestServer('sqlite', 'otlp_logs')
    stop = server.stop
    const tenant = await tenantWithKey(server.url, 'events-team', ['ingest', 'read'])
    client = tenant.client
    const headers = { Authorization: `Bearer ${tenant.key}` }
    tracing = tracingTo(new OTLPTraceExporter({ url: `${server.url}/v1/traces`, headers }), 'events-bot')
    logs = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'events-bot' }),
      processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${server.url}/v1/logs`, headers }), scheduledDelayMillis: 60_000 })],
    })
    const instrumentation = new OpenAIInstrumentation({ captureMessageContent: true })
    instrumentation.setTracerProvider(tracing.provider)
    instrumentation.setLoggerProvider(logs)
    // Its duration and token metrics need a meter; the global no-op one will do.
    instrumentation.setMeterProvider(metrics.getMeterProvider())
    // What the require hook does when the application loads `openai`.
    for (const definition of instrumentation.getModuleDefinitions()) definition.patch?.({ OpenAI })
    openaiStub = await startOpenAiStub()
    openai = new OpenAI({ apiKey: 'sk-test', baseURL: openaiStub.baseURL, maxRetries: 0 })
  })
  afterAll(async () => {
    await tracing?.shutdown()
    await logs?.shutdown()
    await openaiStub?.stop()
    await stop?.()
  })

  const interactionsOf = (model: string) => interactionsOfModel(client, model)

  it('fills messages and the answer from events that arrive after the span', async () => {
    await openai.chat.completions.create({
      model: 'events-plain',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello there' },
      ],
    })
    await tracing.flush()
    const [spanOnly] = await interactionsOf('events-plain')
    expect(spanOnly).toMatchObject({ provider: 'openai', model: 'events-plain', prompt_tokens: expect.any(Number), completion_tokens: 7, finish_reason: 'stop' })
    expect(spanOnly.messages).toBeUndefined()

    await logs.forceFlush()
    const [joined, ...others] = await interactionsOf('events-plain')
    expect(others).toEqual([])
    expect(joined).toMatchObject({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello there' },
      ],
      user_message: 'Hello there',
      assistant_response: STUB_PLAIN_ANSWER,
      prompt_tokens: spanOnly.prompt_tokens,
    })
    expect(joined.metadata.otel.fields_from_events).toEqual(['assistant_response', 'messages', 'user_message'])
  })

  it('joins events that arrive before their span, and the tool span to the call id the events name', async () => {
    const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } }]
    const question = { role: 'user' as const, content: 'Weather in Paris?' }
    await tracing.tracer.startActiveSpan('invoke_agent weather-bot', { attributes: { 'gen_ai.operation.name': 'invoke_agent' } }, async (agent) => {
      const first = await openai.chat.completions.create({ model: 'events-tools', messages: [question], tools })
      const call = first.choices[0]!.message.tool_calls![0]!
      // The tool span names the call id; the model-call span does not (this instrumentation keeps content in events).
      tracing.tracer
        .startSpan('execute_tool get_weather', {
          attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'get_weather', 'gen_ai.tool.call.id': call.id, 'gen_ai.tool.call.result': '{"temperature_c":21}' },
        })
        .end()
      await openai.chat.completions.create({
        model: 'events-tools',
        tools,
        messages: [question, first.choices[0]!.message, { role: 'tool', tool_call_id: call.id, content: '{"temperature_c":21}' }],
      })
      agent.end()
    })
    await logs.forceFlush()
    await tracing.flush()
    const [asked, answered, ...others] = await interactionsOf('events-tools')
    expect(others).toEqual([])
    expect(asked.tool_calls).toEqual([
      { id: STUB_TOOL_CALL.id, name: 'get_weather', arguments: { city: 'Paris' }, result: { temperature_c: 21 }, status: 'success', latency_ms: expect.any(Number) },
    ])
    expect(asked.finish_reason).toBe('tool_calls')
    expect(answered.assistant_response).toBe(STUB_FINAL_ANSWER)
    expect(answered.messages).toEqual([
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: STUB_TOOL_CALL.id, type: 'function', function: { name: 'get_weather', arguments: STUB_TOOL_CALL.arguments } }],
      },
      { role: 'tool', tool_call_id: STUB_TOOL_CALL.id, content: '{"temperature_c":21}' },
    ])
  })

  it('records a failed call as a failure (this instrumentation ends the span with status ERROR)', async () => {
    await expect(openai.chat.completions.create({ model: BROKEN_MODEL, messages: [{ role: 'user', content: 'Anyone?' }] })).rejects.toThrow(/500/)
    await tracing.flush()
    await logs.forceFlush()
    const [failed, ...others] = await interactionsOf(BROKEN_MODEL)
    expect(others).toEqual([])
    expect(failed).toMatchObject({ status: 'failure', error_type: 'InternalServerError', user_message: 'Anyone?' })
    expect(failed.error_message).toContain('The upstream model is unavailable')
  })
})
