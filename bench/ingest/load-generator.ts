/**
 * The load generator: a separate process (forked by http-run.ts) so the client's CPU shows up as
 * a competitor of the server, as with a real app on the same machine, and not inside its event loop.
 * It keeps `concurrency` batch requests in flight over keep-alive connections. It uses node:http
 * rather than fetch: on this 2-core machine every client cycle is taken from the server, and fetch
 * (undici with web streams) spent 3-5 times more CPU per request in a side-by-side test.
 */
import http from 'node:http'
import { stampedBatchBody } from './interactions.js'
import type { LoadJob, LoadResult } from './load-protocol.js'

interface BatchAnswer {
  results?: { status: number }[]
}

function post(agent: http.Agent, job: LoadJob, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${job.url}/v1/interactions`,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${job.ingestKey}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }))
        response.on('error', reject)
      },
    )
    request.on('error', reject)
    request.end(body)
  })
}

/** Sends one batch; succeeds only if every item was acknowledged as created. */
async function sendBatch(agent: http.Agent, job: LoadJob, batch: string[]): Promise<{ created: number } | { failure: string }> {
  const { status, text } = await post(agent, job, stampedBatchBody(batch))
  if (status !== 207) return { failure: `HTTP ${status}: ${text.slice(0, 300)}` }
  const answer = JSON.parse(text) as BatchAnswer
  const allCreated = answer.results?.length === batch.length && answer.results.every((r) => r.status === 201)
  if (!allCreated) return { failure: `207 with items not created: ${text.slice(0, 300)}` }
  return { created: batch.length }
}

async function generateLoad(job: LoadJob): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency })
  const cpuBefore = process.cpuUsage()
  const start = performance.now()
  const measureFrom = start + job.warmupMs
  const stopAt = measureFrom + job.durationMs
  const result: LoadResult = { measuredItems: 0, measuredMs: 0, acknowledgedItems: 0, latenciesMs: [], cpuMs: 0, failedRequests: 0 }
  let next = 0
  let lastEnd = measureFrom

  const worker = async () => {
    while (performance.now() < stopAt) {
      const batch = job.batches[next++ % job.batches.length]!
      const sentAt = performance.now()
      const outcome = await sendBatch(agent, job, batch).catch((error: unknown) => ({ failure: String(error) }))
      const endedAt = performance.now()
      if ('failure' in outcome) {
        result.failedRequests++
        result.firstFailure ??= outcome.failure
        return // a failing server would otherwise be hammered in a tight loop; the report flags the run
      }
      result.acknowledgedItems += outcome.created
      // A request counts as measured when it completes inside the window (or just after, for the last ones).
      if (endedAt >= measureFrom) {
        result.measuredItems += outcome.created
        result.latenciesMs.push(endedAt - sentAt)
        lastEnd = Math.max(lastEnd, endedAt)
      }
    }
  }
  await Promise.all(Array.from({ length: job.concurrency }, worker))
  agent.destroy()
  result.measuredMs = lastEnd - measureFrom
  const cpu = process.cpuUsage(cpuBefore)
  result.cpuMs = (cpu.user + cpu.system) / 1000
  return result
}

process.once('message', (job: LoadJob) => {
  generateLoad(job).then(
    (result) => process.send!(result, () => process.exit(0)),
    (error: unknown) => {
      process.stderr.write(`load generator failed: ${String(error)}\n`)
      process.exit(1)
    },
  )
})
