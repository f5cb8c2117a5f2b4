import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { STORE_KINDS } from '../support/databases.js'
import { anInteraction } from '../support/fixtures.js'
import { apiClient, keyFor, tenantWithKey } from '../support/http.js'
import { startTestServer } from '../support/in-process-server.js'

const ALL_SCOPES = ['ingest', 'read', 'analytics:view', 'feedback', 'export', 'delete', 'admin']
const paths = (body: { error: { details: { issues: { path: string }[] } } }) => body.error.details.issues.map((issue) => issue.path).sort()

describe.each(STORE_KINDS)('training data API on %s', (kind) => {
  let stop: () => Promise<void>
  let url: string
  let acme: Awaited<ReturnType<typeof tenantWithKey>>
  let globex: Awaited<ReturnType<typeof tenantWithKey>>
  let structured: string
  let annId: string
  let bobId: string
  let globexId: string

  beforeAll(async () => {
    const server = await startTestServer(kind, 'training')
    stop = server.stop
    url = server.url
    acme = await tenantWithKey(url, 'acme-training', ALL_SCOPES)
    globex = await tenantWithKey(url, 'globex-training', ALL_SCOPES)
    const created = await acme.client.post('/v1/interactions', {
      interactions: [
        anInteraction({ type: 'outline_generation', category: 'web', user_id: 'ann', user_message: 'Outline a course', structured_output: { title: 'Course', items: [{ title: 'Intro' }, { title: 'Basics' }] } }),
        anInteraction({ type: 'chat', category: 'web', user_id: 'ann', assistant_response: '{"answer": 41}' }),
        anInteraction({ type: 'chat', category: 'mobile', user_id: 'bob' }),
      ],
    })
    ;[structured, annId, bobId] = created.body.results.map((r: { id: string }) => r.id)
    globexId = (await globex.client.post('/v1/interactions', anInteraction())).body.id
  })
  afterAll(() => stop?.())

  describe('validations', () => {
    it('diffs an edit against the structured output, keeps the history and shows the latest on the interaction', async () => {
      const edited = { title: 'Course', items: [{ title: 'Intro' }, { title: 'The basics' }, { title: 'Practice' }], level: 'beginner' }
      const first = await acme.client.post(`/v1/interactions/${structured}/validations`, {
        passed: false,
        score: 40,
        errors: ['items: too few', { path: 'items[1].title', message: 'vague' }],
        warnings: [],
        duration_ms: 12,
        edited,
      })
      expect(first.status).toBe(201)
      expect(first.body).toMatchObject({
        interaction_id: structured,
        passed: false,
        score: 40,
        errors: ['items: too few', { path: 'items[1].title', message: 'vague' }],
        original: null,
        edited,
        user_edited: true,
        diff: { added: ['level', 'items[2]'], removed: [], modified: ['items[1].title'], truncated: false },
      })
      const second = await acme.client.post(`/v1/interactions/${structured}/validations`, { passed: true, score: 95, original: { a: 1 }, edited: { a: 1 } })
      expect(second.body).toMatchObject({ user_edited: false, diff: { added: [], removed: [], modified: [] } })
      const history = await acme.client.get(`/v1/interactions/${structured}/validations`)
      expect(history.body.validations.map((v: { score: number }) => v.score)).toEqual([40, 95])
      expect((await acme.client.get(`/v1/interactions/${structured}`)).body).toMatchObject({ validation_passed: true, validation_score: 95, validation_user_edited: false })
    })

    it('compares with a JSON answer in assistant_response when no original is sent, and records no diff without an edit', async () => {
      const edited = await acme.client.post(`/v1/interactions/${annId}/validations`, { passed: true, edited: { answer: 42 } })
      expect(edited.body).toMatchObject({ user_edited: true, diff: { modified: ['answer'] } })
      const plain = await acme.client.post(`/v1/interactions/${annId}/validations`, { passed: true })
      expect(plain.body).toMatchObject({ diff: null, user_edited: false, errors: [], warnings: [], score: null, duration_ms: null })
    })

    it('answers 400 naming each bad field, 404 for another tenant, and 403 without the feedback scope', async () => {
      const bad = await acme.client.post(`/v1/interactions/${annId}/validations`, { score: 101, duration_ms: -1, colour: 'red' })
      expect(bad.status).toBe(400)
      expect(paths(bad.body)).toEqual(['colour', 'duration_ms', 'passed', 'score'])
      expect((await acme.client.post(`/v1/interactions/${globexId}/validations`, { passed: true })).status).toBe(404)
      expect((await acme.client.get(`/v1/interactions/${globexId}/validations`)).status).toBe(404)
      const reader = await keyFor(url, acme.tenantId, ['read'])
      const denied = await reader.client.post(`/v1/interactions/${annId}/validations`, { passed: true })
      expect(denied.status).toBe(403)
      expect(denied.body.error.details.required_scope).toBe('feedback')
    })

    it("lets a user-bound key validate only its own user's interactions", async () => {
      const browser = await keyFor(url, acme.tenantId, ['feedback', 'read'], 'bob')
      expect((await browser.client.post(`/v1/interactions/${bobId}/validations`, { passed: true })).status).toBe(201)
      expect((await browser.client.post(`/v1/interactions/${annId}/validations`, { passed: true })).status).toBe(404)
      expect((await browser.client.get(`/v1/interactions/${annId}/validations`)).status).toBe(404)
    })
  })

  describe('examples', () => {
    let fromInteraction: string

    it('copies the input, output, type and category of an interaction, or takes raw input and output', async () => {
      const copied = await acme.client.post('/v1/examples', { interaction_id: structured, quality_score: 90, tags: ['gold', 'outline'] })
      expect(copied.status).toBe(201)
      fromInteraction = copied.body.id
      expect(copied.body).toMatchObject({
        interaction_id: structured,
        user_id: 'ann',
        type: 'outline_generation',
        category: 'web',
        input: { user_message: 'Outline a course' },
        output: { structured_output: { title: 'Course' } },
        quality_score: 90,
        tags: ['gold', 'outline'],
        usage_count: 0,
        last_used_at: null,
      })
      const corrected = await acme.client.post('/v1/examples', { interaction_id: annId, output: 'The answer is 42.', type: 'faq' })
      expect(corrected.body).toMatchObject({ type: 'faq', category: 'web', output: 'The answer is 42.', quality_score: null })
      const raw = await acme.client.post('/v1/examples', { input: [{ role: 'user', content: 'Hi' }], output: 'Hello!', quality_score: 75, category: 'web', tags: ['gold'], metadata: { by: 'curator' } })
      expect(raw.body).toMatchObject({ interaction_id: null, user_id: null, input: [{ role: 'user', content: 'Hi' }], metadata: { by: 'curator' } })
      expect((await acme.client.get(`/v1/examples/${raw.body.id}`)).body).toEqual(raw.body)
    })

    it('lists newest first with filters, paging and the total count', async () => {
      const list = async (query: string) => (await acme.client.get(`/v1/examples?${query}`)).body
      expect((await list('')).total_count).toBe(3)
      expect(await list('limit=1&offset=1')).toMatchObject({ total_count: 3, returned_count: 1, limit: 1, offset: 1 })
      expect((await list('tag=gold')).examples.map((e: { quality_score: number }) => e.quality_score)).toEqual([75, 90])
      expect((await list('min_quality=80')).examples.map((e: { id: string }) => e.id)).toEqual([fromInteraction])
      expect((await list('type=faq&category=web')).total_count).toBe(1)
      expect((await list(`interaction_id=${structured}`)).total_count).toBe(1)
      const bad = await acme.client.get('/v1/examples?min_quality=high&limit=500')
      expect(bad.status).toBe(400)
      expect(paths(bad.body)).toEqual(['limit', 'min_quality'])
    })

    it('answers 400 without a source, 404 for another tenant, and 403 without the right scope', async () => {
      const missing = await acme.client.post('/v1/examples', { quality_score: 50 })
      expect(missing.status).toBe(400)
      expect(paths(missing.body)).toEqual(['input', 'output'])
      const bad = await acme.client.post('/v1/examples', { input: 'x', output: 'y', quality_score: 120, tags: [''] })
      expect(paths(bad.body)).toEqual(['quality_score', 'tags.0'])
      expect((await acme.client.post('/v1/examples', { interaction_id: globexId })).status).toBe(404)
      expect((await globex.client.get(`/v1/examples/${fromInteraction}`)).status).toBe(404)
      expect((await globex.client.delete(`/v1/examples/${fromInteraction}`)).status).toBe(404)
      expect((await globex.client.get('/v1/examples')).body.total_count).toBe(0)
      const curator = await keyFor(url, acme.tenantId, ['feedback'])
      expect((await curator.client.get('/v1/examples')).body.error.details.required_scope).toBe('read')
      expect((await curator.client.delete(`/v1/examples/${fromInteraction}`)).body.error.details.required_scope).toBe('delete')
    })

    it("gives a user-bound key only its own user's examples", async () => {
      const bob = await keyFor(url, acme.tenantId, ['feedback', 'read', 'delete'], 'bob')
      expect((await bob.client.post('/v1/examples', { interaction_id: structured })).status).toBe(404)
      const own = await bob.client.post('/v1/examples', { interaction_id: bobId, quality_score: 80 })
      expect(own.body).toMatchObject({ user_id: 'bob', category: 'mobile' })
      const raw = await bob.client.post('/v1/examples', { input: 'a', output: 'b' })
      expect(raw.body.user_id).toBe('bob')
      expect((await bob.client.get('/v1/examples')).body.total_count).toBe(2)
      expect((await bob.client.get(`/v1/examples/${fromInteraction}`)).status).toBe(404)
      expect((await bob.client.delete(`/v1/examples/${fromInteraction}`)).status).toBe(404)
      expect((await bob.client.delete(`/v1/examples/${raw.body.id}`)).status).toBe(204)
      expect((await bob.client.get(`/v1/examples/${raw.body.id}`)).status).toBe(404)
    })

    it('keeps an example when its source interaction is deleted, detached from it', async () => {
      const source = (await acme.client.post('/v1/interactions', anInteraction({ user_id: 'cat' }))).body.id
      const example = (await acme.client.post('/v1/examples', { interaction_id: source })).body
      await acme.client.post(`/v1/interactions/${source}/validations`, { passed: true })
      expect((await acme.client.delete(`/v1/interactions/${source}`)).status).toBe(204)
      expect((await acme.client.get(`/v1/examples/${example.id}`)).body).toMatchObject({ interaction_id: null, user_id: 'cat', input: example.input })
      expect((await acme.client.get(`/v1/interactions/${source}/validations`)).status).toBe(404)
    })
  })

  describe('training runs', () => {
    it('records runs and lists them newest first with paging', async () => {
      const first = await acme.client.post('/v1/training-runs', { model_version: 'ft:support:v1', date: '2026-01-10', dataset_size: 120, accuracy: 0.82, validation_rate: 0.9, cost_usd: 4.2 })
      expect(first.status).toBe(201)
      expect(first.body).toMatchObject({ model_version: 'ft:support:v1', date: '2026-01-10T00:00:00.000Z', dataset_size: 120, accuracy: 0.82, notes: null, base_model: null })
      await acme.client.post('/v1/training-runs', { model_version: 'ft:support:v2', date: '2026-02-10T12:00:00+02:00', dataset_size: 300, notes: 'more data', metadata: { epochs: 3 } })
      await acme.client.post('/v1/training-runs', { model_version: 'ft:support:v0', date: '2025-12-01T00:00:00Z', dataset_size: 50 })
      const page = await acme.client.get('/v1/training-runs?limit=2')
      expect(page.body).toMatchObject({ total_count: 3, returned_count: 2 })
      expect(page.body.training_runs.map((r: { model_version: string; date: string }) => [r.model_version, r.date])).toEqual([
        ['ft:support:v2', '2026-02-10T10:00:00.000Z'],
        ['ft:support:v1', '2026-01-10T00:00:00.000Z'],
      ])
      expect((await acme.client.get('/v1/training-runs?model_version=ft:support:v0')).body.total_count).toBe(1)
      expect((await globex.client.get('/v1/training-runs')).body.total_count).toBe(0)
    })

    it('answers 400 naming the fields, and 403 without the export scope or with a user-bound key', async () => {
      const bad = await acme.client.post('/v1/training-runs', { accuracy: 2, date: 'last week', dataset_size: -1 })
      expect(bad.status).toBe(400)
      expect(paths(bad.body)).toEqual(['accuracy', 'dataset_size', 'date', 'model_version'])
      const reader = await keyFor(url, acme.tenantId, ['read', 'feedback'])
      expect((await reader.client.post('/v1/training-runs', { model_version: 'x', dataset_size: 1 })).body.error.details.required_scope).toBe('export')
      const bound = await keyFor(url, acme.tenantId, ['export'], 'ann')
      expect((await bound.client.post('/v1/training-runs', { model_version: 'x', dataset_size: 1 })).status).toBe(403)
    })
  })

  describe('readiness', () => {
    let ready: Awaited<ReturnType<typeof tenantWithKey>>

    beforeAll(async () => {
      ready = await tenantWithKey(url, 'ready-training', ALL_SCOPES)
      const batch = await ready.client.post('/v1/interactions', {
        interactions: [
          anInteraction({ type: 'chat', category: 'web' }),
          anInteraction({ type: 'chat', category: 'web' }),
          anInteraction({ type: 'chat', category: 'web', error_message: 'timeout' }),
          anInteraction({ type: 'chat', category: 'mobile' }),
          anInteraction({ type: 'outline', category: 'web' }),
        ],
      })
      const [first] = batch.body.results.map((r: { id: string }) => r.id)
      await ready.client.post(`/v1/interactions/${first}/feedback`, { kind: 'thumbs_up' })
      await ready.client.post('/v1/examples', { interaction_id: first, quality_score: 90 })
      await ready.client.post('/v1/examples', { input: 'q', output: 'a', quality_score: 60, type: 'chat', category: 'web' })
    })

    it('scores against the default thresholds with every criterion and recommendations', async () => {
      const report = await ready.client.get('/v1/readiness')
      expect(report.status).toBe(200)
      expect(report.body).toMatchObject({ type: null, category: null, ready: false, ready_score: 70 })
      expect(report.body.criteria.map((c: { name: string; threshold: number; value: number; met: boolean }) => [c.name, c.threshold, c.value, c.met])).toEqual([
        ['interactions', 50, 5, false],
        ['successful', 30, 4, false],
        ['with_feedback', 10, 1, false],
        ['quality_examples', 20, 1, false],
      ])
      // 25 * (5/50 + 4/30 + 1/10 + 1/20) = 9.58
      expect(report.body.score).toBe(9)
      expect(report.body.recommendations).toHaveLength(4)
    })

    it("uses the tenant's thresholds, filtered by type and category", async () => {
      const denied = await keyFor(url, ready.tenantId, ['read'])
      expect((await denied.client.call('PUT', '/v1/settings/readiness', { min_interactions: 3 })).body.error.details.required_scope).toBe('admin')
      const put = await ready.client.call('PUT', '/v1/settings/readiness', { min_interactions: 3, min_successful: 2, min_with_feedback: 1, min_quality_examples: 1, quality_example_min_score: 85 })
      expect(put.status).toBe(200)
      expect(put.body).toMatchObject({ min_interactions: 3, ready_score: 70, updated_at: expect.any(String) })
      expect((await denied.client.get('/v1/settings/readiness')).body).toEqual(put.body)
      const web = await ready.client.get('/v1/readiness?type=chat&category=web')
      expect(web.body).toMatchObject({ type: 'chat', category: 'web', score: 100, ready: true })
      expect(web.body.criteria.map((c: { value: number }) => c.value)).toEqual([3, 2, 1, 1])
      expect(web.body.recommendations[0]).toContain('GET /v1/export?format=openai-chat&type=chat&category=web')
      const outline = await ready.client.get('/v1/readiness?type=outline')
      expect(outline.body.criteria.map((c: { value: number }) => c.value)).toEqual([1, 1, 0, 0])
      expect(outline.body.ready).toBe(false)
      const bad = await ready.client.call('PUT', '/v1/settings/readiness', { ready_score: 101, min_feedback: 3 })
      expect(paths(bad.body)).toEqual(['min_feedback', 'ready_score'])
    })

    it('takes an analytics:view or a read key, and names both scopes otherwise', async () => {
      for (const scopes of [['analytics:view'], ['read']]) {
        expect((await (await keyFor(url, ready.tenantId, scopes)).client.get('/v1/readiness')).status).toBe(200)
      }
      const ingest = await keyFor(url, ready.tenantId, ['ingest'])
      const denied = await ingest.client.get('/v1/readiness')
      expect(denied.status).toBe(403)
      expect(denied.body.error.details).toEqual({ required_scope: 'analytics:view', any_of: ['analytics:view', 'read'] })
      expect(paths((await ready.client.get('/v1/readiness?colour=red')).body)).toEqual(['colour'])
      // Another tenant's data never counts.
      expect((await globex.client.get('/v1/readiness?category=web')).body.criteria.map((c: { value: number }) => c.value)).toEqual([0, 0, 0, 0])
    })
  })

  describe('privacy', () => {
    it('redacts what validations and examples send, audits example deletions and settings, and erases with the user', async () => {
      const tenant = await tenantWithKey(url, 'private-training', ALL_SCOPES)
      expect((await tenant.client.call('PUT', '/v1/settings/redaction', { kinds: ['email'] })).status).toBe(200)
      const id = (await tenant.client.post('/v1/interactions', anInteraction({ user_id: 'eve', structured_output: { to: 'x' } }))).body.id
      const validation = await tenant.client.post(`/v1/interactions/${id}/validations`, { passed: false, errors: ['bad address eve@example.com'], edited: { to: 'eve@example.com' } })
      expect(JSON.stringify(validation.body)).not.toContain('eve@example.com')
      expect(validation.body.diff.modified).toEqual(['to'])
      const example = await tenant.client.post('/v1/examples', { interaction_id: id, output: 'Write to eve@example.com', metadata: { by: 'eve@example.com' } })
      expect(JSON.stringify(example.body)).not.toContain('eve@example.com')
      const raw = await tenant.client.post('/v1/examples', { input: 'a', output: 'b' })
      expect((await tenant.client.delete(`/v1/examples/${raw.body.id}`)).status).toBe(204)
      await tenant.client.call('PUT', '/v1/settings/readiness', { min_interactions: 1 })
      const audit = (await tenant.client.get('/v1/audit-log')).body.entries.map((e: { action: string; target_id: string | null }) => [e.action, e.target_id])
      expect(audit).toContainEqual(['example.delete', raw.body.id])
      expect(audit).toContainEqual(['settings.readiness.update', null])
      const erased = await tenant.client.delete('/v1/users/eve/data')
      expect(erased.status).toBe(200)
      expect(erased.body.deleted).toMatchObject({ interactions: 1, validations: 1, examples: 1 })
      expect((await tenant.client.get('/v1/examples')).body.total_count).toBe(0)
      expect((await tenant.client.get(`/v1/examples/${example.body.id}`)).status).toBe(404)
    })
  })

  it('documents every route and body in the OpenAPI document', async () => {
    const openapi = (await apiClient(url, '').get('/openapi.json')).body
    for (const path of ['/v1/interactions/{id}/validations', '/v1/examples', '/v1/examples/{id}', '/v1/training-runs', '/v1/readiness', '/v1/settings/readiness']) {
      expect(Object.keys(openapi.paths)).toContain(path)
    }
    for (const schema of ['ValidationCreate', 'Validation', 'ExampleCreate', 'Example', 'TrainingRunCreate', 'TrainingRun', 'Readiness', 'ReadinessSettings', 'ReadinessSettingsUpdate']) {
      expect(Object.keys(openapi.components.schemas)).toContain(schema)
    }
  })
})
