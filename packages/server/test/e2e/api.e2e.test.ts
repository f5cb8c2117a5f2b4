import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { STORE_KINDS } from '../support/databases.js'
import { anInteraction } from '../support/fixtures.js'
import { apiClient, keyFor, tenantWithKey, type ApiClient } from '../support/http.js'
import { startTestServer } from '../support/in-process-server.js'
import { TEST_ADMIN_KEY } from '../support/server-process.js'

describe.each(STORE_KINDS)('HTTP API on %s', (kind) => {
  let stop: () => Promise<void>
  let url: string
  let acme: Awaited<ReturnType<typeof tenantWithKey>>
  let globex: Awaited<ReturnType<typeof tenantWithKey>>

  beforeAll(async () => {
    const server = await startTestServer(kind, 'api')
    stop = server.stop
    url = server.url
    acme = await tenantWithKey(url, 'acme', ['ingest', 'read', 'delete'])
    globex = await tenantWithKey(url, 'globex', ['ingest', 'read', 'delete'])
  })
  afterAll(() => stop?.())

  describe('health and docs', () => {
    it('answers /healthz, /readyz and the OpenAPI document without a key', async () => {
      const anonymous = apiClient(url, '')
      expect((await anonymous.get('/healthz')).body).toEqual({ status: 'ok' })
      expect((await anonymous.get('/readyz')).body).toEqual({ status: 'ready' })
      const openapi = await anonymous.get('/openapi.json')
      expect(openapi.body.openapi).toBe('3.1.0')
      for (const path of ['/v1/interactions', '/v1/interactions/{id}', '/v1/threads/{thread_id}', '/v1/admin/tenants', '/v1/admin/keys', '/v1/admin/keys/{id}']) {
        expect(Object.keys(openapi.body.paths)).toContain(path)
      }
      expect(openapi.body.components.schemas.InteractionCreate.properties.user_message.type).toBe('string')
      expect((await fetch(`${url}/docs/`)).status).toBe(200)
    })
  })

  describe('ingest', () => {
    it('stores one interaction and answers 201 with its id, deriving what it can', async () => {
      const created = await acme.client.post('/v1/interactions', anInteraction({ required_variables: ['name'], input_variables: {} }))
      expect(created.status).toBe(201)
      expect(created.body).toMatchObject({ status: 'success', duplicate: false })
      expect(created.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/) // UUIDv7
      const read = await acme.client.get(`/v1/interactions/${created.body.id}`)
      expect(read.status).toBe(200)
      expect(read.body).toMatchObject({ id: created.body.id, tenant_id: acme.tenantId, total_tokens: 30, missing_variables: ['name'], all_variables_present: false })
    })

    it('treats a repeated client id as idempotent: 200, nothing new stored', async () => {
      const first = await acme.client.post('/v1/interactions', anInteraction({ id: 'idem-1', user_message: 'original', thread_id: 'idem' }))
      const again = await acme.client.post('/v1/interactions', anInteraction({ id: 'idem-1', user_message: 'changed', thread_id: 'idem' }))
      expect([first.status, again.status]).toEqual([201, 200])
      expect(again.body).toMatchObject({ id: 'idem-1', duplicate: true, timestamp: first.body.timestamp })
      const list = await acme.client.get('/v1/interactions?thread_id=idem')
      expect(list.body.total_count).toBe(1)
      expect(list.body.interactions[0].user_message).toBe('original')
    })

    it('answers a batch with 207 and one result per item; bad items do not sink good ones', async () => {
      const batch = await acme.client.post('/v1/interactions', {
        interactions: [
          anInteraction({ id: 'b-1', thread_id: 'batch' }),
          { ...anInteraction({ thread_id: 'batch' }), prompt_tokens: 'many' },
          anInteraction({ id: 'b-1', thread_id: 'batch' }),
          { user_mesage: 'typo', thread_id: 'batch' },
          anInteraction({ thread_id: 'batch', error_message: 'timeout' }),
        ],
      })
      expect(batch.status).toBe(207)
      expect(batch.body.results.map((r: { status: number }) => r.status)).toEqual([201, 400, 200, 400, 201])
      expect(batch.body).toMatchObject({ created: 2, duplicates: 1, failed: 2 })
      expect(batch.body.results[1].error.details.issues[0].path).toBe('prompt_tokens')
      expect(batch.body.results[3].error.message).toContain("user_mesage")
      const stored = await acme.client.get('/v1/interactions?thread_id=batch')
      expect(stored.body.total_count).toBe(2)
      expect(stored.body.interactions.map((i: { status: string }) => i.status).sort()).toEqual(['failure', 'success'])
    })

    it('stores NUL characters as U+FFFD, and refuses only the item that nests too deep or whose id is not storable', async () => {
      let deep: unknown = 'bottom'
      for (let level = 0; level < 3000; level++) deep = [deep]
      const batch = await acme.client.post('/v1/interactions', {
        interactions: [
          anInteraction({ id: 'nul-1', thread_id: 'odd-text', user_message: 'a\u0000b', metadata: { 'k\u0000': 'v\u0000' } }),
          anInteraction({ id: 'too-deep', thread_id: 'odd-text', metadata: { deep } }),
          anInteraction({ id: 'lone-\ud800', thread_id: 'odd-text' }),
          anInteraction({ id: 'plain-neighbour', thread_id: 'odd-text' }),
        ],
      })
      expect(batch.status).toBe(207)
      expect(batch.body.results.map((r: { status: number }) => r.status)).toEqual([201, 400, 400, 201])
      expect(batch.body.results[1].error.details.issues[0].path).toMatch(/^metadata\.deep\.0\.0\./)
      expect(batch.body.results[2].error.details.issues[0].path).toBe('id')
      expect(batch.body.results[1].id).toBe('too-deep')
      const stored = await acme.client.get('/v1/interactions/nul-1')
      expect(stored.body).toMatchObject({ user_message: 'a\ufffdb', metadata: { 'k\ufffd': 'v\ufffd' } })
      expect((await acme.client.get('/v1/interactions?thread_id=odd-text')).body.total_count).toBe(2)
    })

    it('reads and deletes ids as long as ingest accepts, and answers a malformed URL in the one error shape', async () => {
      const id = `${'é'.repeat(64)}${'x'.repeat(64)}`
      const threadId = '🧵'.repeat(128)
      expect((await acme.client.post('/v1/interactions', anInteraction({ id, thread_id: threadId }))).status).toBe(201)
      expect((await acme.client.get(`/v1/interactions/${encodeURIComponent(id)}`)).body.id).toBe(id)
      expect((await acme.client.get(`/v1/threads/${encodeURIComponent(threadId)}`)).body.interactions).toHaveLength(1)
      expect((await acme.client.delete(`/v1/interactions/${encodeURIComponent(id)}`)).status).toBe(204)
      const malformed = await acme.client.get('/v1/interactions/%ZZ')
      expect(malformed.status).toBe(400)
      expect(malformed.body.error.code).toBe('invalid_request')
      // Longer than any id: no such interaction (GET), or a URI too long (DELETE), in the same shape.
      expect((await acme.client.get(`/v1/interactions/${'x'.repeat(5000)}`)).body.error.code).toBe('not_found')
      const tooLong = await acme.client.delete(`/v1/interactions/${'x'.repeat(5000)}`)
      expect(tooLong.status).toBe(414)
      expect(tooLong.body.error.code).toBe('uri_too_long')
    })

    it('rejects bad input with 400 naming the field, and stores nothing', async () => {
      const cases: [unknown, string][] = [
        [{ ...anInteraction({ thread_id: 'bad' }), tenant_id: 'other' }, 'tenant_id'],
        [{ ...anInteraction({ thread_id: 'bad' }), confidence: 1.5 }, 'confidence'],
        [{ ...anInteraction({ thread_id: 'bad' }), tool_calls: [{ arguments: {} }] }, 'tool_calls.0.name'],
        [{ ...anInteraction({ thread_id: 'bad' }), timestamp: 'yesterday' }, 'timestamp'],
        [{ ...anInteraction({ thread_id: 'bad' }), status: 'ok' }, 'status'],
        [{ interactions: [] }, 'interactions'],
        [{ interactions: [anInteraction()], extra: 1 }, 'extra'],
        [[anInteraction()], '(root)'],
      ]
      for (const [body, path] of cases) {
        const response = await acme.client.post('/v1/interactions', body)
        expect(response.status, JSON.stringify(body)).toBe(400)
        expect(response.body.error.code).toBe('invalid_request')
        expect(response.body.error.details.issues.map((i: { path: string }) => i.path)).toContain(path)
      }
      expect((await acme.client.get('/v1/interactions?thread_id=bad')).body.total_count).toBe(0)
    })

    it('rejects malformed JSON and a batch over 1,000 items', async () => {
      const malformed = await acme.client.post('/v1/interactions', '{"user_message": ')
      expect(malformed.status).toBe(400)
      expect(malformed.body.error.code).toBe('invalid_json')
      const tooMany = await acme.client.post('/v1/interactions', { interactions: Array.from({ length: 1001 }, () => ({})) })
      expect(tooMany.status).toBe(400)
    })
  })

  describe('query', () => {
    let ids: string[]
    beforeAll(async () => {
      const base = Date.parse('2026-02-01T00:00:00Z')
      const batch = await acme.client.post('/v1/interactions', {
        interactions: Array.from({ length: 12 }, (_, i) =>
          anInteraction({
            timestamp: new Date(base + i * 1000).toISOString(),
            thread_id: 'conv',
            session_id: i % 2 ? 'odd' : 'even',
            type: i < 4 ? 'outline' : 'chat',
            latency_ms: i * 10,
            tags: i % 3 === 0 ? ['vip'] : [],
            user_id: i < 6 ? 'ann' : 'bob',
          }),
        ),
      })
      ids = batch.body.results.map((r: { id: string }) => r.id)
    })

    it('lists newest first with the documented envelope and filters', async () => {
      const page = await acme.client.get('/v1/interactions?thread_id=conv&limit=5')
      expect(page.body).toMatchObject({ total_count: 12, returned_count: 5, limit: 5, offset: 0 })
      expect(page.body.interactions.map((i: { id: string }) => i.id)).toEqual(ids.slice(7).reverse())
      const filtered = await acme.client.get(
        '/v1/interactions?thread_id=conv&type=chat&session_id=odd&min_latency_ms=50&max_latency_ms=90&from=2026-02-01T00:00:05Z&to=2026-02-01T00:00:09Z',
      )
      expect(filtered.body.interactions.map((i: { id: string }) => i.id)).toEqual([ids[7], ids[5]])
      expect((await acme.client.get('/v1/interactions?thread_id=conv&tag=vip')).body.total_count).toBe(4)
      expect((await acme.client.get('/v1/interactions?thread_id=conv&user_id=bob')).body.total_count).toBe(6)
    })

    it('pages deep with a keyset cursor and with offset', async () => {
      const seen: string[] = []
      let cursor: string | null = null
      do {
        const page: { body: { interactions: { id: string }[]; next_cursor: string | null } } = await acme.client.get(
          `/v1/interactions?thread_id=conv&limit=5${cursor ? `&cursor=${cursor}` : ''}`,
        )
        seen.push(...page.body.interactions.map((i) => i.id))
        cursor = page.body.next_cursor
      } while (cursor)
      expect(seen).toEqual([...ids].reverse())
      const offset = await acme.client.get('/v1/interactions?thread_id=conv&limit=5&offset=10')
      expect(offset.body.interactions.map((i: { id: string }) => i.id)).toEqual([ids[1], ids[0]])
      expect(offset.body.next_cursor).toBeNull()
    })

    it('refuses a range whose lower bound is above its upper one, naming the lower bound', async () => {
      for (const [query, field] of [['from=2026-02-02T00:00:00Z&to=2026-02-01T00:00:00Z', 'from'], ['min_latency_ms=500&max_latency_ms=100', 'min_latency_ms']]) {
        const response = await acme.client.get(`/v1/interactions?${query}`)
        expect(response.status).toBe(400)
        expect(response.body.error.details.issues[0].path).toBe(field)
      }
      expect((await acme.client.get('/v1/interactions?from=2026-02-01T00:00:00Z&to=2026-02-01T00:00:00Z')).status).toBe(200)
    })

    it('validates query parameters', async () => {
      for (const query of ['limit=0', 'limit=201', 'offset=-1', 'from=soon', 'status=great', 'cursor=garbage', 'colour=red']) {
        const response = await acme.client.get(`/v1/interactions?${query}`)
        expect(response.status, query).toBe(400)
        expect(response.body.error.details.issues[0].path).toBe(query.split('=')[0])
      }
    })

    it('searches full text, and answers 400 for a malformed query', async () => {
      await acme.client.post('/v1/interactions', anInteraction({ thread_id: 'fts', user_message: 'The invoice total looks wrong', assistant_response: 'Let me check the invoice' }))
      const found = await acme.client.get('/v1/interactions?q=invoic*&thread_id=fts&sort=relevance')
      expect(found.status).toBe(200)
      expect(found.body.total_count).toBe(1)
      expect(found.body.next_cursor).toBeNull()
      expect((await acme.client.get(`/v1/interactions?q=${encodeURIComponent('"total looks')}`)).body.error.details.issues[0].path).toBe('q')
      expect((await acme.client.get('/v1/interactions?q=*')).status).toBe(400)
      expect((await acme.client.get('/v1/interactions?sort=relevance')).body.error.details.issues[0].path).toBe('sort')
    })

    it('reads a thread in time order', async () => {
      const thread = await acme.client.get('/v1/threads/conv')
      expect(thread.status).toBe(200)
      expect(thread.body.interactions.map((i: { id: string }) => i.id)).toEqual(ids)
      expect((await acme.client.get('/v1/threads/nothing-here')).status).toBe(404)
    })

    it('deletes an interaction with the delete scope', async () => {
      const created = await acme.client.post('/v1/interactions', anInteraction({ tags: ['temp'] }))
      expect((await acme.client.delete(`/v1/interactions/${created.body.id}`)).status).toBe(204)
      expect((await acme.client.get(`/v1/interactions/${created.body.id}`)).status).toBe(404)
      expect((await acme.client.delete(`/v1/interactions/${created.body.id}`)).status).toBe(404)
      expect((await acme.client.get('/v1/interactions?tag=temp')).body.total_count).toBe(0)
    })
  })

  describe('isolation and auth', () => {
    it('answers 401 without, with an unknown, or with a revoked key', async () => {
      expect((await apiClient(url, '').get('/v1/interactions')).status).toBe(401)
      const unknown = await apiClient(url, 'il_not_a_real_key').get('/v1/interactions')
      expect(unknown.status).toBe(401)
      expect(unknown.body.error.code).toBe('unauthorized')
      const temp = await keyFor(url, acme.tenantId, ['read'])
      expect((await temp.client.get('/v1/interactions')).status).toBe(200)
      const admin = apiClient(url, TEST_ADMIN_KEY)
      expect((await admin.delete(`/v1/admin/keys/${temp.keyId}`)).body.revoked_at).toBeTruthy()
      expect((await temp.client.get('/v1/interactions')).status).toBe(401)
    })

    it('answers 403 naming the missing scope', async () => {
      const readOnly = await keyFor(url, acme.tenantId, ['read'])
      const response = await readOnly.client.post('/v1/interactions', anInteraction())
      expect(response.status).toBe(403)
      expect(response.body.error.message).toContain("'ingest'")
      expect(response.body.error.details).toEqual({ required_scope: 'ingest' })
      expect((await readOnly.client.delete('/v1/interactions/x')).body.error.details.required_scope).toBe('delete')
      expect((await readOnly.client.get('/v1/admin/keys')).status).toBe(403)
    })

    it("answers 404 for another tenant's interaction, never 403", async () => {
      const mine = await acme.client.post('/v1/interactions', anInteraction({ id: 'secret-1', thread_id: 'secret-thread' }))
      expect((await globex.client.get(`/v1/interactions/${mine.body.id}`)).status).toBe(404)
      expect((await globex.client.delete(`/v1/interactions/${mine.body.id}`)).status).toBe(404)
      expect((await globex.client.get('/v1/threads/secret-thread')).status).toBe(404)
      expect((await globex.client.get('/v1/interactions?thread_id=secret-thread')).body.total_count).toBe(0)
      // The same client id in another tenant is a different interaction.
      expect((await globex.client.post('/v1/interactions', anInteraction({ id: 'secret-1' }))).status).toBe(201)
    })

    it('confines a user-bound key to its user, for reads and writes', async () => {
      const ann = await keyFor(url, acme.tenantId, ['ingest', 'read', 'delete'], 'ann-only')
      await acme.client.post('/v1/interactions', anInteraction({ id: 'other-user-row', user_id: 'someone-else', thread_id: 'shared' }))
      const own = await ann.client.post('/v1/interactions', { user_message: 'hi', thread_id: 'shared' })
      expect(own.status).toBe(201)
      expect((await ann.client.get(`/v1/interactions/${own.body.id}`)).body.user_id).toBe('ann-only')
      const forged = await ann.client.post('/v1/interactions', { user_message: 'hi', user_id: 'someone-else' })
      expect(forged.status).toBe(403)
      const batch = await ann.client.post('/v1/interactions', { interactions: [{ user_id: 'someone-else' }, {}] })
      expect(batch.body.results.map((r: { status: number }) => r.status)).toEqual([403, 201])
      expect((await ann.client.get('/v1/interactions/other-user-row')).status).toBe(404)
      expect((await ann.client.delete('/v1/interactions/other-user-row')).status).toBe(404)
      const list = await ann.client.get('/v1/interactions?thread_id=shared')
      expect(list.body.interactions.map((i: { user_id: string }) => i.user_id)).toEqual(['ann-only'])
      expect((await ann.client.get('/v1/interactions?user_id=someone-else')).status).toBe(403)
      expect((await ann.client.get('/v1/threads/shared')).body.interactions).toHaveLength(1)
      // Another user's id is taken, and the answer tells nothing of that row.
      const taken = await ann.client.post('/v1/interactions', { id: 'other-user-row', user_message: 'probe' })
      expect(taken.status).toBe(409)
      expect(JSON.stringify(taken.body)).not.toContain('timestamp')
      const takenInBatch = await ann.client.post('/v1/interactions', { interactions: [{ id: 'other-user-row' }, { id: own.body.id }] })
      expect(takenInBatch.body.results.map((r: { status: number }) => r.status)).toEqual([409, 200])
    })
  })

  describe('admin', () => {
    it('creates tenants (unique names) and keys shown once, lists and revokes them', async () => {
      const admin = apiClient(url, TEST_ADMIN_KEY)
      const tenant = await admin.post('/v1/admin/tenants', { name: 'initech' })
      expect(tenant.status).toBe(201)
      expect((await admin.post('/v1/admin/tenants', { name: 'initech' })).status).toBe(409)
      expect((await admin.post('/v1/admin/tenants', { name: tenant.body.id })).status).toBe(409)
      expect((await admin.post('/v1/admin/tenants', { name: '' })).body.error.details.issues[0].path).toBe('name')
      const key = await admin.post('/v1/admin/keys', { tenant_id: tenant.body.id, scopes: ['ingest'], name: 'ci', user_id: 'u9' })
      expect(key.status).toBe(201)
      expect(key.body).toMatchObject({ tenant_id: tenant.body.id, scopes: ['ingest'], name: 'ci', user_id: 'u9', revoked_at: null })
      expect(key.body.key).toMatch(/^il_/)
      expect(key.body.prefix).toBe(key.body.key.slice(0, 10))
      const listed = await admin.get(`/v1/admin/keys?tenant_id=${tenant.body.id}`)
      expect(listed.body.keys).toHaveLength(1)
      expect(JSON.stringify(listed.body)).not.toContain(key.body.key)
      expect((await admin.post('/v1/admin/keys', { tenant_id: tenant.body.id, scopes: ['superuser'] })).body.error.details.issues[0].path).toBe('scopes.0')
      expect((await admin.post('/v1/admin/keys', { tenant_id: 'missing', scopes: ['read'] })).status).toBe(404)
      expect((await admin.delete('/v1/admin/keys/missing')).status).toBe(404)
    })

    it("lets a tenant admin manage only its own tenant's keys", async () => {
      const tenantAdmin = await keyFor(url, acme.tenantId, ['admin'])
      expect((await tenantAdmin.client.post('/v1/admin/tenants', { name: 'nope' })).status).toBe(403)
      expect((await tenantAdmin.client.post('/v1/admin/keys', { tenant_id: acme.tenantId, scopes: ['read'] })).status).toBe(201)
      expect((await tenantAdmin.client.post('/v1/admin/keys', { tenant_id: globex.tenantId, scopes: ['read'] })).status).toBe(404)
      expect((await tenantAdmin.client.delete(`/v1/admin/keys/${globex.keyId}`)).status).toBe(404)
      const listed = await tenantAdmin.client.get('/v1/admin/keys')
      expect(listed.body.keys.every((k: { tenant_id: string }) => k.tenant_id === acme.tenantId)).toBe(true)
    })

    it('keeps user-bound keys out of key management, and the root key out of tenant admins\' reach', async () => {
      const userAdmin = await keyFor(url, acme.tenantId, ['admin', 'read'], 'carol')
      expect((await userAdmin.client.post('/v1/admin/keys', { tenant_id: acme.tenantId, scopes: ['read'] })).status).toBe(403)
      expect((await userAdmin.client.get('/v1/admin/keys')).status).toBe(403)
      expect((await userAdmin.client.delete(`/v1/admin/keys/${acme.keyId}`)).status).toBe(403)

      const root = apiClient(url, TEST_ADMIN_KEY)
      const defaultTenant = (await root.get('/v1/admin/tenants')).body.tenants.find((t: { name: string }) => t.name === 'default')
      const rootKey = (await root.get(`/v1/admin/keys?tenant_id=${defaultTenant.id}`)).body.keys.find((k: { revoked_at: string | null; name: string }) => k.revoked_at === null && k.name?.startsWith('bootstrap'))
      expect(rootKey).toBeDefined()
      const defaultAdmin = await keyFor(url, defaultTenant.id, ['admin'])
      expect((await defaultAdmin.client.get('/v1/admin/keys')).body.keys.map((k: { id: string }) => k.id)).not.toContain(rootKey.id)
      expect((await defaultAdmin.client.delete(`/v1/admin/keys/${rootKey.id}`)).status).toBe(404)
      expect((await root.delete(`/v1/admin/keys/${rootKey.id}`)).status).toBe(403)
      expect((await root.get('/v1/admin/tenants')).status).toBe(200)
    })
  })
})

describe('limits', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  let client: ApiClient
  beforeAll(async () => {
    server = await startTestServer('sqlite', 'limits', { bodyLimitBytes: 2048, rateLimitPerMinute: 5 })
    client = (await tenantWithKey(server.url, 'limited', ['ingest', 'read'])).client
  })
  afterAll(() => server?.stop())

  it('answers 413 for a body over the limit and stores nothing', async () => {
    const big = await client.post('/v1/interactions', anInteraction({ user_message: 'x'.repeat(4096), thread_id: 'big' }))
    expect(big.status).toBe(413)
    expect(big.body.error.code).toBe('payload_too_large')
    expect((await client.get('/v1/interactions?thread_id=big')).body.total_count).toBe(0)
  })

  it('answers 429 with Retry-After once a key spends its budget', async () => {
    const statuses: number[] = []
    let retryAfter: string | null = null
    for (let i = 0; i < 8; i++) {
      const response = await client.get('/v1/interactions')
      statuses.push(response.status)
      if (response.status === 429) {
        retryAfter = response.headers.get('retry-after')
        expect(response.body.error.code).toBe('rate_limited')
      }
    }
    expect(statuses).toContain(429)
    expect(Number(retryAfter)).toBeGreaterThan(0)
    // Health checks are never limited.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
  })

  it('counts requests it refuses as bad input against the budget too', async () => {
    const { key } = await keyFor(server.url, (await tenantWithKey(server.url, 'sloppy', ['ingest'])).tenantId, ['ingest'])
    const statuses: number[] = []
    for (let i = 0; i < 7; i++) {
      const response = await fetch(`${server.url}/v1/interactions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: '{"broken"' })
      statuses.push(response.status)
    }
    expect(statuses.slice(0, 5)).toEqual([400, 400, 400, 400, 400])
    expect(statuses.slice(5)).toEqual([429, 429])
  })
})
