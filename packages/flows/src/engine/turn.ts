import type { FlowSession, FlowTransition, FlowTurn } from '@interlog/schema'
import type { ConditionInput, Edge, Flow, Node, ReplyNode, ToolNode } from '../definition/flow.types.js'
import { render, resolveArgument } from '../definition/template.js'
import { UnknownNodeError } from '../errors.js'
import { emptyFields, lastExchanges, mergeExtracted, type Extractor } from '../extraction/extractor.js'
import type { LlmClient } from '../llm/llm-client.js'
import { writeReply } from '../llm/reply-writer.js'
import type { ToolRegistry } from '../tools/tools.js'
import { llmJudge, navigate, type Choice } from './navigator.js'
import { fieldsOf, lastCustomerMessage } from './session-state.js'
import type { SessionStore } from './session-store.js'
import type { StepTracer, StepType } from './step-tracer.js'

/** What a turn needs from the engine. */
export interface TurnParts {
  flow: Flow
  sessions: SessionStore
  extractor: Extractor
  llm?: LlmClient
  tools: ToolRegistry
  maxIterations: number
  exchanges: number
  now: () => Date
}

/**
 * One customer message through the flow. If the session was waiting on a node, the customer's answer
 * is extracted and that node's edges (stepwise ones included) are judged first. Then the loop: the
 * node's step (reply or tool) → extraction → navigation over its auto edges → transition, until no
 * auto edge holds (the flow waits), the node has no edges (the flow ends) or maxIterations steps ran.
 * The state is saved after every change, so what happened is durable whatever happens next.
 */
export class Turn {
  private readonly replies: string[] = []
  private readonly path: string[] = []
  private readonly transitions: FlowTransition[] = []
  private readonly errors: { node: string; message: string }[] = []

  constructor(
    private readonly parts: TurnParts,
    private readonly state: FlowSession,
    private readonly tracer: StepTracer,
  ) {}

  async run(message: string): Promise<FlowTurn> {
    const { state } = this
    state.messages.push({ role: 'user', content: message, at: this.at() })
    state.turns += 1
    await this.save()
    if (state.waiting) {
      // The customer answered the current node: read the answer, then judge all of its edges.
      await this.extract()
      const choice = await this.navigate(this.node(), this.edges(this.node()))
      state.waiting = false
      if (choice) await this.transition(choice)
      else await this.save()
    }
    for (let steps = 0; ; steps += 1) {
      if (steps === this.parts.maxIterations) return this.finish('max_iterations')
      const node = this.node()
      await this.step(node)
      await this.extract()
      const edges = this.edges(node)
      if (edges.length === 0) {
        state.status = 'completed'
        await this.save()
        return this.finish('completed')
      }
      const choice = await this.navigate(node, edges.filter((edge) => (edge.advance ?? 'auto') === 'auto'))
      if (!choice) {
        state.waiting = true
        await this.save()
        return this.finish('waiting')
      }
      await this.transition(choice)
    }
  }

  private node(): Node & { id: string } {
    const node = this.parts.flow.nodes[this.state.node]
    if (!node) throw new UnknownNodeError(this.parts.flow.id, this.state.node)
    return { ...node, id: this.state.node }
  }

  private edges(node: Node): Edge[] {
    return node.edges ?? []
  }

  private async step(node: Node & { id: string }): Promise<void> {
    this.path.push(node.id)
    if (node.kind === 'reply') await this.reply(node)
    else await this.callTool(node)
  }

  private async reply(node: ReplyNode & { id: string }): Promise<void> {
    const { llm, flow } = this.parts
    const useLlm = llm !== undefined && node.instructions !== undefined
    const written = useLlm
      ? await this.failureTraced('flow.reply', node.id, () =>
          writeReply(llm, { description: flow.description, instructions: node.instructions!, context: this.state.context, messages: this.state.messages }),
        )
      : { text: render(node.template!, this.state.context), usage: undefined }
    this.state.messages.push({ role: 'assistant', content: written.text, node: node.id, at: this.at() })
    this.replies.push(written.text)
    this.tracer.record(
      'flow.reply',
      node.id,
      { userMessage: lastCustomerMessage(this.state.messages), assistantResponse: written.text },
      written.usage,
      { engine: useLlm ? 'llm' : 'template' },
    )
  }

  private async callTool(node: ToolNode & { id: string }): Promise<void> {
    const { flow, tools } = this.parts
    const args = Object.fromEntries(Object.entries(node.arguments ?? {}).map(([name, value]) => [name, resolveArgument(value, this.state.context)]))
    const started = performance.now()
    const call = { id: `${node.id}-${this.state.turns}-${this.path.length}`, name: node.tool, arguments: args }
    try {
      const result = await tools.call(node.tool, args, { flowId: flow.id, sessionId: this.state.session_id, context: this.state.context }, flow.tools)
      const latencyMs = performance.now() - started
      this.state.context[node.result_field] = result ?? null
      await this.save()
      this.tracer.record('flow.tool', node.id, { toolCalls: [{ ...call, result, status: 'success', latencyMs }], latencyMs, structuredOutput: result ?? null }, undefined, {
        result_field: node.result_field,
      })
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      const latencyMs = performance.now() - started
      this.errors.push({ node: node.id, message })
      this.tracer.record('flow.tool', node.id, { toolCalls: [{ ...call, status: 'failure', error: message, latencyMs }], latencyMs, error }, undefined, {
        result_field: node.result_field,
      })
    }
  }

  /** Fills empty fields from the customer's new messages (if any) and saves before anything else happens. */
  private async extract(): Promise<void> {
    const { flow, extractor, exchanges } = this.parts
    const { state } = this
    const unread = state.messages.slice(state.extracted_through).some((message) => message.role === 'user')
    const pending = emptyFields(flow.fields, state.context)
    if (!unread || Object.keys(pending).length === 0) return
    const window = lastExchanges(state.messages, exchanges).map(({ role, content }) => ({ role, content }))
    const node = state.node
    const started = performance.now()
    const outcome = await this.failureTraced('flow.extract', node, () => extractor.extract({ messages: window, fields: pending }))
    const set = mergeExtracted(state.context, outcome.values, pending)
    state.extracted_through = state.messages.length
    await this.save()
    this.tracer.record(
      'flow.extract',
      node,
      { userMessage: lastCustomerMessage(state.messages), structuredOutput: { extracted: set, fields: fieldsOf(flow.fields, state.context) }, latencyMs: outcome.usage?.latencyMs ?? performance.now() - started },
      outcome.usage,
      { engine: outcome.engine, requested_fields: Object.keys(pending) },
    )
  }

  private async navigate(node: Node & { id: string }, edges: Edge[]): Promise<Choice | undefined> {
    const { llm } = this.parts
    const input: ConditionInput = { context: this.state.context, lastCustomerMessage: lastCustomerMessage(this.state.messages) }
    const judge = llm && llmJudge(llm, () => lastExchanges(this.state.messages, this.parts.exchanges), () => this.state.context)
    const { choice, judgement } = await this.failureTraced('flow.navigate', node.id, () => navigate(edges, input, judge))
    this.tracer.record(
      'flow.navigate',
      node.id,
      {
        structuredOutput: {
          from: node.id,
          to: choice?.edge.to ?? null,
          advance: choice ? (choice.edge.advance ?? 'auto') : null,
          reason: choice?.reason ?? 'no branch holds: waiting for the customer',
          ...(judgement ? { verdicts: Object.fromEntries(judgement.verdicts) } : {}),
        },
        ...(judgement ? {} : { latencyMs: 0 }),
      },
      judgement?.usage,
      { judged_by: choice?.judgedBy ?? null },
    )
    return choice
  }

  private async transition(choice: Choice): Promise<void> {
    const from = this.state.node
    if (!(choice.edge.to in this.parts.flow.nodes)) throw new UnknownNodeError(this.parts.flow.id, choice.edge.to)
    this.transitions.push({ from, to: choice.edge.to, advance: choice.edge.advance ?? 'auto', reason: choice.reason, judged_by: choice.judgedBy })
    this.state.node = choice.edge.to
    await this.save()
  }

  /** Runs a step's model call; when it fails, the failure is recorded as the step's interaction before it is thrown on. */
  private async failureTraced<T>(type: StepType, node: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } catch (error) {
      this.tracer.record(type, node, { userMessage: lastCustomerMessage(this.state.messages), error })
      throw error
    }
  }

  private finish(stopped: FlowTurn['stopped']): FlowTurn {
    const { state } = this
    return {
      flow_id: state.flow_id,
      session_id: state.session_id,
      replies: this.replies,
      fields: fieldsOf(this.parts.flow.fields, state.context),
      context: state.context,
      path: this.path,
      transitions: this.transitions,
      node: state.node,
      status: state.status,
      errors: this.errors,
      stopped,
    }
  }

  private async save(): Promise<void> {
    this.state.version += 1
    this.state.updated_at = this.at()
    this.state.fields = fieldsOf(this.parts.flow.fields, this.state.context)
    await this.parts.sessions.save(this.state)
  }

  private at(): string {
    return this.parts.now().toISOString()
  }
}
