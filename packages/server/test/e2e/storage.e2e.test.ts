import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { STORE_KINDS } from '../support/databases.js'
import { anInteraction } from '../support/fixtures.js'
import { keyFor, tenantWithKey } from '../support/http.js'
import { startTestServer } from '../support/in-process-server.js'

/** 24 interactions from January 2026 (past any 30-day policy) and 2 fresh ones, over two types and categories. */
const interactions = () => [
  ...Array.from({ length: 24 }, (_, i) =>
    anInteraction({
      id: `old-${i}`,
      timestamp: new Date(Date.parse('2026-01-05T00:00:00Z') + i * 3_600_000).toISOString(),
      type: i % 3 ? 'chat' : 'summary',
      category: i % 2 ? 'web' : 'mobile',
      assistant_response: `a long enough answer to compress well. `.repeat(20 + i),
    }),
  ),
  anInteraction({ id: 'fresh-1', type: 'chat', category: 'web' }),
  anInteraction({ id: 'fresh-2', type: 'chat', category: 'web' }),
]

describe.each(STORE_KINDS)('storage stats on %s', (kind) => {
  let url: string
  let stop: () => Promise<void>
  let acme: Awaited<ReturnType<typeof tenantWithKey>>

  beforeAll(async () => {
    const server = await startTestServer(kind, 'storage', { archiveEvery: 0 })
    url = server.url
    stop = server.stop
    acme = await tenantWithKey(url, 'acme', ['ingest', 'read', 'admin'])
    expect((await acme.client.post('/v1/interactions', { interactions: interactions() })).body.created).toBe(26)
    const other = await tenantWithKey(url, 'globex', ['ingest'])
    await other.client.post('/v1/interactions', { interactions: interactions() })
  })
  afterAll(async () => stop?.())

  it('counts the hot tier, its raw and stored sizes, and what could be archived', async () => {
    const stats = (await acme.client.get('/v1/storage/stats')).body
    const rows = (await acme.client.get('/v1/interactions?limit=200')).body.interactions as { size_bytes: number }[]
    const rawBytes = rows.reduce((total, row) => total + row.size_bytes, 0)
    expect(stats.active).toMatchObject({ records: 26, raw_bytes: rawBytes, gb_month_usd: 0.115 })
    expect(stats.active.stored_bytes).toBeGreaterThan(0)
    expect(stats.archived).toMatchObject({ records: 0, stored_bytes: 0, batches: 0, compression_ratio: null })
    expect(stats.total).toMatchObject({ records: 26, raw_bytes: rawBytes })
    expect(stats.eligible_for_archive.records).toBe(24)
    expect(stats.eligible_for_archive.estimated_monthly_saving_usd).toBeGreaterThanOrEqual(0)
    expect(stats.by_type.map((t: { type: string; records: number }) => [t.type, t.records])).toEqual([
      ['chat', 18],
      ['summary', 8],
    ])
    expect(stats.by_category.map((c: { category: string; records: number }) => [c.category, c.records])).toEqual([
      ['web', 14],
      ['mobile', 12],
    ])
    expect(stats.recommendations[0]).toMatch(/^Archive the 24 interactions older than/)
  })

  it('counts both tiers once old interactions are archived', async () => {
    expect((await acme.client.post('/v1/archive', {})).status).toBe(200)
    const stats = (await acme.client.get('/v1/storage/stats')).body
    expect(stats.active.records).toBe(2)
    expect(stats.archived.records).toBe(24)
    expect(stats.archived.batches).toBeGreaterThan(0)
    expect(stats.archived.compression_ratio).toBeGreaterThan(2)
    expect(stats.archived.raw_bytes).toBeGreaterThan(stats.archived.stored_bytes)
    expect(stats.total.records).toBe(26)
    expect(stats.total.estimated_monthly_cost_usd).toBeCloseTo(stats.active.estimated_monthly_cost_usd + stats.archived.estimated_monthly_cost_usd, 4)
    expect(stats.eligible_for_archive.records).toBe(0)
    const chat = stats.by_type.find((t: { type: string }) => t.type === 'chat')
    expect(chat).toMatchObject({ records: 18, active_records: 2, archived_records: 16 })
  })

  it('gives readiness per type with advice', async () => {
    const stats = (await acme.client.get('/v1/storage/stats')).body
    expect(stats.readiness.map((r: { type: string }) => r.type)).toEqual(['chat', 'summary'])
    const chat = (await acme.client.get('/v1/readiness?type=chat')).body
    expect(stats.readiness[0]).toEqual({ type: 'chat', score: chat.score, ready: chat.ready })
    expect(stats.recommendations).toContain(`"chat" is not ready for fine-tuning yet (readiness ${chat.score}/100): GET /v1/readiness?type=chat says what is missing.`)
  })

  it('is in the OpenAPI document', async () => {
    const openapi = (await acme.client.get('/openapi.json')).body
    expect(openapi.paths['/v1/storage/stats'].get.responses['200']).toBeDefined()
  })

  it('needs admin, on a tenant-wide key', async () => {
    const reader = await keyFor(url, acme.tenantId, ['read', 'analytics:view'])
    expect((await reader.client.get('/v1/storage/stats')).body.error.details.required_scope).toBe('admin')
    const bound = await keyFor(url, acme.tenantId, ['admin'], 'user-1')
    expect((await bound.client.get('/v1/storage/stats')).status).toBe(403)
  })
})
