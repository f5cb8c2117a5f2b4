import OpenAI from 'openai'
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions'
import { LlmCallError } from '../errors.js'

export interface LlmOptions {
  /** The chat model to use. */
  model: string
  /** An OpenAI-compatible endpoint (Azure, vLLM, Ollama, llama.cpp...). Default: OpenAI's. */
  baseUrl?: string
  apiKey?: string
  /** Recorded as the interactions' provider. Default `openai`, or `openai-compatible` with a base URL. */
  provider?: string
  /** Default 0: extraction and navigation should not vary. */
  temperature?: number
  timeoutMs?: number
  /** The client's own retries on connection errors, 429 and 5xx. Default 2. */
  maxRetries?: number
  /** An existing client (its base URL and key are used instead of the above). */
  client?: OpenAI
}

/** What one LLM call cost and asked, for tracing. */
export interface LlmUsage {
  provider: string
  model: string
  /** The model version the provider reports. */
  modelVersion?: string
  messages: ChatCompletionMessageParam[]
  promptTokens?: number
  completionTokens?: number
  totalTokens?: number
  finishReason?: string
  latencyMs: number
}

export interface ToolSpec {
  name: string
  description: string
  parameters: Record<string, unknown>
}

/** Chat completions through the official `openai` client: plain replies and forced tool calls. */
export class LlmClient {
  private readonly client: OpenAI
  readonly model: string
  readonly provider: string
  private readonly temperature: number

  constructor(options: LlmOptions) {
    this.client =
      options.client ??
      new OpenAI({
        baseURL: options.baseUrl,
        // Local servers (Ollama, llama.cpp) need no key, but the client insists on one.
        apiKey: options.apiKey ?? 'not-needed',
        timeout: options.timeoutMs ?? 60_000,
        maxRetries: options.maxRetries ?? 2,
      })
    this.model = options.model
    this.provider = options.provider ?? (options.baseUrl ? 'openai-compatible' : 'openai')
    this.temperature = options.temperature ?? 0
  }

  /** A text reply. */
  async write(what: string, messages: ChatCompletionMessageParam[]): Promise<{ text: string; usage: LlmUsage }> {
    const { message, usage } = await this.complete(what, messages)
    const text = typeof message.content === 'string' ? message.content.trim() : ''
    if (text === '') throw new LlmCallError(what, new Error('the model answered with no text'))
    return { text, usage }
  }

  /** Makes the model call one tool and answers its arguments, parsed (empty when it called none). */
  async callTool(what: string, messages: ChatCompletionMessageParam[], tool: ToolSpec): Promise<{ arguments: Record<string, unknown>; usage: LlmUsage }> {
    const tools: ChatCompletionTool[] = [{ type: 'function', function: tool }]
    const { message, usage } = await this.complete(what, messages, { tools, tool_choice: { type: 'function', function: { name: tool.name } } })
    const call = message.tool_calls?.find((candidate) => candidate.type === 'function' && candidate.function.name === tool.name)
    if (!call || call.type !== 'function') return { arguments: {}, usage }
    try {
      const parsed: unknown = JSON.parse(call.function.arguments || '{}')
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('the arguments are not a JSON object')
      return { arguments: parsed as Record<string, unknown>, usage }
    } catch (error) {
      throw new LlmCallError(what, new Error(`the model's ${tool.name} arguments are not usable: ${(error as Error).message}`))
    }
  }

  private async complete(
    what: string,
    messages: ChatCompletionMessageParam[],
    extra: { tools?: ChatCompletionTool[]; tool_choice?: OpenAI.Chat.Completions.ChatCompletionToolChoiceOption } = {},
  ) {
    const started = performance.now()
    let completion: OpenAI.Chat.Completions.ChatCompletion
    try {
      completion = await this.client.chat.completions.create({ model: this.model, temperature: this.temperature, messages, ...extra })
    } catch (error) {
      throw new LlmCallError(what, error)
    }
    const choice = completion.choices[0]
    if (!choice) throw new LlmCallError(what, new Error('the model answered with no choices'))
    const usage: LlmUsage = {
      provider: this.provider,
      model: this.model,
      ...(completion.model && completion.model !== this.model ? { modelVersion: completion.model } : {}),
      messages,
      promptTokens: completion.usage?.prompt_tokens,
      completionTokens: completion.usage?.completion_tokens,
      totalTokens: completion.usage?.total_tokens,
      finishReason: choice.finish_reason ?? undefined,
      latencyMs: Math.round((performance.now() - started) * 100) / 100,
    }
    return { message: choice.message, usage }
  }
}
