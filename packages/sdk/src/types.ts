import type {
  FeedbackKind,
  InteractionStatus,
  JsonObject,
  ToolCallStatus,
  WireChatMessage,
} from './wire/wire-types.js'

/** A point in time: a Date, epoch milliseconds, or an ISO 8601 string. */
export type TimeInput = Date | number | string

export interface ToolCallInput {
  id?: string
  name: string
  arguments?: unknown
  result?: unknown
  status?: ToolCallStatus
  error?: string
  latencyMs?: number
}

/**
 * One interaction as app code describes it (camelCase). Every field is optional; the SDK fills
 * `id` (UUIDv7) and `timestamp` (the moment of the call) and sends the wire's snake_case.
 */
export interface TrackInput {
  id?: string
  timestamp?: TimeInput
  endedAt?: TimeInput
  latencyMs?: number

  userId?: string
  threadId?: string
  sessionId?: string
  type?: string
  category?: string
  tags?: string[]
  metadata?: JsonObject

  provider?: string
  model?: string
  modelVersion?: string
  promptId?: string
  promptVersion?: string
  modelParameters?: JsonObject

  userMessage?: string
  messages?: WireChatMessage[]
  renderedPrompt?: string
  inputVariables?: JsonObject
  requiredVariables?: string[]

  assistantResponse?: string
  structuredOutput?: unknown
  rawResponse?: unknown
  finishReason?: string

  toolCalls?: ToolCallInput[]

  promptTokens?: number
  completionTokens?: number
  totalTokens?: number
  cachedTokens?: number
  reasoningTokens?: number
  costUsd?: number

  status?: InteractionStatus
  errorMessage?: string
  errorType?: string
  errorDetails?: unknown
  /** Convenience: an Error (or anything thrown) fills errorMessage, errorType and errorDetails, and status defaults to failure. */
  error?: unknown

  intents?: { name: string; confidence?: number }[]
  confidence?: number
  handoff?: boolean
  handoffReason?: string
  messageType?: string
  contextSize?: number
}

/** Fields merged into every event: the event's own values win; `metadata` is merged key by key and `tags` are combined. */
export type TrackDefaults = Omit<TrackInput, 'id' | 'timestamp' | 'endedAt' | 'latencyMs'>

export interface FeedbackInput {
  kind: FeedbackKind
  /** 1 (very negative) to 5 (very positive). */
  sentiment?: number
  /** 0 to 100. */
  qualityScore?: number
  comment?: string
  /** The answer the user would have wanted (for edits and corrections). */
  correction?: string
  categories?: string[]
}

export interface InterlogStats {
  /** Events waiting in memory (never more than maxQueueSize). */
  queued: number
  /** Events in the request being sent right now (at most one batch). */
  inFlight: number
  /** Events the server acknowledged (stored, or already stored under the same id). */
  sent: number
  /** Events given up: rejected by the server, invalid, or still failing after maxRetries. */
  failed: number
  /** Events evicted because the queue was full (oldest first). */
  dropped: number
  /** Request attempts repeated after a network error, timeout, 429 or 5xx. */
  retries: number
}
