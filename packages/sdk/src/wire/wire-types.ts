/**
 * What goes over the wire, in the server's snake_case. Written out by hand (not imported from
 * @interlog/schema) so the published package has no dependencies; a test checks that every event the
 * SDK builds is accepted by the server's own `InteractionInput` schema.
 */

export type JsonObject = Record<string, unknown>

/** A chat message in the OpenAI shape (`role`, `content`, and keys like `tool_calls`, `tool_call_id`). */
export interface WireChatMessage {
  role: string
  content?: string | unknown[] | null
  [key: string]: unknown
}

export type ToolCallStatus = 'success' | 'failure' | 'pending'
export type InteractionStatus = 'success' | 'failure' | 'partial'

export interface WireToolCall {
  id?: string
  name: string
  arguments?: unknown
  result?: unknown
  status?: ToolCallStatus
  error?: string
  latency_ms?: number
}

export interface WireIntent {
  name: string
  confidence?: number
}

export interface WireInteraction {
  id: string
  timestamp?: string
  ended_at?: string
  latency_ms?: number
  user_id?: string
  thread_id?: string
  session_id?: string
  type?: string
  category?: string
  tags?: string[]
  metadata?: JsonObject
  provider?: string
  model?: string
  model_version?: string
  prompt_id?: string
  prompt_version?: string
  model_parameters?: JsonObject
  user_message?: string
  messages?: WireChatMessage[]
  rendered_prompt?: string
  input_variables?: JsonObject
  required_variables?: string[]
  assistant_response?: string
  structured_output?: unknown
  raw_response?: unknown
  finish_reason?: string
  tool_calls?: WireToolCall[]
  prompt_tokens?: number
  completion_tokens?: number
  total_tokens?: number
  cached_tokens?: number
  reasoning_tokens?: number
  cost_usd?: number
  status?: InteractionStatus
  error_message?: string
  error_type?: string
  error_details?: unknown
  intents?: WireIntent[]
  confidence?: number
  handoff?: boolean
  handoff_reason?: string
  message_type?: string
  context_size?: number
}

export const FEEDBACK_KINDS = ['thumbs_up', 'thumbs_down', 'accepted', 'rejected', 'modified', 'edit', 'report'] as const
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number]

export interface WireFeedback {
  kind: FeedbackKind
  sentiment?: number
  quality_score?: number
  comment?: string
  correction?: string
  categories?: string[]
}

/** What `redact` sees: one event about to leave the process, already in wire shape. */
export type OutgoingEvent =
  | { kind: 'interaction'; interaction: WireInteraction }
  | { kind: 'feedback'; interactionId: string; feedback: WireFeedback }
