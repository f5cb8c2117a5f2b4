import type { FlowAdvance, FlowCondition } from '@interlog/schema'

/** What a TypeScript predicate sees: the context (fields and tool results) and the conversation. */
export interface ConditionInput {
  context: Readonly<Record<string, unknown>>
  /** The customer's last message ('' before the first). */
  lastCustomerMessage: string
}

export type Predicate = ((input: ConditionInput) => boolean) & { description?: string }

/** A JSON condition, a description for the LLM navigator, or (in TypeScript) a predicate function. */
export type When = FlowCondition | string | Predicate

export interface Edge {
  to: string
  /** Absent: always. */
  when?: When
  /** Default `auto`. */
  advance?: FlowAdvance
}

export interface ReplyNode {
  kind: 'reply'
  /** What the LLM should write; used when the engine has an LLM. */
  instructions?: string
  /** The reply without an LLM: `{{field}}` is replaced by its value. */
  template?: string
  edges?: Edge[]
}

export type ToolArgument = string | number | boolean | null

export interface ToolNode {
  kind: 'tool'
  tool: string
  /** `"{{field}}"` alone passes the value as it is; inside text it is interpolated. */
  arguments?: Record<string, ToolArgument>
  /** The context value that receives the result. */
  result_field: string
  edges?: Edge[]
}

export type Node = ReplyNode | ToolNode

export interface WebhookToolDefinition {
  url: string
  description?: string
  headers?: Record<string, string>
  timeout_ms?: number
}

/**
 * A flow: the fields to extract, the nodes, and where it starts. The same shape as the JSON form
 * (`FlowDefinitionInput` in @interlog/schema), except that `when` may also be a function.
 */
export interface Flow {
  id: string
  name?: string
  /** Who the agent is; given to the LLM with every reply. */
  description?: string
  /** Field name → what it means (the extraction agent's instructions). */
  fields: Record<string, string>
  start: string
  nodes: Record<string, Node>
  /** Tools called over HTTP (the server's way of giving flows tools). */
  tools?: Record<string, WebhookToolDefinition>
}
