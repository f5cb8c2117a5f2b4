import { describeError, InterlogError, type ErrorReporter } from './errors.js'
import { mergeFields } from './merge-fields.js'
import type { ToolCallInput, TrackInput } from './types.js'

export interface InteractionHost {
  track(input: TrackInput): string
  now(): number
  report: ErrorReporter
}

/**
 * One turn of an assistant that uses tools, built up as it happens and sent as a single interaction
 * when it ends: the turn's timing, every tool call (arguments, result or error, latency) and the outcome.
 */
export class InteractionHandle {
  private fields: TrackInput
  private readonly toolCalls: ToolCallInput[] = []
  private readonly startedAt: number
  private finished = false

  constructor(
    private readonly host: InteractionHost,
    /** The interaction's id, known from the start so feedback can be attached to it. */
    readonly id: string,
    fields: TrackInput,
  ) {
    this.fields = fields
    this.startedAt = host.now()
  }

  /** Adds or overrides fields before the end (model, usage, messages...). */
  set(fields: TrackInput): this {
    try {
      this.fields = mergeFields(this.fields, fields)
    } catch (error) {
      this.host.report(new InterlogError('internal', 'set() failed', { eventIds: [this.id], cause: error }))
    }
    return this
  }

  /**
   * Runs a tool and records it. Returns exactly what `run` returns and rethrows exactly what it throws;
   * tool calls still running when the turn ends are recorded as `pending`.
   */
  async tool<T>(name: string, args: unknown, run: () => T | PromiseLike<T>, options: { id?: string } = {}): Promise<Awaited<T>> {
    const call: ToolCallInput = { name, arguments: args, status: 'pending' }
    if (options.id !== undefined) call.id = options.id
    this.toolCalls.push(call)
    const started = this.host.now()
    try {
      const result = await run()
      call.status = 'success'
      call.result = result
      return result
    } catch (error) {
      call.status = 'failure'
      call.error = errorMessage(error)
      throw error
    } finally {
      call.latencyMs = Math.max(0, this.host.now() - started)
    }
  }

  /** Records a tool call made elsewhere (for instance by an agent framework). */
  recordTool(call: ToolCallInput): this {
    this.toolCalls.push({ ...call })
    return this
  }

  /** Ends the turn successfully (unless `fields.status` says otherwise) and sends it. Returns the id. */
  end(fields: TrackInput = {}): string {
    return this.finish(fields.error === undefined ? { status: 'success', ...fields } : fields)
  }

  /** Ends the turn as a failure with this error and sends it. Returns the id. */
  fail(error: unknown, fields: TrackInput = {}): string {
    return this.finish({ ...fields, status: 'failure', error })
  }

  private finish(fields: TrackInput): string {
    try {
      if (this.finished) {
        this.host.report(new InterlogError('invalid_input', `interaction ${this.id} already ended; later end()/fail() ignored`, { eventIds: [this.id] }))
        return this.id
      }
      this.finished = true
      const merged = mergeFields(this.fields, fields)
      const endedAt = this.host.now()
      // Snapshot the calls: a tool still running must not change the event after it was queued.
      const toolCalls = [...(merged.toolCalls ?? []), ...this.toolCalls.map((call) => ({ ...call }))]
      return this.host.track({
        ...merged,
        id: this.id,
        timestamp: merged.timestamp ?? this.startedAt,
        endedAt: merged.endedAt ?? endedAt,
        latencyMs: merged.latencyMs ?? Math.max(0, endedAt - this.startedAt),
        ...(toolCalls.length > 0 ? { toolCalls } : {}),
      })
    } catch (error) {
      this.host.report(new InterlogError('internal', 'ending the interaction failed', { eventIds: [this.id], cause: error }))
      return this.id
    }
  }
}

function errorMessage(error: unknown): string {
  try {
    return describeError(error).message
  } catch {
    return 'unknown error'
  }
}
