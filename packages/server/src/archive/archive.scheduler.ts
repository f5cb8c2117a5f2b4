/** How the scheduler waits; tests drive it by hand. */
export interface Timers {
  set(run: () => void, ms: number): unknown
  clear(handle: unknown): void
}

export const realTimers: Timers = {
  // unref: a pending archive run never keeps the process alive on its own.
  set: (run, ms) => setTimeout(run, ms).unref(),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
}

/**
 * Runs the archive every `everyMs`, one run at a time: the next wait starts when a run ends, so a
 * long run is never overlapped by the next. Stopping aborts a run between chunks and waits for it.
 */
export class ArchiveScheduler {
  private timer: unknown
  private running: Promise<void> | undefined
  private stopped = false
  private readonly abort = new AbortController()

  constructor(
    private readonly runOnce: (signal: AbortSignal) => Promise<void>,
    private readonly everyMs: number,
    private readonly timers: Timers = realTimers,
  ) {}

  start(): void {
    this.wait()
  }

  private wait(): void {
    if (this.stopped) return
    this.timer = this.timers.set(() => this.tick(), this.everyMs)
  }

  private tick(): void {
    this.running = this.runOnce(this.abort.signal)
      .catch(() => {}) // runOnce reports its own failures; the schedule goes on
      .finally(() => {
        this.running = undefined
        this.wait()
      })
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.timers.clear(this.timer)
    this.abort.abort()
    await this.running
  }
}
