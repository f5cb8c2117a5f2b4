import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ChatRequest {
  model: string
  messages: { role: string; content?: unknown }[]
  tools?: { type: string; function: { name: string; description?: string; parameters: { properties: Record<string, { type: string; description?: string }>; required?: string[] } } }[]
  tool_choice?: unknown
  temperature?: number
}

/** What the scripted model answers: text, a tool call, or an HTTP error. */
export type ScriptedAnswer = { content: string } | { tool: string; arguments: Record<string, unknown> } | { status: number; message: string }

export type Script = (request: ChatRequest) => ScriptedAnswer

/** The forced tool of a request (`tool_choice`), if any. */
export const forcedTool = (request: ChatRequest) => (request.tool_choice as { function?: { name?: string } } | undefined)?.function?.name

function completion(request: ChatRequest, answer: Exclude<ScriptedAnswer, { status: number }>) {
  const message =
    'content' in answer
      ? { role: 'assistant', content: answer.content, refusal: null }
      : { role: 'assistant', content: null, refusal: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: answer.tool, arguments: JSON.stringify(answer.arguments) } }] }
  return {
    id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: `${request.model}-2025-01-01`,
    choices: [{ index: 0, finish_reason: 'content' in answer ? 'stop' : 'tool_calls', logprobs: null, message }],
    usage: { prompt_tokens: 40, completion_tokens: 9, total_tokens: 49 },
  }
}

/**
 * A local OpenAI-compatible server (POST /v1/chat/completions) whose answers a test scripts, so the
 * official `openai` client runs for real and nothing reaches a provider. Every request is kept.
 */
export async function startScriptedLlm(script: Script): Promise<{ baseURL: string; requests: ChatRequest[]; stop(): Promise<void> }> {
  const requests: ChatRequest[] = []
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const send = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' })
        response.end(JSON.stringify(body))
      }
      if (request.method !== 'POST' || request.url !== '/v1/chat/completions') return send(404, { error: { message: `no route ${request.url}` } })
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequest
      requests.push(body)
      let answer: ScriptedAnswer
      try {
        answer = script(body)
      } catch (error) {
        answer = { status: 500, message: (error as Error).message }
      }
      if ('status' in answer) return send(answer.status, { error: { message: answer.message, type: 'server_error' } })
      return send(200, completion(body, answer))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    stop: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  }
}
