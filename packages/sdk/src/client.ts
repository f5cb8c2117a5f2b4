import { Dispatcher } from './dispatcher.js'
import { createRateLimitedWarn, InterlogError, safeReporter, type ErrorReporter } from './errors.js'
import { registerForExit, unregisterForExit, type ExitAware } from './exit-hooks.js'
import { InteractionHandle } from './interaction-builder.js'
import { resolveOptions, type InterlogOptions, type ResolvedOptions } from './options.js'
import { createRuntime } from './runtime.js'
import type { FeedbackInput, InterlogStats, TrackInput } from './types.js'
import { createUuidV7Generator } from './uuidv7.js'

const MAX_ID_LENGTH = 128

/**
 * The client. Every public method is safe to call from app code: it never throws and never waits on
 * the network; problems go to `onError`. Events leave in the background, in batches.
 */
export class Interlog implements ExitAware {
  private readonly options: ResolvedOptions
  private readonly dispatcher: Dispatcher
  private readonly newId: () => string
  private readonly report: ErrorReporter
  private readonly clock: () => number
  private collecting: boolean
  private closing: Promise<void> | undefined
  private joinedExitHooks = false

  constructor(options: InterlogOptions = {}) {
    const given = typeof options === 'object' && options !== null ? options : {}
    const runtime = createRuntime(given.runtime)
    this.clock = runtime.now
    this.report = safeReporter(given.onError ?? createRateLimitedWarn(runtime.now))
    this.options = resolveOptions(given, this.report)
    this.collecting = this.options.enabled
    this.newId = createUuidV7Generator(runtime.now, runtime.fillRandom)
    const inBrowser = typeof (globalThis as { document?: unknown }).document !== 'undefined'
    this.dispatcher = new Dispatcher(
      {
        ...this.options,
        backoff: { baseDelayMs: this.options.retryBaseDelayMs, maxDelayMs: this.options.retryMaxDelayMs },
        keepalive: inBrowser,
      },
      runtime,
      { defaults: this.options.defaults, redact: this.options.redact, report: this.report },
      this.report,
    )
  }

  /** Whether calls are recorded right now. */
  get enabled(): boolean {
    return this.collecting
  }

  /** The data-collection switch at run time (e.g. a user opting out). Events already queued are still sent. */
  setEnabled(enabled: boolean): void {
    this.collecting = enabled === true && this.closing === undefined
  }

  /**
   * Queues one interaction and returns its id at once (the given `id`, or a new UUIDv7). Objects passed
   * in are read when the batch is sent (top-level arrays are copied now), so do not mutate them afterwards.
   */
  track(input: TrackInput): string {
    try {
      if (typeof input !== 'object' || input === null) {
        this.report(new InterlogError('invalid_input', `track() needs an object, got ${input === null ? 'null' : typeof input}`))
        return this.newId()
      }
      const id = this.idFrom(input.id)
      if (!this.collecting) {
        if (this.closing) this.report(new InterlogError('closed', `track() after shutdown(); ${id} not recorded`, { eventIds: [id] }))
        return id
      }
      this.dispatcher.enqueue({ kind: 'interaction', seq: 0, id, recordedAt: this.clock(), input: snapshot(input) })
      this.joinExitHooks()
      return id
    } catch (error) {
      this.report(new InterlogError('internal', 'track() failed', { cause: error }))
      return ''
    }
  }

  /** Queues feedback on an interaction (thumbs, edits, corrections...). */
  feedback(interactionId: string, input: FeedbackInput): void {
    try {
      if (!this.collecting) return
      if (typeof interactionId !== 'string' || interactionId.length === 0 || typeof input !== 'object' || input === null) {
        this.report(new InterlogError('invalid_input', 'feedback() needs an interaction id and a { kind, ... } object'))
        return
      }
      this.dispatcher.enqueue({ kind: 'feedback', seq: 0, id: interactionId, feedback: { ...input } })
      this.joinExitHooks()
    } catch (error) {
      this.report(new InterlogError('internal', 'feedback() failed', { cause: error }))
    }
  }

  /** Starts an interaction that is sent when `end()` or `fail()` is called; tool calls go in with `tool()`. */
  start(fields: TrackInput = {}): InteractionHandle {
    const given = typeof fields === 'object' && fields !== null ? fields : {}
    let id: string
    try {
      id = this.idFrom(given.id)
    } catch {
      id = ''
    }
    return new InteractionHandle({ track: (input) => this.track(input), now: this.clock, report: this.report }, id, given)
  }

  /** Resolves (never rejects) when everything queued so far is delivered or given up. */
  flush(): Promise<void> {
    try {
      return this.dispatcher.flush().catch(this.reportInternal)
    } catch (error) {
      this.reportInternal(error)
      return Promise.resolve()
    }
  }

  /** Flushes (bounded by shutdownTimeoutMs), then stops timers. Later calls record nothing. */
  shutdown(): Promise<void> {
    try {
      this.closing ??= this.close().catch(this.reportInternal)
      return this.closing
    } catch (error) {
      this.reportInternal(error)
      return Promise.resolve()
    }
  }

  stats(): InterlogStats {
    return this.dispatcher.stats()
  }

  /** @internal The client's clock (injectable through `runtime.now`), shared with wrapOpenAI's timings. */
  now(): number {
    return this.clock()
  }

  /** @internal Lets instrumentation (wrapOpenAI) report through this client's onError. */
  reportProblem(error: InterlogError): void {
    this.report(error)
  }

  /** @internal Node beforeExit: drain with the process held open, up to shutdownTimeoutMs. */
  drainBeforeExit(): Promise<void> {
    const { queued, inFlight } = this.dispatcher.stats()
    // Nothing pending: schedule nothing, so the process can exit.
    if (queued + inFlight === 0) return Promise.resolve()
    return this.dispatcher.flushWithin(this.options.shutdownTimeoutMs, true).catch(this.reportInternal)
  }

  /** @internal Browser page hide: start sending now. */
  flushOnPageHide(): void {
    void this.flush()
  }

  private async close(): Promise<void> {
    this.collecting = false
    try {
      await this.dispatcher.flushWithin(this.options.shutdownTimeoutMs, false)
    } finally {
      this.dispatcher.stopTimers()
      unregisterForExit(this)
    }
  }

  private idFrom(given: unknown): string {
    if (given === undefined) return this.newId()
    if (typeof given === 'string' && given.length > 0 && given.length <= MAX_ID_LENGTH) return given
    this.report(new InterlogError('invalid_input', `id must be a string of 1 to ${MAX_ID_LENGTH} characters; a new id was used`))
    return this.newId()
  }

  private joinExitHooks(): void {
    if (this.joinedExitHooks || !this.options.registerExitHandler) return
    this.joinedExitHooks = true
    registerForExit(this)
  }

  private readonly reportInternal = (error: unknown): void => {
    this.report(new InterlogError('internal', 'unexpected SDK error', { cause: error }))
  }
}

/** A shallow copy with top-level arrays copied: later pushes to the app's arrays do not leak into the event. */
function snapshot(input: TrackInput): TrackInput {
  const copy = { ...input }
  if (Array.isArray(copy.messages)) copy.messages = copy.messages.slice()
  if (Array.isArray(copy.toolCalls)) copy.toolCalls = copy.toolCalls.slice()
  if (Array.isArray(copy.tags)) copy.tags = copy.tags.slice()
  return copy
}
