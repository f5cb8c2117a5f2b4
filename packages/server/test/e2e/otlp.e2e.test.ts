import { SpanStatusCode, type Span } from '@opentelemetry/api'
import { ExportResultCode, type ExportResult } from '@opentelemetry/core'
import { OTLPTraceExporter as OtlpHttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto'
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base'
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node'
import { OpenAIInstrumentation } from '@traceloop/instrumentation-openai'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { interactionsOfModel } from '../support/collect.js'
import { tenantWithKey, type ApiClient } from '../support/http.js'
import { startTestServer } from '../support/in-process-server.js'
import { BROKEN_MODEL, startOpenAiStub, STUB_FINAL_ANSWER, STUB_PLAIN_ANSWER, STUB_TOOL_CALL } from '../support/openai-stub.js'
import { tracingTo } from '../support/otel-tracing.js'

/**
 * The OpenTelemetry Node SDK with the official OTLP exporters (JSON and protobuf) and OpenLLMetry's
 * OpenAI instrumentation around the official `openai` client, talking to a local OpenAI-compatible
 * server: what a team that already instruments with OpenTelemetry sends, unchanged but for the URL.
 */
describe('OTLP ingest from OpenTelemetry clients (SQLite)', () => {
  let stop: () => Promise<void>
  let url: string
  let key: string
  let client: ApiClient
  let openaiStub: Awaited<ReturnType<typeof startOpenAiStub>>
  let openai: OpenAI
  const instrumentation = new OpenAIInstrumentation()

  beforeAll(async () => {
    const server = await startTestServer('sqlite', 'otlp')
    stop = server.stop
    url = server.url
    ;({ key, client } = await tenantWithKey(url, 'otel-team', ['ingest', 'read']))
    openaiStub = await startOpenAiStub()
    // Instrumentation patches the client class, as it does when it hooks `require('openai')`.
    instrumentation.manuallyInstrument(OpenAI)
    openai = new OpenAI({ apiKey: 'sk-test', baseURL: openaiStub.baseURL, maxRetries: 0 })
  })
  afterAll(async () => {
    await openaiStub?.stop()
    await stop?.()
  })

  const interactionsOf = (model: string) => interactionsOfModel(client, model)

  const exporters = {
    'JSON (exporter-trace-otlp-http)': (endpoint: string, apiKey: string) =>
      new OtlpHttpJsonExporter({ url: endpoint, headers: { Authorization: `Bearer ${apiKey}` } }),
    'protobuf (exporter-trace-otlp-proto)': (endpoint: string, apiKey: string) =>
      new OtlpProtoExporter({ url: endpoint, headers: { Authorization: `Bearer ${apiKey}` }, compression: 'gzip' as never }),
  }

  describe.each(Object.entries(exporters))('%s', (label, makeExporter) => {
    const suffix = label.startsWith('JSON') ? 'json' : 'proto'
    let tracing: ReturnType<typeof tracingTo>

    beforeAll(() => {
      tracing = tracingTo(makeExporter(`${url}/v1/traces`, key), `support-bot-${suffix}`)
      instrumentation.setTracerProvider(tracing.provider)
    })
    afterAll(() => tracing?.shutdown())

    it('turns a plain chat completion into an interaction with model, messages, answer and tokens', async () => {
      const model = `plain-${suffix}`
      const completion = await openai.chat.completions.create({
        model,
        temperature: 0.2,
        messages: [
          { role: 'system', content: 'You are a helpful assistant.' },
          { role: 'user', content: 'Hello there' },
        ],
      })
      expect(completion.choices[0]!.message.content).toBe(STUB_PLAIN_ANSWER)
      await tracing.flush()

      const [stored, ...others] = await interactionsOf(model)
      expect(others).toEqual([])
      expect(stored).toMatchObject({
        type: 'chat',
        provider: 'openai',
        model,
        model_version: `${model}-2024-07-18`,
        status: 'success',
        user_message: 'Hello there',
        assistant_response: STUB_PLAIN_ANSWER,
        finish_reason: 'stop',
        prompt_tokens: completion.usage!.prompt_tokens,
        completion_tokens: 7,
        total_tokens: completion.usage!.total_tokens,
        model_parameters: { temperature: 0.2 },
        messages: [
          { role: 'system', content: 'You are a helpful assistant.' },
          { role: 'user', content: 'Hello there' },
        ],
      })
      expect(stored.id).toBe(`otel-${stored.metadata.otel.trace_id}-${stored.metadata.otel.span_id}`)
      expect(stored.metadata.otel.resource['service.name']).toBe(`support-bot-${suffix}`)
      expect(stored.metadata['gen_ai.response.id']).toMatch(/^chatcmpl-/)
      expect(stored.latency_ms).toBeGreaterThan(0)
    })

    it('joins the execute_tool span of a tool call round trip to the model call that requested it', async () => {
      const model = `tools-${suffix}`
      const tools = [
        {
          type: 'function' as const,
          function: { name: 'get_weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
        },
      ]
      const question = { role: 'user' as const, content: 'What is the weather in Paris?' }
      let traceId = ''
      await tracing.tracer.startActiveSpan('invoke_agent weather-bot', { attributes: { 'gen_ai.operation.name': 'invoke_agent' } }, async (agent: Span) => {
        traceId = agent.spanContext().traceId
        const first = await openai.chat.completions.create({ model, messages: [question], tools })
        const requested = first.choices[0]!.message.tool_calls![0]!
        expect(requested.id).toBe(STUB_TOOL_CALL.id)
        // With JSON the model call is exported before the tool runs, so the tool span joins it in a later request.
        if (suffix === 'json') await tracing.flush()
        const result = await tracing.tracer.startActiveSpan(
          'execute_tool get_weather',
          {
            attributes: {
              'gen_ai.operation.name': 'execute_tool',
              'gen_ai.tool.name': 'get_weather',
              'gen_ai.tool.call.id': requested.id,
              'gen_ai.tool.call.arguments': requested.type === 'function' ? requested.function.arguments : '',
            },
          },
          async (tool: Span) => {
            const output = JSON.stringify({ temperature_c: 21 })
            tool.setAttribute('gen_ai.tool.call.result', output)
            tool.end()
            return output
          },
        )
        const second = await openai.chat.completions.create({
          model,
          tools,
          messages: [question, first.choices[0]!.message, { role: 'tool', tool_call_id: requested.id, content: result }],
        })
        expect(second.choices[0]!.message.content).toBe(STUB_FINAL_ANSWER)
        agent.end()
      })
      await tracing.flush()

      const [asked, answered, ...others] = await interactionsOf(model)
      expect(others).toEqual([])
      expect(asked.metadata.otel.trace_id).toBe(traceId)
      expect(answered.metadata.otel.trace_id).toBe(traceId)
      expect(asked).toMatchObject({ finish_reason: 'tool_call', user_message: 'What is the weather in Paris?' })
      expect(asked.tool_calls).toEqual([
        {
          id: STUB_TOOL_CALL.id,
          name: 'get_weather',
          arguments: { city: 'Paris' },
          result: { temperature_c: 21 },
          status: 'success',
          latency_ms: expect.any(Number),
        },
      ])
      expect(answered).toMatchObject({ assistant_response: STUB_FINAL_ANSWER, finish_reason: 'stop' })
      expect(answered.messages).toEqual([
        { role: 'user', content: 'What is the weather in Paris?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: STUB_TOOL_CALL.id, type: 'function', function: { name: 'get_weather', arguments: STUB_TOOL_CALL.arguments } }],
        },
        { role: 'tool', tool_call_id: STUB_TOOL_CALL.id, content: '{"temperature_c":21}' },
      ])
      expect(answered.tool_calls).toBeUndefined()
    })

    it('records a failed model call as a failure with its error (application-made GenAI span)', async () => {
      // OpenLLMetry 0.27 never ends its span when a non-streaming call fails, so that span is never
      // exported; applications that instrument the call themselves (as the GenAI conventions describe) are read.
      await tracing.tracer.startActiveSpan(
        `chat ${BROKEN_MODEL}`,
        { attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': `${BROKEN_MODEL}-${suffix}`, 'user.id': 'ann' } },
        async (span: Span) => {
          try {
            await openai.chat.completions.create({ model: BROKEN_MODEL, messages: [{ role: 'user', content: 'Anyone there?' }] })
          } catch (error) {
            span.recordException(error as Error)
            span.setAttribute('error.type', (error as Error).constructor.name)
            span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message })
          }
          span.end()
        },
      )
      await tracing.flush()
      const [failed, ...others] = await interactionsOf(`${BROKEN_MODEL}-${suffix}`)
      expect(others).toEqual([])
      expect(failed).toMatchObject({
        status: 'failure',
        error_message: '500 The upstream model is unavailable',
        error_type: 'InternalServerError',
        user_id: 'ann',
      })
      expect(failed.error_details.stacktrace).toContain('The upstream model is unavailable')
    })

    it('ignores spans that are not GenAI calls', async () => {
      const before = (await client.get('/v1/interactions?limit=1')).body.total_count
      tracing.tracer.startActiveSpan('GET /health', { attributes: { 'http.request.method': 'GET' } }, (span: Span) => span.end())
      await tracing.flush()
      expect((await client.get('/v1/interactions?limit=1')).body.total_count).toBe(before)
    })
  })

  it('stores nothing and the exporter reports failure when the key is wrong', async () => {
    const exporter = new OtlpProtoExporter({ url: `${url}/v1/traces`, headers: { Authorization: 'Bearer il_wrong' } })
    const span = new NodeTracerProvider().getTracer('app').startSpan('chat x', {
      attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'wrong-key-model' },
    })
    span.end()
    const result = await new Promise<ExportResult>((resolve) => exporter.export([span as unknown as ReadableSpan], resolve))
    expect(result.code).toBe(ExportResultCode.FAILED)
    expect(result.error?.message).toBe('Unauthorized')
    await exporter.shutdown()
    expect(await interactionsOf('wrong-key-model')).toEqual([])
  })
})
