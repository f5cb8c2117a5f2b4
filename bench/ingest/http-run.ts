import { fork } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import type { InteractionInput } from '@interlog/schema'
import { createIngestKey, storedCount } from './admin-api.js'
import type { LoadJob, LoadResult } from './load-protocol.js'
import { startServerProcess } from './server-process.js'
import type { Target } from './targets.js'

const LOAD_GENERATOR = fileURLToPath(new URL('./load-generator.ts', import.meta.url))

export interface HttpRunOptions {
  target: Target
  batches: InteractionInput[][]
  concurrency: number
  warmupMs: number
  durationMs: number
  serverNodeArgs: string[]
  redaction: boolean
}

export interface HttpRunResult extends LoadResult {
  /** What GET /v1/interactions reports afterwards; must equal `acknowledgedItems`. */
  storedItems: number
  /** Server CPU time while the load ran (warm-up included, like `acknowledgedItems`). */
  serverCpuMs: number
}

/** Starts a server on the target, drives it from a separate load-generator process, checks the count. */
export async function runHttp(options: HttpRunOptions): Promise<HttpRunResult> {
  const adminKey = randomBytes(24).toString('hex')
  const server = await startServerProcess({
    dataDir: options.target.dataDir,
    databaseUrl: options.target.databaseUrl,
    databaseSchema: options.target.databaseSchema,
    adminKey,
    nodeArgs: options.serverNodeArgs,
  })
  try {
    const ingestKey = await createIngestKey(server.url, adminKey, options.redaction)
    const cpuBefore = server.cpuMs()
    const load = await runLoadGenerator({
      url: server.url,
      ingestKey,
      batches: options.batches.map((batch) => batch.map((item) => JSON.stringify(item))),
      concurrency: options.concurrency,
      warmupMs: options.warmupMs,
      durationMs: options.durationMs,
    })
    const serverCpuMs = server.cpuMs() - cpuBefore
    if (options.redaction && (await storedCount(server.url, ingestKey, '"example com"')) > 0) {
      throw new Error('redaction is on, yet an email address of the data set is stored')
    }
    return { ...load, serverCpuMs, storedItems: await storedCount(server.url, ingestKey) }
  } finally {
    await server.stop()
  }
}

function runLoadGenerator(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(LOAD_GENERATOR, { execArgv: ['--import', 'tsx'] })
    child.once('message', (result) => resolve(result as LoadResult))
    child.once('error', reject)
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the load generator exited with code ${code}`))
    })
    child.send(job)
  })
}
