import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { STORE_KINDS } from '../support/databases.js'
import { collectIds } from '../support/collect.js'
import { anInteraction } from '../support/fixtures.js'
import { download, keyFor, tenantWithKey } from '../support/http.js'
import { startTestServer } from '../support/in-process-server.js'

const jsonLines = (text: string) => text.split('\n').filter(Boolean).map((line) => JSON.parse(line))

describe.each(STORE_KINDS)('export over HTTP on %s', (kind) => {
  let stop: () => Promise<void>
  let url: string
  let acme: Awaited<ReturnType<typeof tenantWithKey>>
  let other: Awaited<ReturnType<typeof tenantWithKey>>
  const ids: Record<string, string> = {}

  const exportIds = async (query: string, key = acme.key) => {
    const response = await download(url, key, `/v1/export?format=jsonl&${query}`)
    expect(response.status, response.text).toBe(200)
    return jsonLines(response.text).map((interaction: { id: string }) => interaction.id).sort()
  }
  const idsOf = (...names: string[]) => names.map((name) => ids[name]!).sort()

  beforeAll(async () => {
    const server = await startTestServer(kind, 'export')
    stop = server.stop
    url = server.url
    acme = await tenantWithKey(url, 'acme-export', ['ingest', 'read', 'feedback', 'export'])
    other = await tenantWithKey(url, 'other-export', ['ingest', 'export'])
    const items = {
      early: anInteraction({ id: 'early', timestamp: '2026-01-01T10:00:00Z', user_id: 'u1', category: 'web', user_message: 'refund please', assistant_response: 'Refunded.' }),
      corrected: anInteraction({ id: 'corrected', timestamp: '2026-01-02T10:00:00Z', user_id: 'u1', category: 'web', user_message: 'Capital of France?', assistant_response: 'Lyon' }),
      liked: anInteraction({ id: 'liked', timestamp: '2026-01-03T10:00:00Z', user_id: 'u2', category: 'mobile', tags: ['beta'], user_message: 'Best pizza?', assistant_response: 'Margherita' }),
      disliked: anInteraction({ id: 'disliked', timestamp: '2026-01-04T10:00:00Z', user_id: 'u2', category: 'mobile', user_message: 'Best pizza?', assistant_response: 'Pineapple' }),
      failed: anInteraction({ id: 'failed', timestamp: '2026-01-05T10:00:00Z', user_id: 'u1', category: 'web', user_message: 'no answer', assistant_response: undefined, error_message: 'timeout' }),
      summary: anInteraction({ id: 'summary', timestamp: '2026-01-06T10:00:00Z', type: 'summarize', user_id: 'u1', user_message: 'sum up', assistant_response: 'short' }),
    }
    const created = await acme.client.post('/v1/interactions', { interactions: Object.values(items) })
    expect(created.body.created).toBe(6)
    for (const name of Object.keys(items)) ids[name] = name
    const feedback = async (id: string, body: object) => expect((await acme.client.post(`/v1/interactions/${id}/feedback`, body)).status).toBe(201)
    await feedback('corrected', { kind: 'modified', quality_score: 70, correction: 'Paris' })
    await feedback('liked', { kind: 'thumbs_up', quality_score: 95 })
    await feedback('disliked', { kind: 'thumbs_down', quality_score: 10 })
    await feedback('failed', { kind: 'report' })
    await other.client.post('/v1/interactions', anInteraction({ id: 'foreign', user_message: 'other tenant', assistant_response: 'hidden' }))
  })
  afterAll(() => stop?.())

  it('streams openai-chat as an attachment, with the correction as the answer and the summary in a trailer', async () => {
    const response = await download(url, acme.key, '/v1/export?format=openai-chat')
    expect(response.status).toBe(200)
    expect(response.headers['content-type']).toBe('application/x-ndjson; charset=utf-8')
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="interlog-openai-chat-[0-9T:-]+Z\.jsonl"$/)
    expect(response.headers['transfer-encoding']).toBe('chunked')
    const lines = jsonLines(response.text)
    expect(lines).toHaveLength(5)
    expect(lines).toContainEqual({ messages: [{ role: 'user', content: 'Capital of France?' }, { role: 'assistant', content: 'Paris' }] })
    expect(JSON.stringify(lines)).not.toContain('other tenant')
    const summary = JSON.parse(response.trailers['x-export-summary']!)
    expect(summary).toEqual({ format: 'openai-chat', records_read: 6, rows_written: 5, skipped_count: 1, skipped: { no_assistant_message: 1 }, truncated: false })
    expect((await acme.client.get('/v1/export/summary?format=openai-chat')).body).toEqual(summary)
  })

  it('applies the export filters and every list filter', async () => {
    expect(await exportIds('type=chat&category=web')).toEqual(idsOf('early', 'corrected', 'failed'))
    expect(await exportIds('from=2026-01-02T00:00:00Z&to=2026-01-04T00:00:00Z')).toEqual(idsOf('corrected', 'liked'))
    expect(await exportIds('success_only=true')).toEqual(idsOf('early', 'corrected', 'liked', 'disliked', 'summary'))
    expect(await exportIds('with_feedback_only=true')).toEqual(idsOf('corrected', 'liked', 'disliked', 'failed'))
    expect(await exportIds('min_quality=70')).toEqual(idsOf('corrected', 'liked'))
    expect(await exportIds('exclude_flagged=true')).toEqual(idsOf('early', 'corrected', 'liked', 'summary'))
    expect(await exportIds('q=refund')).toEqual(idsOf('early'))
    expect(await exportIds('tag=beta&user_id=u2')).toEqual(idsOf('liked'))
  })

  it("exports the list's current view from the same query string", async () => {
    const view = 'type=chat&status=success&sort=newest'
    const listed = [...(await collectIds(acme.client, `&${view}`))].sort()
    expect(await exportIds(`${view}&limit=50&offset=0`)).toEqual(listed)
  })

  it('writes valid CSV and JSON, and pairs preferences for openai-dpo', async () => {
    const csv = await download(url, acme.key, '/v1/export?format=csv&type=chat&category=mobile')
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(csv.headers['content-disposition']).toMatch(/\.csv"$/)
    const [header, ...rows] = csv.text.trim().split('\n')
    expect(header!.split(',').slice(0, 3)).toEqual(['id', 'timestamp', 'user_id'])
    expect(rows.map((row) => row.split(',')[0]).sort()).toEqual(idsOf('liked', 'disliked'))
    const json = await download(url, acme.key, '/v1/export?format=json&user_id=u2')
    expect(JSON.parse(json.text).map((interaction: { id: string }) => interaction.id).sort()).toEqual(idsOf('liked', 'disliked'))
    const dpo = jsonLines((await download(url, acme.key, '/v1/export?format=openai-dpo')).text)
    expect(dpo).toEqual([
      {
        input: { messages: [{ role: 'user', content: 'Best pizza?' }] },
        preferred_output: [{ role: 'assistant', content: 'Margherita' }],
        non_preferred_output: [{ role: 'assistant', content: 'Pineapple' }],
      },
      {
        input: { messages: [{ role: 'user', content: 'Capital of France?' }] },
        preferred_output: [{ role: 'assistant', content: 'Paris' }],
        non_preferred_output: [{ role: 'assistant', content: 'Lyon' }],
      },
    ])
  })

  it("a user-bound key exports only its user's rows", async () => {
    const bound = await keyFor(url, acme.tenantId, ['export'], 'u2')
    expect(await exportIds('', bound.key)).toEqual(idsOf('liked', 'disliked'))
    const refused = await bound.client.get('/v1/export?user_id=u1')
    expect(refused.status).toBe(403)
  })

  it('needs the export scope and answers bad input with 400 naming the field', async () => {
    const reader = await keyFor(url, acme.tenantId, ['read'])
    const forbidden = await reader.client.get('/v1/export?format=jsonl')
    expect(forbidden.status).toBe(403)
    expect(forbidden.body.error.details).toEqual({ required_scope: 'export' })
    const cases: [string, string][] = [
      ['format=parquet', 'format'],
      ['min_quality=high', 'min_quality'],
      ['success_only=maybe', 'success_only'],
      ['from=yesterday', 'from'],
      ['formt=csv', 'formt'],
      ['q=%22unclosed', 'q'],
    ]
    for (const [query, field] of cases) {
      const response = await acme.client.get(`/v1/export?${query}`)
      expect(response.status, query).toBe(400)
      expect(response.body.error.details.issues[0].path, query).toBe(field)
    }
    expect((await acme.client.get('/v1/export/summary?format=parquet')).status).toBe(400)
    // No HEAD route: it would run a whole export only to drop the body.
    expect((await acme.client.call('HEAD', '/v1/export?format=jsonl')).status).toBe(404)
  })

  it('streams a large export page by page', async () => {
    const bulk = await tenantWithKey(url, 'bulk-export', ['ingest', 'export'])
    for (let batch = 0; batch < 3; batch++) {
      const interactions = Array.from({ length: 1000 }, (_, i) => anInteraction({ id: `bulk-${batch}-${i}`, timestamp: new Date(Date.UTC(2026, 0, 1) + (batch * 1000 + i) * 1000).toISOString() }))
      expect((await bulk.client.post('/v1/interactions', { interactions })).body.created).toBe(1000)
    }
    const response = await download(url, bulk.key, '/v1/export?format=openai-chat')
    const lines = jsonLines(response.text)
    expect(lines).toHaveLength(3000)
    expect(lines.every((line: { messages: { role: string }[] }) => line.messages.at(-1)!.role === 'assistant')).toBe(true)
    expect(JSON.parse(response.trailers['x-export-summary']!)).toMatchObject({ records_read: 3000, rows_written: 3000 })
    const ids = jsonLines((await download(url, bulk.key, '/v1/export?format=jsonl')).text).map((interaction: { id: string }) => interaction.id)
    expect(new Set(ids).size).toBe(3000)
    expect(ids[0]).toBe('bulk-2-999') // newest first
    const capped = await download(url, bulk.key, '/v1/export?format=json&max_rows=600')
    expect(JSON.parse(capped.text)).toHaveLength(600)
    expect(JSON.parse(capped.trailers['x-export-summary']!)).toMatchObject({ rows_written: 600, truncated: true })
  })

  it('writes each export to the audit log, dry runs aside', async () => {
    const tenant = await tenantWithKey(url, 'audited-export', ['ingest', 'export'])
    const auditor = await keyFor(url, tenant.tenantId, ['admin'])
    await tenant.client.post('/v1/interactions', { interactions: [anInteraction(), anInteraction({ assistant_response: undefined })] })
    await tenant.client.get('/v1/export/summary?format=openai-chat')
    await download(url, tenant.key, '/v1/export?format=openai-chat&type=chat')
    const log = await auditor.client.get('/v1/audit-log?action=data.export')
    expect(log.body.entries).toHaveLength(1)
    expect(log.body.entries[0]).toMatchObject({
      action: 'data.export',
      actor_key_id: tenant.keyId,
      target_type: 'interactions',
      target_id: 'openai-chat',
      details: { outcome: 'completed', format: 'openai-chat', filter: { type: 'chat' }, records_read: 2, rows_written: 1, skipped_count: 1, truncated: false },
    })
  })

  it('appears in the OpenAPI document', async () => {
    const openapi = await (await fetch(`${url}/openapi.json`)).json()
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/v1/export', '/v1/export/summary']))
    const parameters = openapi.paths['/v1/export'].get.parameters.map((p: { name: string }) => p.name)
    expect(parameters).toEqual(expect.arrayContaining(['format', 'type', 'q', 'success_only', 'with_feedback_only', 'min_quality', 'exclude_flagged', 'include_archived']))
    expect(Object.keys(openapi.paths['/v1/export'].get.responses['200'].content)).toEqual(expect.arrayContaining(['text/csv', 'application/x-ndjson']))
    expect(openapi.components.schemas.ExportSummary).toBeDefined()
  })
})
