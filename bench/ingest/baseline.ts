import type { InteractionInput } from '@interlog/schema'
import { normalizeInteraction } from '../../packages/server/dist/interactions/interaction.normalize.js'
import { systemClock, uuidv7Ids } from '../../packages/server/dist/runtime/clock.js'
import { openStore } from '../../packages/server/dist/store/create-store.js'
import { stamped } from './interactions.js'
import type { Target } from './targets.js'

export interface BaselineOptions {
  target: Target
  batches: InteractionInput[][]
  warmupMs: number
  durationMs: number
}

export interface BaselineResult {
  measuredRows: number
  measuredMs: number
  /** Every row written, warm-up included, and this process's CPU time for them. */
  createdRows: number
  cpuMs: number
}

const TENANT_ID = 'bench-baseline'

/**
 * The ceiling the server is compared with: the same rows, normalised as the ingest service does,
 * written through the same store method in the same batch size, one transaction after another,
 * in this process (no HTTP, no JSON, no validation, no second process competing for the CPU).
 */
export async function runBaseline(options: BaselineOptions): Promise<BaselineResult> {
  const store = await openStore({
    dataDir: options.target.dataDir,
    databaseUrl: options.target.databaseUrl,
    postgresSchema: options.target.databaseSchema,
  })
  const context = { tenantId: TENANT_ID, clock: systemClock, ids: uuidv7Ids }
  try {
    const cpuBefore = process.cpuUsage()
    const measureFrom = performance.now() + options.warmupMs
    const stopAt = measureFrom + options.durationMs
    let createdRows = 0
    let measuredRows = 0
    let lastEnd = measureFrom
    for (let i = 0; performance.now() < stopAt; i++) {
      const batch = options.batches[i % options.batches.length]!
      // Stamped now and given fresh ids on every pass, as over HTTP, so nothing is skipped as a duplicate.
      const rows = batch.map((input) => normalizeInteraction(stamped(input), context))
      const [outcomes] = await store.interactions.insertGroups([{ tenantId: TENANT_ID, rows }])
      const endedAt = performance.now()
      const created = outcomes!.filter((outcome) => outcome === 'created').length
      createdRows += created
      if (endedAt >= measureFrom) {
        measuredRows += created
        lastEnd = endedAt
      }
    }
    const cpu = process.cpuUsage(cpuBefore)
    return { measuredRows, measuredMs: lastEnd - measureFrom, createdRows, cpuMs: (cpu.user + cpu.system) / 1000 }
  } finally {
    await store.close()
  }
}
