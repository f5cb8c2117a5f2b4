import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { STORE_KINDS } from '../support/databases.js'
import { anInteraction } from '../support/fixtures.js'
import { keyFor, tenantWithKey } from '../support/http.js'
import { startTestServer } from '../support/in-process-server.js'

describe.each(STORE_KINDS)('analytics API on %s', (kind) => {
  let stop: () => Promise<void>
  let url: string
  let tenant: Awaited<ReturnType<typeof tenantWithKey>>

  beforeAll(async () => {
    const server = await startTestServer(kind, 'analytics')
    stop = server.stop
    url = server.url
    tenant = await tenantWithKey(server.url, 'analytics', ['ingest', 'read', 'analytics:view', 'admin', 'feedback', 'delete'])
    const batch = await tenant.client.post('/v1/interactions', {
      interactions: [
        anInteraction({ model: 'gpt-4o-mini', provider: 'openai', prompt_tokens: 1000, completion_tokens: 500, latency_ms: 100 }),
        anInteraction({ model: 'gpt-4o-mini', provider: 'openai', prompt_tokens: 10, cost_usd: 0.25, latency_ms: 200 }),
        anInteraction({ model: 'house-model-7', prompt_tokens: 10, completion_tokens: 10, latency_ms: 300 }),
        anInteraction({ model: 'house-model-7', error_type: 'RateLimit', error_message: 'slow down', error_details: { retry: true }, latency_ms: 400 }),
        anInteraction({ required_variables: ['name', 'plan'], input_variables: { name: 'Ann' }, latency_ms: 500 }),
      ],
    })
    expect(batch.body.created).toBe(5)
  })
  afterAll(() => stop?.())

  it('needs the analytics:view scope for metrics', async () => {
    const reader = await keyFor(url, tenant.tenantId, ['read'])
    const denied = await reader.client.get('/v1/metrics')
    expect(denied.status).toBe(403)
    expect(denied.body.error.details.required_scope).toBe('analytics:view')
  })

  it('answers metrics over the last 30 days by default, grouped as asked', async () => {
    const report = await tenant.client.get('/v1/metrics?group_by=model')
    expect(report.status).toBe(200)
    expect(report.body).toMatchObject({ interval: 'day', group_by: 'model', source: 'rollups' })
    expect(report.body.totals).toMatchObject({ count: 5, failure_count: 1, success_count: 4 })
    expect(report.body.series).toHaveLength(31)
    expect(report.body.series.reduce((sum: number, b: { count: number }) => sum + b.count, 0)).toBe(5)
    expect(report.body.groups.map((g: { value: string; count: number }) => [g.value, g.count])).toEqual([
      ['gpt-4o-mini', 3],
      ['house-model-7', 2],
    ])
    const bad = await tenant.client.get('/v1/metrics?group_by=colour')
    expect(bad.body.error.details.issues[0].path).toBe('group_by')
  })

  it('prices interactions without a cost from the bundled table, never guessing an unknown model', async () => {
    const list = await tenant.client.get('/v1/interactions?model=gpt-4o-mini')
    const explicit = list.body.interactions.find((i: { cost_usd?: number }) => i.cost_usd === 0.25)
    const estimated = list.body.interactions.find((i: { prompt_tokens: number }) => i.prompt_tokens === 1000)
    expect(explicit).toMatchObject({ cost_usd: 0.25 })
    expect(explicit.cost_estimated).toBeUndefined()
    // gpt-4o-mini: $0.15 per million input tokens and $0.60 per million output tokens.
    expect(estimated.cost_usd).toBeCloseTo(1000 * 0.15e-6 + 500 * 0.6e-6, 9)
    expect(estimated.cost_estimated).toBe(true)
    const unknown = await tenant.client.get('/v1/interactions?model=house-model-7')
    expect(unknown.body.interactions.every((i: { cost_usd?: number }) => i.cost_usd === undefined)).toBe(true)
  })

  it("prices with the tenant's own price once set", async () => {
    const put = await tenant.client.call('PUT', '/v1/prices/house-model-7', { input_per_mtok: 1, output_per_mtok: 2 })
    expect(put.status).toBe(200)
    expect((await tenant.client.call('PUT', '/v1/prices/house-model-7', { input_per_mtok: -1, output_per_mtok: 2 })).body.error.details.issues[0].path).toBe('input_per_mtok')
    const created = await tenant.client.post('/v1/interactions', anInteraction({ model: 'house-model-7', prompt_tokens: 1_000_000, completion_tokens: 500_000, thread_id: 'priced' }))
    const stored = await tenant.client.get(`/v1/interactions/${created.body.id}`)
    expect(stored.body).toMatchObject({ cost_usd: 2, cost_estimated: true })
    expect((await tenant.client.get('/v1/prices')).body.prices.map((p: { model: string }) => p.model)).toEqual(['house-model-7'])
    expect((await tenant.client.delete('/v1/prices/house-model-7')).status).toBe(204)
    expect((await tenant.client.delete('/v1/prices/house-model-7')).status).toBe(404)
    await tenant.client.delete(`/v1/interactions/${created.body.id}`)
  })

  it('records feedback with history, edit distance and the latest on the interaction, and counts it', async () => {
    const created = await tenant.client.post('/v1/interactions', anInteraction({ thread_id: 'fb', assistant_response: 'The capital is Pari' }))
    const id = created.body.id
    const corrected = await tenant.client.post(`/v1/interactions/${id}/feedback`, { kind: 'modified', quality_score: 60, correction: 'The capital is Paris', categories: ['typo'] })
    expect(corrected.status).toBe(201)
    expect(corrected.body).toMatchObject({ kind: 'modified', edit_distance: 1, categories: ['typo'], quality_score: 60 })
    await tenant.client.post(`/v1/interactions/${id}/feedback`, { kind: 'thumbs_up', comment: 'good now' })
    expect((await tenant.client.get(`/v1/interactions/${id}`)).body).toMatchObject({ feedback_kind: 'thumbs_up', feedback_quality_score: 60 })
    expect((await tenant.client.get(`/v1/interactions/${id}/feedback`)).body.feedback.map((f: { kind: string }) => f.kind)).toEqual(['modified', 'thumbs_up'])
    const bad = await tenant.client.post(`/v1/interactions/${id}/feedback`, { kind: 'love', sentiment: 9 })
    expect(bad.body.error.details.issues.map((i: { path: string }) => i.path).sort()).toEqual(['kind', 'sentiment'])
    expect((await tenant.client.post('/v1/interactions/missing/feedback', { kind: 'report' })).status).toBe(404)
    const metrics = await tenant.client.get('/v1/metrics')
    expect(metrics.body.totals.feedback).toMatchObject({ with_feedback: 1, counts: { thumbs_up: 1 }, avg_quality_score: 60 })
    await tenant.client.delete(`/v1/interactions/${id}`)
    expect((await tenant.client.get('/v1/metrics')).body.totals.feedback.with_feedback).toBe(0)
  })

  it('lets a user-bound feedback key rate only its own user', async () => {
    const mine = await tenant.client.post('/v1/interactions', anInteraction({ user_id: 'browser-user' }))
    const theirs = await tenant.client.post('/v1/interactions', anInteraction({ user_id: 'someone-else' }))
    const browser = await keyFor(url, tenant.tenantId, ['feedback'], 'browser-user')
    expect((await browser.client.post(`/v1/interactions/${mine.body.id}/feedback`, { kind: 'thumbs_down' })).status).toBe(201)
    expect((await browser.client.post(`/v1/interactions/${theirs.body.id}/feedback`, { kind: 'thumbs_down' })).status).toBe(404)
    await tenant.client.delete(`/v1/interactions/${mine.body.id}`)
    await tenant.client.delete(`/v1/interactions/${theirs.body.id}`)
  })

  it('lists the latest failures with their error, input and context', async () => {
    const failures = await tenant.client.get('/v1/failures')
    expect(failures.status).toBe(200)
    expect(failures.body.total_count).toBe(1)
    expect(failures.body.failures[0]).toMatchObject({
      error_type: 'RateLimit',
      error_message: 'slow down',
      error_details: { retry: true },
      input: { user_message: expect.any(String) },
      context: { latency_ms: 400 },
    })
    expect(failures.body.by_error_type).toEqual([{ error_type: 'RateLimit', count: 1 }])
  })

  it('lists interactions with missing variables and counts per variable', async () => {
    const quality = await tenant.client.get('/v1/data-quality')
    expect(quality.status).toBe(200)
    expect(quality.body).toMatchObject({ with_required_variables: 1, all_variables_present: 0, variables: [{ variable: 'plan', missing_count: 1 }], total_count: 1 })
    expect(quality.body.interactions[0]).toMatchObject({ missing_variables: ['plan'], input_variables: { name: 'Ann' } })
  })
})
