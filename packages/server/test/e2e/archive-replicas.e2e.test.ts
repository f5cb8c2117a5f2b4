import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { FilesystemSink } from '../../src/archive/filesystem.sink.js'
import { objectRecords } from '../support/archive-world.js'
import { freshDatabase } from '../support/databases.js'
import { anInteraction } from '../support/fixtures.js'
import { apiClient, tenantWithKey } from '../support/http.js'
import { startServerProcess, type ServerProcess } from '../support/server-process.js'

describe('scheduled archiving with two replicas on one PostgreSQL database', () => {
  const database = freshDatabase('postgres', 'archive_replicas')
  const args = ['--data', database.dataDir, '--database-url', database.databaseUrl!, '--rate-limit-per-minute', '0']
  // Both replicas tick every 200 ms, so their schedules meet again and again.
  const env = { INTERLOG_DATABASE_SCHEMA: database.databaseSchema, INTERLOG_ARCHIVE_EVERY: '200ms' }
  let replicas: ServerProcess[] = []
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()))
    await database.cleanup()
  })

  it('archives every interaction exactly once', { timeout: 120_000 }, async () => {
    replicas = await Promise.all([startServerProcess({ args, env }), startServerProcess({ args, env })])
    const [a, b] = replicas.map((replica) => replica.url) as [string, string]
    const { client, key } = await tenantWithKey(a, 'replicated', ['ingest', 'read', 'admin'])
    const old = Array.from({ length: 120 }, (_, i) => anInteraction({ id: `old-${i}`, timestamp: new Date(Date.parse('2026-01-01T00:00:00Z') + i * 1_800_000).toISOString() }))
    // Half through each replica, in several batches, while both schedules run.
    for (let start = 0; start < 120; start += 20) {
      const replica = start % 40 === 0 ? client : apiClient(b, key)
      expect((await replica.post('/v1/interactions', { interactions: old.slice(start, start + 20) })).body.created).toBe(20)
    }
    const deadline = Date.now() + 60_000
    while ((await client.get('/v1/interactions?limit=1')).body.total_count > 0) {
      if (Date.now() > deadline) throw new Error('the schedules did not archive in time')
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    await new Promise((resolve) => setTimeout(resolve, 1000)) // more ticks on both: nothing may change
    const batches = (await client.get('/v1/archive/batches?limit=200')).body.batches as { object_key: string; record_count: number; status: string }[]
    expect(batches.every((batch) => batch.status === 'archived')).toBe(true)
    const sink = new FilesystemSink(join(database.dataDir, 'archive'))
    const ids = (await Promise.all(batches.map((batch) => objectRecords(sink, batch.object_key)))).flat().map((record) => record.interaction.id)
    expect(ids.length).toBe(120)
    expect(new Set(ids).size).toBe(120)
    const logged = replicas.flatMap((replica) => replica.output.filter((line) => line.includes('scheduled archive run finished')))
    expect(logged.length).toBeGreaterThan(0)
  })
})
