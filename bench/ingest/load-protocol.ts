/** What the parent sends the load-generator process, and what it answers, over the fork IPC channel. */
export interface LoadJob {
  url: string
  ingestKey: string
  /** Batches of interactions, each item as JSON without a timestamp; sent round-robin, ids left to the server. */
  batches: string[][]
  concurrency: number
  warmupMs: number
  durationMs: number
}

export interface LoadResult {
  /** Items acknowledged with 201 while measuring, and the measured window they completed in. */
  measuredItems: number
  measuredMs: number
  /** Every item acknowledged, warm-up included: what the store must hold afterwards. */
  acknowledgedItems: number
  /** Latency of each measured request, from send to the whole answer read, in milliseconds. */
  latenciesMs: number[]
  /** This process's CPU time for the whole run: the client's share of the two cores. */
  cpuMs: number
  failedRequests: number
  firstFailure?: string
}
