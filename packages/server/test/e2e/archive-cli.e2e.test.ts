import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freshDatabase, STORE_KINDS } from '../support/databases.js'
import { anInteraction } from '../support/fixtures.js'
import { tenantWithKey } from '../support/http.js'
import { CLI_PATH, startServerProcess, type ServerProcess } from '../support/server-process.js'

const run = promisify(execFile)

describe.each(STORE_KINDS)('interlog archive (CLI) on %s, next to a running server', (kind) => {
  const database = freshDatabase(kind, 'archive_cli')
  const globalArgs = ['--data', database.dataDir, ...(database.databaseUrl ? ['--database-url', database.databaseUrl] : [])]
  const env = { ...process.env, INTERLOG_DATABASE_SCHEMA: database.databaseSchema ?? '', INTERLOG_ARCHIVE_EVERY: '0' }
  const cli = async (...args: string[]) => run(process.execPath, [CLI_PATH, ...args, ...globalArgs], { env })
  const json = async (...args: string[]) => JSON.parse((await cli(...args, '--json')).stdout)
  let server: ServerProcess
  let acme: Awaited<ReturnType<typeof tenantWithKey>>

  beforeAll(async () => {
    server = await startServerProcess({ args: globalArgs, env: { INTERLOG_DATABASE_SCHEMA: database.databaseSchema, INTERLOG_ARCHIVE_EVERY: '0' } })
    acme = await tenantWithKey(server.url, 'acme', ['ingest', 'read', 'admin'])
    const old = Array.from({ length: 30 }, (_, i) =>
      anInteraction({ id: `old-${i}`, timestamp: new Date(Date.parse('2026-01-05T00:00:00Z') + i * 3_600_000).toISOString(), type: i % 3 ? 'chat' : undefined }),
    )
    expect((await acme.client.post('/v1/interactions', { interactions: [...old, anInteraction({ id: 'fresh' })] })).body.created).toBe(31)
  })
  afterAll(async () => {
    await server?.stop()
    await database.cleanup()
  })

  it('shows what is eligible without archiving anything', async () => {
    const stats = await json('archive', '--stats-only', '--tenant', 'acme')
    expect(stats.tenants).toHaveLength(1)
    expect(stats.tenants[0].eligible.map((e: { type: string | null; records: number }) => [e.type, e.records])).toEqual([
      [null, 10],
      ['chat', 20],
    ])
    expect(stats.tenants[0].archived).toEqual([])
    const text = (await cli('archive', '--stats-only')).stdout
    expect(text).toContain('(nothing archived)')
    expect(text).toContain('eligible for archiving')
  })

  it('measures in a dry run, printing a summary per tenant and type (and, with --verbose, each chunk)', async () => {
    const { stdout, stderr } = await cli('archive', '--dry-run', '--verbose', '--tenant', 'acme')
    expect(stdout).toContain('dry run')
    expect(stdout).toMatch(/acme\s+\(no type\)\s+10\s/)
    expect(stdout).toMatch(/acme\s+chat\s+20\s/)
    expect(stdout).toMatch(/total\s+30\s/)
    expect(stderr).toContain('acme: staged 30 interactions')
    expect((await acme.client.get('/v1/interactions?limit=1')).body.total_count).toBe(31)
  })

  it('archives while the server runs, which sees the result at once', async () => {
    const summary = await json('archive', '--days-old', '30')
    const mine = summary.tenants.find((t: { tenant_id: string }) => t.tenant_id === acme.tenantId)
    expect(mine).toMatchObject({ records: 30, skipped_records: 0 })
    expect((await acme.client.get('/v1/interactions?limit=1')).body.total_count).toBe(1)
    const batches = (await acme.client.get('/v1/archive/batches?limit=200')).body
    expect(batches.batches.reduce((sum: number, b: { record_count: number }) => sum + b.record_count, 0)).toBe(30)
    const stats = await json('archive', '--stats-only', '--tenant', acme.tenantId)
    expect(stats.tenants[0].archived.reduce((sum: number, a: { records: number }) => sum + a.records, 0)).toBe(30)
    expect(stats.tenants[0].eligible).toEqual([])
  })

  it('restores a range, idempotently', async () => {
    const restored = await json('archive', 'restore', '--tenant', 'acme', '--from', '2026-01-05', '--to', '2026-01-05T12:00:00Z')
    expect(restored).toMatchObject({ restored: 12, already_present: 0 })
    expect((await acme.client.get('/v1/interactions/old-11')).status).toBe(200)
    expect((await cli('archive', 'restore', '--tenant', 'acme', '--from', '2026-01-05', '--to', '2026-01-05T12:00:00Z')).stdout).toMatch(/^restored 0 interactions/)
  })

  it('exports both tiers with --include-archived, and erases a user from both', async () => {
    const exported = await cli('export', '--tenant', 'acme', '--format', 'jsonl', '--include-archived')
    const ids = exported.stdout.split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { id: string }).id)
    expect(ids.slice(0, 13).sort()).toEqual(['fresh', ...Array.from({ length: 12 }, (_, i) => `old-${i}`)].sort()) // hot first
    expect(new Set(ids).size).toBe(31)
    expect(exported.stderr).toContain('wrote 31 rows (jsonl) to stdout from 31 records')
    const erased = await json('users', 'erase', 'user-1', '--tenant', 'acme')
    expect(erased.deleted).toMatchObject({ interactions: 13, archived_interactions: 18 })
    expect((await cli('export', '--tenant', 'acme', '--include-archived', '--format', 'jsonl')).stdout).toBe('')
    expect((await acme.client.get('/v1/archive/batches?limit=200')).body.total_count).toBe(0)
  })

  it('prints a clear error and exits non-zero on bad input', async () => {
    const failure = (error: { code: number; stderr: string }) => error
    expect(await cli('archive', '--days-old', 'thirty').catch(failure)).toMatchObject({ code: 1, stderr: expect.stringContaining('--days-old must be a whole number') })
    expect(await cli('archive', '--tenant', 'nobody').catch(failure)).toMatchObject({ code: 1, stderr: expect.stringContaining("Tenant 'nobody' not found") })
    expect(await cli('export', '--tenant', 'acme', '--include-archived', '--q', 'invoices').catch(failure)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('full-text search does not reach archived interactions'),
    })
    expect(await cli('archive', 'restore', '--tenant', 'acme', '--from', '2026-02-01', '--to', '2026-01-01').catch(failure)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('to: must be after from'),
    })
  })

  it('works with the server stopped, too', async () => {
    await server.stop()
    const summary = await json('archive')
    expect(summary.totals.records).toBe(0) // the restored range is held, nothing else is left
    expect(summary.locked_tenants).toEqual([])
  })
})
