import type { Interlog, TrackInput, WireChatMessage } from '@interlog/sdk'
import type { LlmUsage } from '../llm/llm-client.js'

/** Where a flow's steps are recorded: an interlog SDK client (or anything with its `track`). */
export type FlowTracer = Pick<Interlog, 'track'>

export type StepType = 'flow.reply' | 'flow.extract' | 'flow.navigate' | 'flow.tool'

export interface TraceScope {
  flowId: string
  sessionId: string
  userId: string | null
}

function llmFields(usage: LlmUsage): TrackInput {
  return {
    provider: usage.provider,
    model: usage.model,
    modelVersion: usage.modelVersion,
    messages: usage.messages.map((message) => ({ ...message }) as WireChatMessage),
    promptTokens: usage.promptTokens,
    completionTokens: usage.completionTokens,
    totalTokens: usage.totalTokens,
    finishReason: usage.finishReason,
    latencyMs: usage.latencyMs,
  }
}

/**
 * Records every step of a flow as one interaction: thread and session are the flow session, the type
 * says which step, metadata says which flow and node. LLM steps carry model, messages and tokens.
 */
export class StepTracer {
  constructor(
    private readonly tracer: FlowTracer | undefined,
    private readonly scope: TraceScope,
  ) {}

  record(type: StepType, node: string, fields: TrackInput, usage?: LlmUsage, metadata: Record<string, unknown> = {}): void {
    if (!this.tracer) return
    this.tracer.track({
      type,
      threadId: this.scope.sessionId,
      sessionId: this.scope.sessionId,
      ...(this.scope.userId === null ? {} : { userId: this.scope.userId }),
      tags: ['flow'],
      ...(usage ? llmFields(usage) : {}),
      ...fields,
      metadata: { flow_id: this.scope.flowId, node, ...metadata },
    })
  }
}
