import type { FlowSession, FlowTurn } from '@interlog/schema'
import { checkFlow } from '../definition/check-flow.js'
import type { Flow } from '../definition/flow.types.js'
import { FlowError, SessionCompletedError } from '../errors.js'
import type { Extractor } from '../extraction/extractor.js'
import { LlmExtractor } from '../extraction/llm.extractor.js'
import { OfflineExtractor } from '../extraction/offline/offline.extractor.js'
import { LlmClient, type LlmOptions } from '../llm/llm-client.js'
import { ToolRegistry, webhookAllowed, type ToolsOptions } from '../tools/tools.js'
import { KeyedQueue, newSession } from './session-state.js'
import { MemorySessionStore, withSnapshots, type SessionStore } from './session-store.js'
import { StepTracer, type FlowTracer } from './step-tracer.js'
import { Turn, type TurnParts } from './turn.js'

export interface FlowEngineOptions {
  flow: Flow
  /** Where session state lives. Default: in memory. */
  sessions?: SessionStore
  /** Also write each saved state as pretty JSON to `<dir>/<flow>/<session>.json`, for debugging. */
  snapshotDir?: string
  /** Writes replies from instructions, judges described conditions and, by default, extracts. */
  llm?: LlmClient | LlmOptions
  /** Default: the LLM engine when `llm` is given, else the offline engine. */
  extractor?: Extractor
  tools?: ToolRegistry | ToolsOptions
  /** Records every step as an interaction (an `Interlog` SDK client). */
  tracer?: FlowTracer
  /** Steps per turn at most. Default 10. */
  maxIterations?: number
  /** How many recent exchanges the extraction agent reads. Default 4. */
  exchanges?: number
  /** Turns of one session run one at a time; share one queue between engines of the same sessions. */
  queue?: KeyedQueue
  now?: () => Date
}

export interface HandleOptions {
  /** The end user, recorded on a new session and on its interactions. */
  userId?: string
}

/**
 * Runs a flow: `handle(sessionId, message)` takes one customer message through as many steps as the
 * flow's auto branches allow and answers the replies, the fields, the path and why each transition
 * happened. The flow is checked once, here: a flow the engine cannot run is refused before any turn.
 */
export class FlowEngine {
  readonly flow: Flow
  private readonly parts: TurnParts
  private readonly tracer?: FlowTracer
  private readonly queue: KeyedQueue

  constructor(options: FlowEngineOptions) {
    const flow = (this.flow = options.flow)
    const llm = options.llm === undefined || options.llm instanceof LlmClient ? options.llm : new LlmClient(options.llm)
    const tools = options.tools instanceof ToolRegistry ? options.tools : new ToolRegistry(options.tools)
    const allowed = options.tools instanceof ToolRegistry ? undefined : options.tools?.allowedWebhookPrefixes
    checkFlow(flow, { llm: llm !== undefined, hasTool: (name) => tools.has(name) !== false })
    for (const [name, tool] of Object.entries(flow.tools ?? {})) {
      if (!webhookAllowed(tool.url, allowed)) throw new FlowError('invalid_flow', `Tool '${name}': calling ${tool.url} is not allowed here`)
    }
    const sessions = options.sessions ?? new MemorySessionStore()
    this.parts = {
      flow,
      sessions: options.snapshotDir ? withSnapshots(sessions, options.snapshotDir) : sessions,
      extractor: options.extractor ?? (llm ? new LlmExtractor(llm) : new OfflineExtractor()),
      llm,
      tools,
      maxIterations: positive(options.maxIterations, 10, 'maxIterations'),
      exchanges: positive(options.exchanges, 4, 'exchanges'),
      now: options.now ?? (() => new Date()),
    }
    this.tracer = options.tracer
    this.queue = options.queue ?? new KeyedQueue()
  }

  /** One customer message: runs the flow until it waits for the customer, ends, or reaches maxIterations. */
  handle(sessionId: string, message: string, options: HandleOptions = {}): Promise<FlowTurn> {
    if (typeof sessionId !== 'string' || sessionId === '') throw new FlowError('invalid_input', 'A session id is required')
    if (typeof message !== 'string' || message.trim() === '') throw new FlowError('invalid_input', 'The message is empty')
    return this.queue.run(JSON.stringify([this.flow.id, sessionId]), async () => {
      const { flow, sessions, now } = this.parts
      const state = (await sessions.load(flow.id, sessionId)) ?? newSession(flow.id, sessionId, options.userId ?? null, flow.start, now().toISOString())
      if (state.status === 'completed') throw new SessionCompletedError(flow.id, sessionId)
      const tracer = new StepTracer(this.tracer, { flowId: flow.id, sessionId, userId: state.user_id })
      return new Turn(this.parts, state, tracer).run(message.trim())
    })
  }

  /** The session's state as stored, or undefined before its first message. */
  session(sessionId: string): Promise<FlowSession | undefined> {
    return this.parts.sessions.load(this.flow.id, sessionId)
  }
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || value < 1) throw new FlowError('invalid_input', `${name} must be a whole number of at least 1`)
  return value
}
