import { describe, expect, it } from 'vitest'
import { freshDatabase } from '../support/databases.js'
import { apiClient } from '../support/http.js'
import { startServerProcess, TEST_ADMIN_KEY } from '../support/server-process.js'

const generatedKeyIn = (output: string[]) => output.map((line) => /^\s+(il_\S+)$/.exec(line)?.[1]).find(Boolean)

describe('admin key bootstrap', () => {
  it('generates a root key on the first start only, prints it once and keeps only its hash', async () => {
    const database = freshDatabase('sqlite', 'boot')
    const args = ['--data', database.dataDir]
    const first = await startServerProcess({ args, env: { INTERLOG_ADMIN_KEY: undefined } })
    const key = generatedKeyIn(first.output)
    expect(key).toMatch(/^il_/)
    expect((await apiClient(first.url, key!).post('/v1/admin/tenants', { name: 'via-generated' })).status).toBe(201)
    await first.stop()

    const second = await startServerProcess({ args, env: { INTERLOG_ADMIN_KEY: undefined } })
    expect(generatedKeyIn(second.output)).toBeUndefined()
    expect((await apiClient(second.url, key!).get('/v1/admin/tenants')).status).toBe(200)
    await second.stop()

    // Setting INTERLOG_ADMIN_KEY later replaces the generated key.
    const third = await startServerProcess({ args, env: { INTERLOG_ADMIN_KEY: TEST_ADMIN_KEY } })
    expect((await apiClient(third.url, TEST_ADMIN_KEY).get('/v1/admin/tenants')).status).toBe(200)
    expect((await apiClient(third.url, key!).get('/v1/admin/tenants')).status).toBe(401)
    await third.stop()

    // Replaced, then set again: the old key comes back as the root key (its hash is stored already).
    const otherKey = `${TEST_ADMIN_KEY}-rotated`
    const fourth = await startServerProcess({ args, env: { INTERLOG_ADMIN_KEY: otherKey } })
    expect((await apiClient(fourth.url, TEST_ADMIN_KEY).get('/v1/admin/tenants')).status).toBe(401)
    await fourth.stop()
    const fifth = await startServerProcess({ args, env: { INTERLOG_ADMIN_KEY: TEST_ADMIN_KEY } })
    expect((await apiClient(fifth.url, TEST_ADMIN_KEY).get('/v1/admin/tenants')).status).toBe(200)
    expect((await apiClient(fifth.url, otherKey).get('/v1/admin/tenants')).status).toBe(401)
    await fifth.stop()
    await database.cleanup()
  })
})
