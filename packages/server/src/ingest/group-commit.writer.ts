import type { InsertOutcome, InteractionRow, InteractionStore, TenantRows } from '../store/store.js'
import { UnavailableError } from '../errors/errors.js'

export interface GroupCommitOptions {
  /** Most rows written in one transaction; a larger backlog is written in several. */
  maxBatchRows: number
  /**
   * Transactions in flight at once. PostgreSQL overlaps them (one waits on the disk while another is
   * built); SQLite writes synchronously, so one is all it can use.
   */
  maxInFlight?: number
}

interface Pending {
  tenantId: string
  rows: InteractionRow[]
  resolve: (outcomes: InsertOutcome[]) => void
  reject: (error: unknown) => void
}

/**
 * Group commit: requests that arrive while transactions are being written wait and go together in
 * the next one, so one fsync acknowledges many requests. Nothing is acknowledged before its
 * transaction commits. A failed transaction is retried request by request, so only the requests that
 * fail on their own are refused. At most `maxInFlight` transactions run at once; `drain()` writes what is
 * queued and then refuses new work (graceful shutdown).
 */
export class GroupCommitWriter {
  private queue: Pending[] = []
  private readonly inFlight = new Set<Promise<void>>()
  private scheduled = false
  private closed = false

  constructor(
    private readonly store: Pick<InteractionStore, 'insertGroups'>,
    private readonly options: GroupCommitOptions,
  ) {}

  /** Resolves once the rows are committed, with one outcome per row in order. */
  write(tenantId: string, rows: InteractionRow[]): Promise<InsertOutcome[]> {
    if (this.closed) return Promise.reject(new UnavailableError('The server is shutting down; retry shortly'))
    if (rows.length === 0) return Promise.resolve([])
    return new Promise((resolve, reject) => {
      this.queue.push({ tenantId, rows, resolve, reject })
      this.schedule()
    })
  }

  /** Waits for everything queued so far to be written, and refuses new writes. */
  async drain(): Promise<void> {
    this.closed = true
    while (this.inFlight.size > 0 || this.queue.length > 0) {
      this.startFlushes()
      await Promise.race(this.inFlight)
    }
  }

  private get hasRoom(): boolean {
    return this.inFlight.size < (this.options.maxInFlight ?? 1)
  }

  /** Requests parsed in the same turn of the event loop join the same transaction. */
  private schedule(): void {
    if (this.scheduled || !this.hasRoom) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      this.startFlushes()
    })
  }

  private startFlushes(): void {
    while (this.hasRoom && this.queue.length > 0) {
      const flushing: Promise<void> = this.flush(this.takeBatch()).finally(() => {
        this.inFlight.delete(flushing)
        if (this.queue.length > 0) this.schedule()
      })
      this.inFlight.add(flushing)
    }
  }

  private takeBatch(): Pending[] {
    const batch: Pending[] = []
    let rows = 0
    while (this.queue.length > 0) {
      const next = this.queue[0]!
      if (batch.length > 0 && rows + next.rows.length > this.options.maxBatchRows) break
      batch.push(this.queue.shift()!)
      rows += next.rows.length
    }
    return batch
  }

  private async flush(batch: Pending[]): Promise<void> {
    const groups: TenantRows[] = batch.map(({ tenantId, rows }) => ({ tenantId, rows }))
    try {
      const outcomes = await this.store.insertGroups(groups)
      batch.forEach((pending, index) => pending.resolve(outcomes[index] ?? []))
    } catch (error) {
      // The whole transaction rolled back, so nothing of it is stored. One request's rows the database
      // refuses must not fail the others it was grouped with: each is tried again on its own.
      if (batch.length === 1) batch[0]!.reject(error)
      else for (const pending of batch) await this.flush([pending])
    }
  }
}
