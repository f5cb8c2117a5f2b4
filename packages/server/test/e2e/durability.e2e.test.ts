import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { freshDatabase, STORE_KINDS } from '../support/databases.js'
import { collectIds } from '../support/collect.js'
import { anInteraction } from '../support/fixtures.js'
import { apiClient, tenantWithKey } from '../support/http.js'
import { startServerProcess, type ServerProcess } from '../support/server-process.js'

/**
 * Sends batches with client ids from several concurrent loops until told to stop (or the server
 * dies), and records exactly which ids the server acknowledged.
 */
function sustainedIngest(url: string, key: string, loops: number, label: string) {
  const acknowledged = new Set<string>()
  let stopped = false
  let sent = 0
  const loop = async (worker: number) => {
    for (let batch = 0; !stopped; batch++) {
      const interactions = Array.from({ length: 25 }, (_, i) => anInteraction({ id: `${label}-${worker}-${batch}-${i}`, thread_id: label }))
      sent += interactions.length
      try {
        const response = await apiClient(url, key).post('/v1/interactions', { interactions })
        if (response.status !== 207) continue
        for (const result of response.body.results as { id: string; status: number }[]) {
          if (result.status === 201 || result.status === 200) acknowledged.add(result.id)
        }
      } catch {
        return // the server went away
      }
    }
  }
  const running = Promise.all(Array.from({ length: loops }, (_, worker) => loop(worker)))
  return {
    acknowledged,
    sent: () => sent,
    async stop() {
      stopped = true
      await running
    },
  }
}

const waitFor = async (condition: () => boolean, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe.each(STORE_KINDS)('durability on %s', (kind) => {
  const database = freshDatabase(kind, 'durable')
  const args = ['--data', database.dataDir, '--rate-limit-per-minute', '0', ...(database.databaseUrl ? ['--database-url', database.databaseUrl] : [])]
  const env = { INTERLOG_DATABASE_SCHEMA: database.databaseSchema }
  let server: ServerProcess | undefined
  afterEach(async () => {
    await server?.stop('SIGKILL')
  })
  afterAll(() => database.cleanup())

  // Generous limits: on a loaded 2-core machine the load phase alone can take tens of seconds.
  it('keeps every acknowledged interaction when killed with SIGKILL during sustained ingest', { timeout: 150_000 }, async () => {
    server = await startServerProcess({ args, env })
    const { key } = await tenantWithKey(server.url, 'durable', ['ingest', 'read'])
    const load = sustainedIngest(server.url, key, 6, 'kill')
    await waitFor(() => load.acknowledged.size >= 2000)
    server.child.kill('SIGKILL')
    await server.exited
    await load.stop()
    expect(load.acknowledged.size).toBeGreaterThanOrEqual(2000)

    server = await startServerProcess({ args, env })
    const stored = await collectIds(apiClient(server.url, key), '&thread_id=kill')
    const lost = [...load.acknowledged].filter((id) => !stored.has(id))
    expect(lost).toEqual([])
    // Rows whose answer was cut off by the kill may or may not be there, but never more than were sent.
    expect(stored.size).toBeLessThanOrEqual(load.sent())
  })

  it('drains in-flight writes on SIGTERM and exits 0', { timeout: 150_000 }, async () => {
    server = await startServerProcess({ args, env })
    const { key } = await tenantWithKey(server.url, 'draining', ['ingest', 'read'])
    const load = sustainedIngest(server.url, key, 4, 'term')
    await waitFor(() => load.acknowledged.size >= 500)
    server.child.kill('SIGTERM')
    const code = await server.exited
    await load.stop()
    expect(code).toBe(0)
    expect(server.output.some((line) => line.includes('"msg":"stopped"'))).toBe(true)

    server = await startServerProcess({ args, env })
    const stored = await collectIds(apiClient(server.url, key), '&thread_id=term')
    expect([...load.acknowledged].filter((id) => !stored.has(id))).toEqual([])
  })
})
