import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freshDatabase } from '../support/databases.js'
import { anInteraction } from '../support/fixtures.js'
import { apiClient, keyFor, tenantWithKey } from '../support/http.js'
import { startServerProcess, TEST_ADMIN_KEY, type ServerProcess } from '../support/server-process.js'

describe('two replicas on one PostgreSQL database', () => {
  const database = freshDatabase('postgres', 'replicas')
  const args = ['--data', database.dataDir, '--database-url', database.databaseUrl!, '--rate-limit-per-minute', '0']
  const env = { INTERLOG_DATABASE_SCHEMA: database.databaseSchema }
  let replicas: ServerProcess[] = []

  beforeAll(async () => {
    // Both start at once: migrations and bootstrap must not trip over each other.
    replicas = await Promise.all([startServerProcess({ args, env }), startServerProcess({ args, env })])
  })
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()))
    await database.cleanup()
  })

  it('stores each client id once whichever replica receives it', async () => {
    const [a, b] = replicas.map((replica) => replica.url) as [string, string]
    const { key } = await tenantWithKey(a, 'shared', ['ingest', 'read'])
    const interactions = Array.from({ length: 200 }, (_, i) => anInteraction({ id: `r-${i}`, thread_id: 'replicas' }))
    const [fromA, fromB] = await Promise.all([
      apiClient(a, key).post('/v1/interactions', { interactions }),
      apiClient(b, key).post('/v1/interactions', { interactions }),
    ])
    const created = [...fromA.body.results, ...fromB.body.results].filter((r: { status: number }) => r.status === 201)
    expect(created).toHaveLength(200)
    expect(fromA.body.duplicates + fromB.body.duplicates).toBe(200)
    expect((await apiClient(b, key).get('/v1/interactions?thread_id=replicas&limit=1')).body.total_count).toBe(200)
  })

  it('revokes a key on every replica at once', async () => {
    const [a, b] = replicas.map((replica) => replica.url) as [string, string]
    const tenant = await apiClient(a, TEST_ADMIN_KEY).post('/v1/admin/tenants', { name: 'revoker' })
    const { keyId, key } = await keyFor(a, tenant.body.id, ['read'])
    expect((await apiClient(b, key).get('/v1/interactions')).status).toBe(200)
    await apiClient(a, TEST_ADMIN_KEY).delete(`/v1/admin/keys/${keyId}`)
    expect((await apiClient(b, key).get('/v1/interactions')).status).toBe(401)
  })
})

describe('first start of two replicas without INTERLOG_ADMIN_KEY', () => {
  it('generates exactly one admin key', async () => {
    const database = freshDatabase('postgres', 'bootrace')
    const args = ['--data', database.dataDir, '--database-url', database.databaseUrl!]
    const env = { INTERLOG_DATABASE_SCHEMA: database.databaseSchema, INTERLOG_ADMIN_KEY: undefined }
    const replicas = await Promise.all([startServerProcess({ args, env }), startServerProcess({ args, env })])
    const printed = replicas.flatMap((replica) => replica.output.filter((line) => /^\s+il_\S+$/.test(line)))
    expect(printed).toHaveLength(1)
    await Promise.all(replicas.map((replica) => replica.stop()))
    await database.cleanup()
  })
})
