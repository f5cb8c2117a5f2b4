import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** The tool call the stub asks for when a request offers tools and has no tool answer yet. */
export const STUB_TOOL_CALL = { id: 'call_weather_1', name: 'get_weather', arguments: '{"city":"Paris"}' }
export const STUB_FINAL_ANSWER = 'It is 21°C in Paris.'
export const STUB_PLAIN_ANSWER = 'Hello! How can I help?'
/** Requests for this model fail with a 500, like an upstream outage. */
export const BROKEN_MODEL = 'broken-model'

interface ChatRequest {
  model: string
  messages: { role: string; content?: unknown }[]
  tools?: unknown[]
}

function completion(request: ChatRequest, message: Record<string, unknown>, finishReason: string) {
  const promptTokens = JSON.stringify(request.messages).length % 50 + 10
  return {
    id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    // Providers answer with the exact version they ran.
    model: `${request.model}-2024-07-18`,
    choices: [{ index: 0, finish_reason: finishReason, logprobs: null, message: { role: 'assistant', refusal: null, ...message } }],
    usage: { prompt_tokens: promptTokens, completion_tokens: 7, total_tokens: promptTokens + 7 },
  }
}

function answer(request: ChatRequest) {
  if (request.messages.some((message) => message.role === 'tool')) return completion(request, { content: STUB_FINAL_ANSWER }, 'stop')
  if (request.tools && request.tools.length > 0) {
    const toolCall = { id: STUB_TOOL_CALL.id, type: 'function', function: { name: STUB_TOOL_CALL.name, arguments: STUB_TOOL_CALL.arguments } }
    return completion(request, { content: null, tool_calls: [toolCall] }, 'tool_calls')
  }
  return completion(request, { content: STUB_PLAIN_ANSWER }, 'stop')
}

function send(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json' })
  response.end(JSON.stringify(body))
}

/** A local OpenAI-compatible server (POST /v1/chat/completions) for the official `openai` client. */
export async function startOpenAiStub(): Promise<{ baseURL: string; stop(): Promise<void> }> {
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
        return send(response, 404, { error: { message: `no route ${request.method} ${request.url}`, type: 'invalid_request_error' } })
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequest
      if (body.model === BROKEN_MODEL) return send(response, 500, { error: { message: 'The upstream model is unavailable', type: 'server_error' } })
      return send(response, 200, answer(body))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    stop: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  }
}
