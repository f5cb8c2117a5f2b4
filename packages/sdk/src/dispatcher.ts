import { deliverFeedback, deliverInteractions, type DeliveryContext, type DeliverySettings, type SerializedItem } from './delivery.js'
import { InterlogError, type ErrorReporter } from './errors.js'
import type { QueuedEvent } from './queued-event.js'
import { BoundedQueue } from './queue.js'
import { refTimer, unrefTimer, type Runtime, type TimerHandle } from './runtime.js'
import type { InterlogStats } from './types.js'
import { serializeFeedback, serializeInteraction, type SerializeContext } from './wire/serialize.js'

/** The server takes at most 1000 interactions per request. */
const MAX_BATCH_ITEMS = 1000
/** Keep request bodies well under the server's default 10 MB limit (a smaller limit is met by 413 splitting). */
const MAX_BATCH_BYTES = 4_000_000

export interface DispatcherSettings extends DeliverySettings {
  flushAt: number
  flushIntervalMs: number
  maxQueueSize: number
}

/**
 * Owns the queue and moves events to the server in the background: a batch goes out when `flushAt`
 * events wait, when `flushIntervalMs` has passed since the first of them, or on flush(). One request
 * is in flight at a time, so events arrive in order and a struggling server is not stampeded; under
 * load a request carries everything waiting (up to 1000 events), so throughput grows with the backlog.
 */
export class Dispatcher {
  private readonly queue: BoundedQueue<QueuedEvent>
  private readonly counters = { sent: 0, failed: 0, dropped: 0, retries: 0 }
  private lastSeq = 0
  /** Events up to this seq were asked for by flush(); send them even if the batch is not full. */
  private flushThroughSeq = 0
  private inFlight: QueuedEvent[] = []
  private draining: Promise<void> | undefined
  private intervalTimer: TimerHandle | undefined
  private soonTimer: TimerHandle | undefined
  private backoffTimer: TimerHandle | undefined
  private wakeFromBackoff: (() => void) | undefined
  private keepProcessAlive = false
  private overflowReported = false
  private abort = new AbortController()
  private waiters: { seq: number; resolve: () => void }[] = []

  constructor(
    private readonly settings: DispatcherSettings,
    private readonly runtime: Runtime,
    private readonly serializeContext: SerializeContext,
    private readonly report: ErrorReporter,
  ) {
    this.queue = new BoundedQueue(settings.maxQueueSize)
  }

  /** The caller's path: O(1), no I/O, no serialisation. */
  enqueue(event: QueuedEvent): void {
    event.seq = ++this.lastSeq
    const evicted = this.queue.push(event)
    if (evicted) this.onEvicted(evicted)
    if (this.draining) return // the running drain picks new events up, or re-arms the timer when it ends
    if (this.queue.length >= this.settings.flushAt) {
      // Sent from a fresh macrotask, never from inside the caller's own call.
      this.soonTimer ??= unrefTimer(
        this.runtime.setTimeout(() => {
          this.soonTimer = undefined
          this.startDrain()
        }, 0),
      )
    } else {
      this.intervalTimer ??= unrefTimer(this.runtime.setTimeout(this.onInterval, this.settings.flushIntervalMs))
    }
  }

  stats(): InterlogStats {
    return { queued: this.queue.length, inFlight: this.inFlight.length, ...this.counters }
  }

  /** Resolves when every event enqueued so far is delivered or given up. */
  flush(): Promise<void> {
    const target = this.lastSeq
    if (this.oldestPendingSeq() > target) return Promise.resolve()
    this.flushThroughSeq = target
    const settled = new Promise<void>((resolve) => this.waiters.push({ seq: target, resolve }))
    this.startDrain()
    return settled
  }

  /**
   * flush() bounded by a deadline; what is still pending then is abandoned (counted failed, reported).
   * `keepProcessAlive` makes retry waits hold Node's event loop open, for the drain before exit.
   */
  async flushWithin(timeoutMs: number, keepProcessAlive: boolean): Promise<void> {
    this.keepProcessAlive = keepProcessAlive
    if (keepProcessAlive && this.backoffTimer !== undefined) refTimer(this.backoffTimer)
    let deadline: TimerHandle | undefined
    const timedOut = new Promise<boolean>((resolve) => {
      deadline = unrefTimer(this.runtime.setTimeout(() => resolve(true), timeoutMs))
    })
    try {
      if (await Promise.race([this.flush().then(() => false), timedOut])) {
        this.abandonPending()
        await this.draining
      }
    } finally {
      this.runtime.clearTimeout(deadline)
      this.keepProcessAlive = false
    }
  }

  /** Stops the timers; events still queued stay counted as queued. */
  stopTimers(): void {
    for (const timer of [this.intervalTimer, this.soonTimer]) if (timer !== undefined) this.runtime.clearTimeout(timer)
    this.intervalTimer = undefined
    this.soonTimer = undefined
  }

  private readonly onInterval = (): void => {
    this.intervalTimer = undefined
    this.flushThroughSeq = this.lastSeq
    this.startDrain()
  }

  private startDrain(): void {
    if (this.draining) return
    this.draining = this.drain().finally(() => {
      this.draining = undefined
      // Events that arrived during the last request wait for the next interval (or flushAt).
      if (this.queue.length > 0) this.intervalTimer ??= unrefTimer(this.runtime.setTimeout(this.onInterval, this.settings.flushIntervalMs))
    })
  }

  private async drain(): Promise<void> {
    while (this.hasBatchToSend()) {
      this.inFlight = this.takeBatch()
      this.overflowReported = false
      try {
        await this.deliver(this.inFlight)
      } catch (error) {
        this.counters.failed += this.inFlight.length
        this.report(new InterlogError('internal', 'unexpected error while sending', { cause: error }))
      }
      this.inFlight = []
      this.resolveWaiters()
    }
    this.resolveWaiters()
  }

  private hasBatchToSend(): boolean {
    const next = this.queue.peek()
    return next !== undefined && (this.queue.length >= this.settings.flushAt || next.seq <= this.flushThroughSeq)
  }

  /** Consecutive interactions go out together; feedback has its own endpoint, one request each. */
  private takeBatch(): QueuedEvent[] {
    if (this.queue.peek()?.kind === 'feedback') return this.queue.take(1)
    return this.queue.take(MAX_BATCH_ITEMS, (event) => event.kind === 'interaction')
  }

  private async deliver(batch: QueuedEvent[]): Promise<void> {
    const context = this.deliveryContext()
    const interactions: SerializedItem[] = []
    for (const event of batch) {
      const serialized = event.kind === 'interaction' ? serializeInteraction(this.serializeContext, event) : serializeFeedback(this.serializeContext, event)
      if ('skipped' in serialized) {
        if (serialized.skipped === 'failed') this.counters.failed++
        continue
      }
      if (event.kind === 'feedback') await deliverFeedback(context, { id: event.id, json: serialized.json })
      else interactions.push({ id: event.id, json: serialized.json })
    }
    for (const chunk of chunksByBytes(interactions, MAX_BATCH_BYTES)) await deliverInteractions(context, chunk)
  }

  private deliveryContext(): DeliveryContext {
    return { runtime: this.runtime, settings: this.settings, report: this.report, counters: this.counters, signal: this.abort.signal, sleep: this.sleep }
  }

  private readonly sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const wake = () => {
        this.runtime.clearTimeout(timer)
        this.backoffTimer = undefined
        this.wakeFromBackoff = undefined
        resolve()
      }
      const timer = this.runtime.setTimeout(wake, ms)
      if (!this.keepProcessAlive) unrefTimer(timer)
      this.backoffTimer = timer
      this.wakeFromBackoff = wake
    })

  private abandonPending(): void {
    const abandoned = this.queue.take(this.queue.length)
    this.counters.failed += abandoned.length
    if (abandoned.length > 0) {
      this.report(
        new InterlogError('shutdown_timeout', `${abandoned.length} queued event(s) abandoned at the shutdown deadline`, {
          eventIds: abandoned.map((event) => event.id),
        }),
      )
    }
    // The request in flight sees the abort, counts its own events as failed and the drain ends.
    this.abort.abort()
    this.abort = new AbortController()
    this.wakeFromBackoff?.()
    this.resolveWaiters()
  }

  private onEvicted(evicted: QueuedEvent): void {
    this.counters.dropped++
    if (!this.overflowReported) {
      this.overflowReported = true
      this.report(
        new InterlogError('queue_overflow', `queue full (maxQueueSize ${this.settings.maxQueueSize}); dropping the oldest events`, {
          eventIds: [evicted.id],
        }),
      )
    }
    if (this.waiters.length > 0) this.resolveWaiters()
  }

  private oldestPendingSeq(): number {
    return this.inFlight[0]?.seq ?? this.queue.peek()?.seq ?? Number.POSITIVE_INFINITY
  }

  private resolveWaiters(): void {
    const oldest = this.oldestPendingSeq()
    const ready = this.waiters.filter((waiter) => waiter.seq < oldest)
    if (ready.length === 0) return
    this.waiters = this.waiters.filter((waiter) => waiter.seq >= oldest)
    for (const waiter of ready) waiter.resolve()
  }
}

/** Consecutive runs of items whose JSON adds up to at most `maxBytes` (an item larger than that goes alone). */
function chunksByBytes(items: SerializedItem[], maxBytes: number): SerializedItem[][] {
  const chunks: SerializedItem[][] = []
  let current: SerializedItem[] = []
  let size = 0
  for (const item of items) {
    if (current.length > 0 && size + item.json.length > maxBytes) {
      chunks.push(current)
      current = []
      size = 0
    }
    current.push(item)
    size += item.json.length + 1
  }
  if (current.length > 0) chunks.push(current)
  return chunks
}
