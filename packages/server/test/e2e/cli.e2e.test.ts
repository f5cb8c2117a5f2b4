import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { freshDatabase, STORE_KINDS } from '../support/databases.js'
import { anInteraction } from '../support/fixtures.js'
import { apiClient } from '../support/http.js'
import { CLI_PATH, startServerProcess } from '../support/server-process.js'

const run = promisify(execFile)

describe.each(STORE_KINDS)('CLI on %s', (kind) => {
  const database = freshDatabase(kind, 'cli')
  const globalArgs = ['--data', database.dataDir, ...(database.databaseUrl ? ['--database-url', database.databaseUrl] : [])]
  const env = { ...process.env, INTERLOG_DATABASE_SCHEMA: database.databaseSchema ?? '' }
  const cli = async (...args: string[]) => (await run(process.execPath, [CLI_PATH, ...args, ...globalArgs, '--json'], { env })).stdout
  afterAll(() => database.cleanup())

  it('manages tenants and keys with and without a running server; revocation is immediate', async () => {
    // No server yet: the CLI works on the database directly.
    const tenant = JSON.parse(await cli('tenants', 'create', 'acme'))
    expect(tenant).toMatchObject({ name: 'acme' })
    const created = JSON.parse(await cli('keys', 'create', '--tenant', 'acme', '--scopes', 'ingest,read', '--name', 'app'))
    expect(created).toMatchObject({ tenant_id: tenant.id, scopes: ['ingest', 'read'], name: 'app' })
    expect(created.key).toMatch(/^il_/)

    const server = await startServerProcess({ args: globalArgs, env: { INTERLOG_DATABASE_SCHEMA: database.databaseSchema } })
    try {
      const client = apiClient(server.url, created.key)
      expect((await client.post('/v1/interactions', anInteraction())).status).toBe(201)

      // While the server runs: a user-bound key made by the CLI works at once.
      const bound = JSON.parse(await cli('keys', 'create', '--tenant', tenant.id, '--scopes', 'read', '--user', 'u42'))
      expect(bound.user_id).toBe('u42')
      expect((await apiClient(server.url, bound.key).get('/v1/interactions')).body.total_count).toBe(0)

      const listed = JSON.parse(await cli('keys', 'list', '--tenant', 'acme'))
      expect(listed.keys.map((k: { id: string }) => k.id).sort()).toEqual([created.id, bound.id].sort())
      expect(JSON.stringify(listed)).not.toContain(created.key)

      const revoked = JSON.parse(await cli('keys', 'revoke', created.id))
      expect(revoked.revoked_at).toBeTruthy()
      expect((await client.get('/v1/interactions')).status).toBe(401)

      expect(JSON.parse(await cli('tenants', 'list')).tenants.map((t: { name: string }) => t.name)).toContain('acme')
    } finally {
      await server.stop()
    }
  })

  it('prints a clear error and exits non-zero on bad input', async () => {
    const failure = await run(process.execPath, [CLI_PATH, 'keys', 'create', '--tenant', 'nobody', '--scopes', 'read', ...globalArgs], { env }).catch(
      (error: { code: number; stderr: string }) => error,
    )
    expect(failure).toMatchObject({ code: 1 })
    expect((failure as { stderr: string }).stderr).toContain("Tenant 'nobody' not found")
    const badScope = await run(process.execPath, [CLI_PATH, 'keys', 'create', '--tenant', 'acme', '--scopes', 'root', ...globalArgs], { env }).catch(
      (error: { stderr: string }) => error,
    )
    expect((badScope as { stderr: string }).stderr).toContain('scopes.0')
  })

  it('loads demo data into a demo tenant and prints a key that signs in to the dashboard', async () => {
    const demo = JSON.parse(await cli('demo', '--count', '150'))
    expect(demo).toMatchObject({ tenant: 'demo', interactions: 150, scopes: expect.arrayContaining(['read', 'analytics:view', 'feedback', 'export']) })
    expect(demo.feedback).toBeGreaterThan(0)
    const server = await startServerProcess({ args: globalArgs, env: { INTERLOG_DATABASE_SCHEMA: database.databaseSchema } })
    try {
      const signIn = await fetch(`${server.url}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key: demo.key }) })
      expect(signIn.status).toBe(200)
      expect(await signIn.json()).toMatchObject({ tenant_name: 'demo' })
      const client = apiClient(server.url, demo.key)
      expect((await client.get('/v1/interactions?limit=1')).body.total_count).toBe(150)
      expect((await client.get('/v1/interactions?feedback_kind=any&limit=1')).body.total_count).toBe(demo.feedback)
      expect((await client.get('/v1/interactions?status=failure&limit=1')).body.total_count).toBeGreaterThan(0)
      expect((await client.get('/v1/data-quality?limit=1')).body.total_count).toBeGreaterThan(0)
      const page = await fetch(server.url)
      expect(page.headers.get('content-type')).toContain('text/html')
    } finally {
      await server.stop()
    }
  })

  it('refuses a bad demo count', async () => {
    const failure = await run(process.execPath, [CLI_PATH, 'demo', '--count', 'many', ...globalArgs], { env }).catch((error: { code: number; stderr: string }) => error)
    expect(failure).toMatchObject({ code: 1 })
    expect((failure as { stderr: string }).stderr).toContain('--count must be a whole number')
  })

  it("erases an end user's data and reads the audit log", async () => {
    const erased = JSON.parse(await cli('users', 'erase', 'user-1', '--tenant', 'acme'))
    expect(erased).toMatchObject({ user_id: 'user-1', deleted: { interactions: 1, feedback: 0 } })
    const log = JSON.parse(await cli('audit-log', '--tenant', 'acme'))
    expect(log.entries.map((e: { action: string }) => e.action)).toEqual(['user_data.erase', 'key.revoke', 'key.create', 'key.create', 'tenant.create'])
    expect(log.entries[0]).toMatchObject({ actor_key_id: 'local-cli', target_id: 'user-1', details: { deleted: { interactions: 1 } } })
    expect(JSON.parse(await cli('audit-log', '--tenant', 'acme', '--action', 'key.create', '--limit', '1')).entries).toHaveLength(1)
    const bad = await run(process.execPath, [CLI_PATH, 'audit-log', '--tenant', 'acme', '--action', 'nope', ...globalArgs], { env }).catch(
      (error: { code: number; stderr: string }) => error,
    )
    expect(bad).toMatchObject({ code: 1, stderr: expect.stringContaining('action') })
  })
})
