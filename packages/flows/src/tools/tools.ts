import type { WebhookToolDefinition } from '../definition/flow.types.js'
import { FlowError, ToolNotFoundError } from '../errors.js'

export interface ToolCallContext {
  flowId: string
  sessionId: string
  context: Readonly<Record<string, unknown>>
}

/** A tool as a function: the resolved arguments in, a JSON-able result out. */
export type ToolFunction = (args: Record<string, unknown>, call: ToolCallContext) => unknown

/** The answer of an MCP `tools/call`. */
export interface McpToolResult {
  content?: { type: string; text?: string }[]
  structuredContent?: Record<string, unknown>
  isError?: boolean
}

/**
 * Tools by name, in the shape of the Model Context Protocol's `tools/list` and `tools/call`, so an MCP
 * client (or anything that speaks like one) can serve a flow's tool nodes.
 */
export interface McpStyleToolProvider {
  listTools?(): Promise<{ tools: { name: string }[] }>
  callTool(request: { name: string; arguments: Record<string, unknown> }): Promise<McpToolResult>
}

export interface ToolsOptions {
  functions?: Record<string, ToolFunction>
  providers?: McpStyleToolProvider[]
  /** Webhook tools may only call URLs that start with one of these (default: any). */
  allowedWebhookPrefixes?: readonly string[]
  fetch?: typeof fetch
}

/** A tool that failed: its error is recorded on the step and the result field stays empty. */
export class ToolCallError extends FlowError {
  constructor(name: string, message: string) {
    super('tool_failed', `Tool '${name}' failed: ${message}`)
  }
}

/** Reads an MCP result: structured content first, else the text parts (as JSON when they parse). */
export function mcpResultValue(name: string, result: McpToolResult): unknown {
  const text = (result.content ?? []).flatMap((part) => (part.type === 'text' && typeof part.text === 'string' ? [part.text] : [])).join('\n')
  if (result.isError) throw new ToolCallError(name, text || 'the tool reported an error')
  if (result.structuredContent !== undefined) return result.structuredContent
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

export const webhookAllowed = (url: string, prefixes: readonly string[] | undefined) => prefixes === undefined || prefixes.some((prefix) => url.startsWith(prefix))

/** Finds and calls tools: functions first, then the flow's webhook tools, then MCP-style providers in order. */
export class ToolRegistry {
  private readonly functions: Record<string, ToolFunction>
  private readonly providers: McpStyleToolProvider[]
  private readonly providerOf = new Map<string, Promise<McpStyleToolProvider | undefined>>()

  constructor(private readonly options: ToolsOptions = {}) {
    this.functions = options.functions ?? {}
    this.providers = options.providers ?? []
  }

  /** false when no tool of that name can exist; undefined when only calling a provider will tell. */
  has(name: string): boolean | undefined {
    if (Object.hasOwn(this.functions, name)) return true
    return this.providers.length > 0 ? undefined : false
  }

  async call(name: string, args: Record<string, unknown>, call: ToolCallContext, webhooks: Record<string, WebhookToolDefinition> = {}): Promise<unknown> {
    const fn = Object.hasOwn(this.functions, name) ? this.functions[name] : undefined
    if (fn) return await fn(args, call)
    const webhook = Object.hasOwn(webhooks, name) ? webhooks[name] : undefined
    if (webhook) return this.callWebhook(name, webhook, args, call)
    const provider = await this.providerFor(name)
    if (!provider) throw new ToolNotFoundError(name)
    return mcpResultValue(name, await provider.callTool({ name, arguments: args }))
  }

  private providerFor(name: string): Promise<McpStyleToolProvider | undefined> {
    let found = this.providerOf.get(name)
    if (!found) {
      found = (async () => {
        for (const provider of this.providers) {
          if (!provider.listTools) return provider
          const { tools } = await provider.listTools()
          if (tools.some((tool) => tool.name === name)) return provider
        }
        return undefined
      })()
      found.catch(() => this.providerOf.delete(name))
      this.providerOf.set(name, found)
    }
    return found
  }

  private async callWebhook(name: string, tool: WebhookToolDefinition, args: Record<string, unknown>, call: ToolCallContext): Promise<unknown> {
    if (!webhookAllowed(tool.url, this.options.allowedWebhookPrefixes)) throw new ToolCallError(name, `calling ${tool.url} is not allowed here`)
    const response = await (this.options.fetch ?? fetch)(tool.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...tool.headers },
      body: JSON.stringify({ tool: name, arguments: args, flow_id: call.flowId, session_id: call.sessionId }),
      signal: AbortSignal.timeout(tool.timeout_ms ?? 10_000),
    })
    const text = await response.text()
    if (!response.ok) throw new ToolCallError(name, `${tool.url} answered ${response.status}: ${text.slice(0, 300)}`)
    try {
      return text === '' ? null : (JSON.parse(text) as unknown)
    } catch {
      throw new ToolCallError(name, `${tool.url} did not answer JSON`)
    }
  }
}
