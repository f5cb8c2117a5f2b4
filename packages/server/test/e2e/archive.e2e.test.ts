import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { STORE_KINDS } from '../support/databases.js'
import { anInteraction } from '../support/fixtures.js'
import { download, keyFor, tenantWithKey } from '../support/http.js'
import { startTestServer } from '../support/in-process-server.js'
import { startS3Server, type S3Server } from '../support/s3-server.js'
import { loadConfig } from '../../src/config/config.js'

/** Interactions from January 2026: long past any 30-day policy. */
const oldInteractions = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) =>
    anInteraction({ id: `${prefix}-${i}`, timestamp: new Date(Date.parse('2026-01-05T00:00:00Z') + i * 7_200_000).toISOString(), type: i % 2 ? 'chat' : 'summary', user_id: `u${i % 3}` }),
  )

describe.each(STORE_KINDS)('archive API on %s (S3-compatible target by default)', (kind) => {
  let s3: S3Server
  let url: string
  let stop: () => Promise<void>
  let acme: Awaited<ReturnType<typeof tenantWithKey>>
  let globex: Awaited<ReturnType<typeof tenantWithKey>>

  beforeAll(async () => {
    s3 = await startS3Server()
    const archive = Object.entries(loadConfig(s3.env(`e2e-${kind}`))).filter(([key]) => key.startsWith('archive'))
    const server = await startTestServer(kind, 'archive', { ...Object.fromEntries(archive), archiveEvery: 0 })
    url = server.url
    stop = server.stop
    acme = await tenantWithKey(url, 'acme', ['ingest', 'read', 'admin', 'analytics:view'])
    globex = await tenantWithKey(url, 'globex', ['ingest', 'read', 'admin'])
    for (const tenant of [acme, globex]) {
      const sent = await tenant.client.post('/v1/interactions', { interactions: [...oldInteractions('old', 24), anInteraction({ id: 'fresh' })] })
      expect(sent.body.created).toBe(25)
    }
  })
  afterAll(async () => {
    await stop?.()
    await s3?.stop()
  })

  it('shows the retention defaults, updates what is sent and refuses what makes no sense, naming the field', async () => {
    expect((await acme.client.get('/v1/settings/retention')).body).toEqual({ archive_after_days: 30, delete_archived_after_days: null, target: 's3', updated_at: null })
    const put = await acme.client.call('PUT', '/v1/settings/retention', { delete_archived_after_days: 400 })
    expect(put.status).toBe(200)
    expect(put.body).toMatchObject({ archive_after_days: 30, delete_archived_after_days: 400, target: 's3' })
    const clash = await acme.client.call('PUT', '/v1/settings/retention', { archive_after_days: 500 })
    expect(clash.status).toBe(400)
    expect(clash.body.error.details.issues[0].path).toBe('delete_archived_after_days')
    const typo = await acme.client.call('PUT', '/v1/settings/retention', { archive_after_day: 5 })
    expect(typo.body.error.details.issues[0]).toMatchObject({ path: 'archive_after_day', code: 'unknown_field' })
    expect((await acme.client.call('PUT', '/v1/settings/retention', { target: 'tape' })).body.error.details.issues[0].path).toBe('target')
    expect((await acme.client.call('PUT', '/v1/settings/retention', { delete_archived_after_days: null })).body.delete_archived_after_days).toBeNull()
    // globex keeps its archive on the server's filesystem instead.
    expect((await globex.client.call('PUT', '/v1/settings/retention', { target: 'filesystem' })).body.target).toBe('filesystem')
  })

  it('needs the admin scope, and a tenant-wide key', async () => {
    const reader = await keyFor(url, acme.tenantId, ['read'])
    const refused = await reader.client.post('/v1/archive', {})
    expect(refused.status).toBe(403)
    expect(refused.body.error.details.required_scope).toBe('admin')
    const bound = await keyFor(url, acme.tenantId, ['admin'], 'u1')
    expect((await bound.client.get('/v1/archive/batches')).status).toBe(403)
    expect((await bound.client.get('/v1/settings/retention')).status).toBe(403)
  })

  it('measures with dry_run, then archives the old interactions; lists and metrics see the difference', async () => {
    const dry = await acme.client.post('/v1/archive', { dry_run: true })
    expect(dry.status).toBe(200)
    expect(dry.body).toMatchObject({ dry_run: true, totals: { records: 24 }, locked_tenants: [] })
    expect((await acme.client.get('/v1/interactions?limit=1')).body.total_count).toBe(25)

    const run = await acme.client.post('/v1/archive', {})
    expect(run.status).toBe(200)
    expect(run.body.tenants).toHaveLength(1)
    expect(run.body.tenants[0]).toMatchObject({ tenant_id: acme.tenantId, records: 24, skipped_records: 0 })
    expect(run.body.tenants[0].by_type.map((t: { type: string; records: number }) => [t.type, t.records])).toEqual([
      ['chat', 12],
      ['summary', 12],
    ])
    expect(run.body.totals.compression_ratio).toBeGreaterThan(1)
    expect((await acme.client.get('/v1/interactions?limit=5')).body).toMatchObject({ total_count: 1, interactions: [{ id: 'fresh' }] })
    expect((await acme.client.get('/v1/interactions/old-0')).status).toBe(404)
    const metrics = await acme.client.get('/v1/metrics?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z')
    expect(metrics.body.totals.count).toBe(24)
    // The other tenant's interactions are untouched until it runs its own archive.
    expect((await globex.client.get('/v1/interactions?limit=1')).body.total_count).toBe(25)
    expect((await acme.client.post('/v1/archive', { older_than_days: 1_000_000 })).status).toBe(400)
  })

  it('lists archive batches newest first, filtered, within the tenant only', async () => {
    const list = await acme.client.get('/v1/archive/batches?limit=200')
    expect(list.status).toBe(200)
    expect(list.body.total_count).toBe(list.body.batches.length)
    expect(list.body.batches.reduce((sum: number, b: { record_count: number }) => sum + b.record_count, 0)).toBe(24)
    const batch = list.body.batches[0]
    expect(batch).toMatchObject({ target: 's3', status: 'archived', storage_class: 'STANDARD', compression_ratio: expect.any(Number) })
    expect(batch.object_key).toMatch(new RegExp(`^e2e-${kind}/${acme.tenantId}/(chat|summary)/2026/01/\\d\\d/part-\\d+\\.jsonl\\.gz$`))
    expect(batch.manifest_key).toBe(batch.object_key.replace('.jsonl.gz', '.manifest.json'))
    const chats = await acme.client.get('/v1/archive/batches?type=chat&status=archived&limit=200')
    expect(chats.body.batches.every((b: { type: string }) => b.type === 'chat')).toBe(true)
    expect((await acme.client.get('/v1/archive/batches?limit=1&offset=1')).body).toMatchObject({ returned_count: 1, limit: 1, offset: 1 })
    expect((await acme.client.get('/v1/archive/batches?from=2026-01-07T00:00:00Z')).body.batches.every((b: { to: string }) => b.to >= '2026-01-07')).toBe(true)
    expect((await globex.client.get('/v1/archive/batches')).body.total_count).toBe(0)
    expect((await acme.client.get('/v1/archive/batches?status=lost')).status).toBe(400)
  })

  it('exports archived interactions after the hot ones with include_archived, each once, and refuses q or examples with it', async () => {
    const exporter = await keyFor(url, acme.tenantId, ['export'])
    const lines = (text: string) => text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { id: string; user_id: string })
    expect(lines((await download(url, exporter.key, '/v1/export?format=jsonl')).text).map((i) => i.id)).toEqual(['fresh'])
    const both = await download(url, exporter.key, '/v1/export?format=jsonl&include_archived=true')
    expect(both.status).toBe(200)
    const ids = lines(both.text).map((i) => i.id)
    expect(ids[0]).toBe('fresh')
    expect(ids.slice(1).sort()).toEqual(oldInteractions('old', 24).map((i) => i.id!).sort())
    expect(JSON.parse(both.trailers['x-export-summary']!)).toMatchObject({ records_read: 25, rows_written: 25, skipped_count: 0 })
    const chats = await download(url, exporter.key, '/v1/export?format=openai-chat&include_archived=true&type=chat&user_id=u1')
    expect(lines(chats.text)).toHaveLength(4) // u1's chats: i = 1, 7, 13, 19
    expect((await exporter.client.get('/v1/export/summary?format=trl&include_archived=true')).body).toMatchObject({ records_read: 25, rows_written: 25 })

    const withSearch = await exporter.client.get('/v1/export?format=jsonl&include_archived=true&q=question')
    expect([withSearch.status, withSearch.body.error.code, withSearch.body.error.details.issues[0].path]).toEqual([400, 'invalid_request', 'q'])
    const examples = await exporter.client.get('/v1/export/summary?source=examples&include_archived=true')
    expect([examples.status, examples.body.error.details.issues[0].path]).toEqual([400, 'include_archived'])
    const audit = (await acme.client.get('/v1/audit-log?action=data.export&limit=200')).body.entries
    expect(audit.filter((e: { details: { include_archived: boolean } }) => e.details.include_archived)).toHaveLength(2)
  })

  it('archives another tenant to the filesystem target it chose', async () => {
    const run = await globex.client.post('/v1/archive', {})
    expect(run.body.totals.records).toBe(24)
    const batches = await globex.client.get('/v1/archive/batches?limit=200')
    expect(new Set(batches.body.batches.map((b: { target: string; storage_class: string }) => `${b.target}/${b.storage_class}`))).toEqual(new Set(['filesystem/filesystem']))
  })

  it('restores a range into the hot store, idempotently, and refuses a backwards range', async () => {
    const restore = await acme.client.post('/v1/archive/restore', { from: '2026-01-05', to: '2026-01-06' })
    expect(restore.status).toBe(200)
    expect(restore.body).toMatchObject({ restored: 12, already_present: 0 })
    expect((await acme.client.get('/v1/interactions/old-0')).body).toMatchObject({ id: 'old-0', tenant_id: acme.tenantId, timestamp: '2026-01-05T00:00:00.000Z' })
    expect((await acme.client.get('/v1/interactions?limit=1')).body.total_count).toBe(13)
    expect((await acme.client.post('/v1/archive/restore', { from: '2026-01-05', to: '2026-01-06' })).body.restored).toBe(0)
    // Held: a run now leaves the restored day hot.
    expect((await acme.client.post('/v1/archive', {})).body.totals.records).toBe(0)
    const backwards = await acme.client.post('/v1/archive/restore', { from: '2026-01-06', to: '2026-01-05' })
    expect(backwards.status).toBe(400)
    expect(backwards.body.error.details.issues[0].path).toBe('to')
    expect((await acme.client.post('/v1/archive/restore', { from: 'yesterday', to: '2026-01-05' })).body.error.details.issues[0].path).toBe('from')
  })

  it('records settings changes, runs that moved data, and restores in the audit log', async () => {
    const actions = async (action: string) => (await acme.client.get(`/v1/audit-log?action=${action}&limit=200`)).body.entries
    const settings = await actions('settings.retention.update')
    expect(settings.length).toBeGreaterThanOrEqual(2)
    expect(settings[0]).toMatchObject({ actor_key_id: acme.keyId, target_type: 'settings', target_id: 'retention' })
    const runs = await actions('archive.run')
    expect(runs).toHaveLength(1) // the dry run and the run that found nothing left are not there
    expect(runs[0]).toMatchObject({ actor_key_id: acme.keyId, details: { records: 24, skipped_records: 0 } })
    expect((await actions('archive.restore'))[0]).toMatchObject({ details: { restored: 12, from: '2026-01-05T00:00:00.000Z' } })
  })

  it("erases a user from the hot store and the archive objects that held them, and counts both", async () => {
    // u2's interactions: i = 2, 5, 8, 11 were restored (hot), i = 14, 17, 20, 23 are still archived.
    const deleter = await keyFor(url, acme.tenantId, ['delete', 'export'])
    const erased = await deleter.client.delete('/v1/users/u2/data')
    expect(erased.status).toBe(200)
    expect(erased.body.deleted).toMatchObject({ interactions: 4, archived_interactions: 4 })
    expect((await deleter.client.get('/v1/export/summary?format=jsonl&include_archived=true&user_id=u2')).body.records_read).toBe(0)
    expect((await deleter.client.get('/v1/export/summary?format=jsonl&include_archived=true')).body.records_read).toBe(25 - 8)
    const batches = (await acme.client.get('/v1/archive/batches?limit=200')).body.batches
    expect(batches.reduce((sum: number, b: { record_count: number }) => sum + b.record_count, 0)).toBe(12 - 4)
    const [entry] = (await acme.client.get('/v1/audit-log?action=user_data.erase')).body.entries
    expect(entry).toMatchObject({ actor_key_id: deleter.keyId, target_id: 'u2', details: { outcome: 'completed', deleted: { interactions: 4, archived_interactions: 4 } } })
  })

  it('documents every archive route in the OpenAPI document', async () => {
    const openapi = (await acme.client.get('/openapi.json')).body
    expect(openapi.paths['/v1/settings/retention'].put.requestBody).toBeDefined()
    expect(openapi.paths['/v1/archive'].post.summary).toMatch(/Archive/)
    expect(openapi.paths['/v1/archive/batches'].get.responses['200']).toBeDefined()
    expect(openapi.paths['/v1/archive/restore'].post.requestBody).toBeDefined()
    for (const schema of ['RetentionSettings', 'ArchiveRunSummary', 'ArchiveBatch', 'ArchiveBatchList', 'ArchiveRestoreResult']) {
      expect(Object.keys(openapi.components.schemas)).toContain(schema)
    }
  })
})

describe.each(STORE_KINDS)('scheduled archiving on %s', (kind) => {
  it('archives on its own when a schedule is set, and stops with the server', async () => {
    const server = await startTestServer(kind, 'schedule', { archiveEvery: 300 })
    try {
      const { client } = await tenantWithKey(server.url, 'scheduled', ['ingest', 'read', 'admin'])
      await client.post('/v1/interactions', { interactions: [...oldInteractions('s', 10), anInteraction({ id: 'now' })] })
      const deadline = Date.now() + 30_000
      while ((await client.get('/v1/interactions?limit=1')).body.total_count > 1) {
        if (Date.now() > deadline) throw new Error('the schedule did not archive in time')
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      const batches = (await client.get('/v1/archive/batches?limit=200')).body
      expect(batches.batches.reduce((sum: number, b: { record_count: number }) => sum + b.record_count, 0)).toBe(10)
    } finally {
      await server.stop()
    }
  })
})
