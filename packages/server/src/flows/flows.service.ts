import { join } from 'node:path'
import { checkFlow, FlowEngine, KeyedQueue, ToolRegistry, type Extractor, type Flow, type LlmClient } from '@interlog/flows'
import { FlowDefinitionInput, FlowMessageBody, type FlowDefinition, type FlowSession, type FlowTurn } from '@interlog/schema'
import type { AuthContext } from '../auth/auth-context.js'
import { ForbiddenError, NotFoundError, ValidationError, type FieldIssue } from '../errors/errors.js'
import { parseOrThrow } from '../errors/zod-issues.js'
import type { Clock } from '../runtime/clock.js'
import type { FlowDefinitionRecord, FlowStore } from '../store/store.js'
import { appErrorFrom, withAppErrors } from './flow-errors.js'
import type { FlowSettings } from './flow-settings.js'
import type { FlowTracers } from './flow-tracers.js'
import { tenantSessionStore } from './session-store.adapter.js'

const toDefinition = (record: FlowDefinitionRecord): FlowDefinition => ({ id: record.id, ...record.definition, created_at: record.created_at, updated_at: record.updated_at })

export interface SessionPage {
  sessions: FlowSession[]
  total_count: number
  returned_count: number
  limit: number
  offset: number
}

/**
 * Flow definitions per tenant, and their sessions: each message runs the flows engine on the stored
 * definition, with state in the database, every step recorded as an interaction of the session's thread.
 */
export class FlowsService {
  private readonly tools: ToolRegistry
  private readonly queues = new Map<string, KeyedQueue>()

  constructor(
    private readonly store: FlowStore,
    private readonly tracers: FlowTracers,
    private readonly extractor: Extractor,
    private readonly clock: Clock,
    private readonly settings: FlowSettings,
    private readonly llm: LlmClient | undefined,
  ) {
    this.tools = new ToolRegistry({ allowedWebhookPrefixes: settings.toolUrlPrefixes })
  }

  async put(auth: AuthContext, flowId: string, body: unknown): Promise<{ created: boolean; flow: FlowDefinition }> {
    const definition = parseOrThrow(FlowDefinitionInput, body, 'flow')
    this.check({ id: flowId, ...definition })
    const now = this.clock.now().toISOString()
    const outcome = await this.store.putDefinition(auth.tenantId, { id: flowId, definition, created_at: now, updated_at: now })
    return { created: outcome === 'created', flow: await this.get(auth, flowId) }
  }

  async get(auth: AuthContext, flowId: string): Promise<FlowDefinition> {
    const record = await this.store.getDefinition(auth.tenantId, flowId)
    if (!record) throw new NotFoundError(`Flow '${flowId}'`)
    return toDefinition(record)
  }

  async list(auth: AuthContext): Promise<FlowDefinition[]> {
    return (await this.store.listDefinitions(auth.tenantId)).map(toDefinition)
  }

  async delete(auth: AuthContext, flowId: string): Promise<void> {
    if (!(await this.store.deleteDefinition(auth.tenantId, flowId))) throw new NotFoundError(`Flow '${flowId}'`)
  }

  /** One customer message through the flow; answers once the session state and the step traces are stored. */
  async message(auth: AuthContext, flowId: string, sessionId: string, body: unknown): Promise<FlowTurn> {
    const input = parseOrThrow(FlowMessageBody, body, 'message')
    if (auth.userId !== undefined && input.user_id !== undefined && input.user_id !== auth.userId) {
      throw new ForbiddenError('This key is bound to another user; leave user_id out or send its own')
    }
    const flow: Flow = await this.get(auth, flowId)
    const existing = await this.store.getSession(auth.tenantId, flowId, sessionId, {})
    if (existing && auth.userId !== undefined && existing.user_id !== auth.userId) throw new NotFoundError(`Session '${sessionId}'`)
    const engine = new FlowEngine({
      flow,
      sessions: tenantSessionStore(this.store, auth.tenantId),
      snapshotDir: this.settings.snapshotDir && join(this.settings.snapshotDir, encodeURIComponent(auth.tenantId)),
      llm: this.llm,
      extractor: this.extractor,
      tools: this.tools,
      tracer: this.tracers.for(auth.tenantId),
      maxIterations: this.settings.maxIterations,
      queue: this.queueOf(auth.tenantId),
      now: () => this.clock.now(),
    })
    try {
      return await withAppErrors(() => engine.handle(sessionId, input.message, { userId: auth.userId ?? input.user_id }))
    } finally {
      // The steps that ran are recorded even when the turn failed part-way.
      await this.tracers.flush(auth.tenantId)
    }
  }

  async session(auth: AuthContext, flowId: string, sessionId: string): Promise<FlowSession> {
    const session = await this.store.getSession(auth.tenantId, flowId, sessionId, visibility(auth))
    if (!session) throw new NotFoundError(`Session '${sessionId}' of flow '${flowId}'`)
    return session
  }

  async sessions(auth: AuthContext, flowId: string, page: { limit: number; offset: number }): Promise<SessionPage> {
    await this.get(auth, flowId)
    const { sessions, total } = await this.store.listSessions(auth.tenantId, flowId, visibility(auth), page)
    return { sessions, total_count: total, returned_count: sessions.length, ...page }
  }

  /** A definition must be runnable by this server: its tools are webhooks to allowed URLs, its LLM parts need the LLM. */
  private check(flow: Flow): void {
    const issues: FieldIssue[] = []
    for (const [name, tool] of Object.entries(flow.tools ?? {})) {
      if (!this.settings.toolUrlPrefixes.some((prefix) => tool.url.startsWith(prefix))) {
        const allowed = this.settings.toolUrlPrefixes.join(', ') || 'none: set INTERLOG_FLOWS_TOOL_URL_PREFIXES'
        issues.push({ path: `tools.${name}.url`, message: `this server calls only URLs starting with one of: ${allowed}` })
      }
    }
    if (issues.length > 0) throw new ValidationError(`Invalid flow: ${issues[0]!.path}: ${issues[0]!.message}`, issues)
    try {
      // Only webhook tools exist here: a tool node naming anything else is refused.
      checkFlow(flow, { llm: this.llm !== undefined, hasTool: () => false })
    } catch (error) {
      throw appErrorFrom(error)
    }
  }

  private queueOf(tenantId: string): KeyedQueue {
    let queue = this.queues.get(tenantId)
    if (!queue) this.queues.set(tenantId, (queue = new KeyedQueue()))
    return queue
  }
}

const visibility = (auth: AuthContext) => (auth.userId === undefined ? {} : { userId: auth.userId })
