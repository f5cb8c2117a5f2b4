import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { STORE_KINDS, tempDir } from '../support/databases.js'
import { anInteraction } from '../support/fixtures.js'
import { apiClient, keyFor, tenantWithKey } from '../support/http.js'
import { startTestServer } from '../support/in-process-server.js'
import { TEST_ADMIN_KEY } from '../support/server-process.js'

const PAGE = '<!doctype html><title>interlog test page</title>'

/** The server side of the dashboard over HTTP: sessions, CSRF, the new list filters and sorts, the app at /. */
describe.each(STORE_KINDS)('dashboard API on %s', (kind) => {
  const dist = tempDir('interlog-dist-')
  let url: string
  let stop: () => Promise<void>
  let acme: Awaited<ReturnType<typeof tenantWithKey>>

  beforeAll(async () => {
    mkdirSync(join(dist.path, 'assets'))
    writeFileSync(join(dist.path, 'index.html'), PAGE)
    writeFileSync(join(dist.path, 'assets', 'app-123.js'), 'console.log(1)')
    const server = await startTestServer(kind, 'dashboard', { trustProxy: true, dashboardDir: dist.path })
    url = server.url
    stop = server.stop
    acme = await tenantWithKey(url, 'acme', ['ingest', 'read', 'feedback'])
  })
  afterAll(async () => {
    await stop?.()
    dist.remove()
  })

  const signIn = async (key: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${url}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ key }) })
    const setCookie = response.headers.get('set-cookie') ?? ''
    return { response, body: await response.json(), setCookie, cookie: setCookie.split(';')[0]! }
  }
  const withCookie = (cookie: string, path: string, init: RequestInit = {}) =>
    fetch(`${url}${path}`, { ...init, headers: { cookie, ...(init.headers as Record<string, string>) } })

  describe('sessions', () => {
    it('exchanges a key with read for an HttpOnly, SameSite=Strict cookie holding a random token', async () => {
      const { response, body, setCookie, cookie } = await signIn(acme.key)
      expect(response.status).toBe(200)
      expect(body).toMatchObject({ signed_in: true, via: 'session', tenant_id: acme.tenantId, tenant_name: 'acme', scopes: ['ingest', 'read', 'feedback'], user_id: null })
      expect(setCookie).toMatch(/^interlog_session=[\w-]{43}; Path=\/; Expires=.+; HttpOnly; SameSite=Strict$/)
      expect(setCookie).not.toContain(acme.key)
      const me = await (await withCookie(cookie, '/v1/session')).json()
      expect(me).toMatchObject({ signed_in: true, via: 'session', tenant_name: 'acme' })
      expect(Date.parse(me.expires_at) - Date.now()).toBeGreaterThan(11 * 3_600_000)
      expect((await withCookie(cookie, '/v1/interactions')).status).toBe(200)
    })

    it('marks the cookie Secure behind a TLS proxy (trust proxy on)', async () => {
      const { setCookie } = await signIn(acme.key, { 'x-forwarded-proto': 'https' })
      expect(setCookie).toContain('; Secure')
    })

    it('refuses keys without read, unknown keys and bad bodies', async () => {
      const ingestOnly = await keyFor(url, acme.tenantId, ['ingest'])
      const refused = await signIn(ingestOnly.key)
      expect(refused.response.status).toBe(403)
      expect(refused.body.error.details).toEqual({ required_scope: 'read' })
      expect(refused.setCookie).toBe('')
      expect((await signIn('il_nope')).response.status).toBe(401)
      const bad = await fetch(`${url}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"token":"x"}' })
      expect(bad.status).toBe(400)
      expect((await bad.json()).error.details.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['key', 'token']))
    })

    it('says who is signed in: nobody, a session or a bearer key', async () => {
      expect(await (await fetch(`${url}/v1/session`)).json()).toEqual({ signed_in: false })
      expect(await (await withCookie('interlog_session=forged', '/v1/session')).json()).toEqual({ signed_in: false })
      expect((await acme.client.get('/v1/session')).body).toMatchObject({ signed_in: true, via: 'key', tenant_id: acme.tenantId, expires_at: null })
    })

    it('needs the CSRF header for cookie-authenticated changes, not for bearer keys', async () => {
      const id = (await acme.client.post('/v1/interactions', anInteraction({ thread_id: 'csrf' }))).body.id
      const { cookie } = await signIn(acme.key)
      const post = (headers: Record<string, string>) =>
        withCookie(cookie, `/v1/interactions/${id}/feedback`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"kind":"thumbs_up"}' })
      const refused = await post({})
      expect(refused.status).toBe(403)
      expect((await refused.json()).error.details).toEqual({ required_header: 'x-interlog-csrf' })
      expect((await acme.client.get(`/v1/interactions/${id}/feedback`)).body.feedback).toEqual([])
      expect((await post({ 'x-interlog-csrf': '1' })).status).toBe(201)
      expect((await acme.client.post(`/v1/interactions/${id}/feedback`, { kind: 'thumbs_down' })).status).toBe(201)
    })

    it('signs out (with the CSRF header): the session is gone on the server', async () => {
      const { cookie } = await signIn(acme.key)
      expect((await withCookie(cookie, '/v1/session', { method: 'DELETE' })).status).toBe(403)
      const out = await withCookie(cookie, '/v1/session', { method: 'DELETE', headers: { 'x-interlog-csrf': '1' } })
      expect(out.status).toBe(204)
      expect(out.headers.get('set-cookie')).toMatch(/^interlog_session=; .*Expires=Thu, 01 Jan 1970/)
      expect((await withCookie(cookie, '/v1/interactions')).status).toBe(401)
      expect((await fetch(`${url}/v1/session`, { method: 'DELETE' })).status).toBe(204)
    })

    it('ends the session when its key is revoked', async () => {
      const key = await keyFor(url, acme.tenantId, ['read'])
      const { cookie } = await signIn(key.key)
      expect((await withCookie(cookie, '/v1/interactions')).status).toBe(200)
      await apiClient(url, TEST_ADMIN_KEY).delete(`/v1/admin/keys/${key.keyId}`)
      expect((await withCookie(cookie, '/v1/interactions')).status).toBe(401)
    })

    it('keeps a user-bound key to its user through the session', async () => {
      await acme.client.post('/v1/interactions', { interactions: [anInteraction({ user_id: 'ann', thread_id: 'bound' }), anInteraction({ user_id: 'bob', thread_id: 'bound' })] })
      const bound = await keyFor(url, acme.tenantId, ['read'], 'ann')
      const { body, cookie } = await signIn(bound.key)
      expect(body.user_id).toBe('ann')
      const listed = await (await withCookie(cookie, '/v1/interactions?thread_id=bound')).json()
      expect(listed.interactions.map((i: { user_id: string }) => i.user_id)).toEqual(['ann'])
    })
  })

  describe('list filters and sorts over HTTP', () => {
    beforeAll(async () => {
      const base = Date.parse('2026-05-01T00:00:00Z')
      const made = await acme.client.post('/v1/interactions', {
        interactions: [
          anInteraction({ id: 'h1', thread_id: 'filters', timestamp: new Date(base).toISOString(), latency_ms: 10, confidence: 0.2, handoff: true }),
          anInteraction({ id: 'h2', thread_id: 'filters', timestamp: new Date(base + 1000).toISOString(), latency_ms: 30, confidence: 0.8, handoff: false }),
          anInteraction({ id: 'h3', thread_id: 'filters', timestamp: new Date(base + 2000).toISOString(), latency_ms: 20 }),
        ],
      })
      expect(made.body.created).toBe(3)
      await acme.client.post('/v1/interactions/h2/feedback', { kind: 'accepted', quality_score: 75 })
    })
    const ids = async (query: string) => {
      const response = await acme.client.get(`/v1/interactions?thread_id=filters&${query}`)
      expect(response.status, JSON.stringify(response.body)).toBe(200)
      return response.body.interactions.map((i: { id: string }) => i.id)
    }

    it('filters by feedback, quality, confidence and handoff', async () => {
      expect(await ids('feedback_kind=accepted')).toEqual(['h2'])
      expect(await ids('feedback_kind=any&min_quality_score=70&max_quality_score=80')).toEqual(['h2'])
      expect(await ids('min_confidence=0.5')).toEqual(['h2'])
      expect(await ids('max_confidence=0.5')).toEqual(['h1'])
      expect(await ids('handoff=true')).toEqual(['h1'])
      expect(await ids('handoff=false')).toEqual(['h2'])
    })

    it('sorts and pages with next_cursor for every sort but relevance', async () => {
      expect(await ids('sort=oldest')).toEqual(['h1', 'h2', 'h3'])
      const first = await acme.client.get('/v1/interactions?thread_id=filters&sort=slowest&limit=2')
      expect(first.body.interactions.map((i: { id: string }) => i.id)).toEqual(['h2', 'h3'])
      expect(await ids(`sort=slowest&limit=2&cursor=${first.body.next_cursor}`)).toEqual(['h1'])
      const wrongSort = await acme.client.get(`/v1/interactions?thread_id=filters&sort=newest&cursor=${first.body.next_cursor}`)
      expect(wrongSort.status).toBe(400)
      expect(wrongSort.body.error.details.issues[0].path).toBe('cursor')
    })

    it('rejects bad values with a 400 naming the parameter', async () => {
      for (const [query, path] of [
        ['handoff=maybe', 'handoff'],
        ['min_confidence=2', 'min_confidence'],
        ['max_quality_score=101', 'max_quality_score'],
        ['feedback_kind=love', 'feedback_kind'],
        ['sort=random', 'sort'],
      ]) {
        const response = await acme.client.get(`/v1/interactions?${query}`)
        expect(response.status, query).toBe(400)
        expect(response.body.error.details.issues.map((i: { path: string }) => i.path), query).toContain(path)
      }
    })

    it('documents the session routes and the new parameters in the OpenAPI document', async () => {
      const openapi = (await apiClient(url, '').get('/openapi.json')).body
      expect(Object.keys(openapi.paths['/v1/session'])).toEqual(expect.arrayContaining(['get', 'post', 'delete']))
      const names = openapi.paths['/v1/interactions'].get.parameters.map((p: { name: string }) => p.name)
      expect(names).toEqual(expect.arrayContaining(['feedback_kind', 'min_quality_score', 'max_quality_score', 'min_confidence', 'max_confidence', 'handoff', 'sort']))
      expect(openapi.components.schemas.Session).toBeDefined()
      expect(Object.keys(openapi.paths).filter((path) => !path.startsWith('/v1/'))).not.toContain('/*')
    })
  })

  describe('the app at /', () => {
    it('serves the page for / and client routes, assets as files, and JSON 404s for the API', async () => {
      for (const path of ['/', '/interactions', '/interactions/abc%2Fdef', '/threads/t1']) {
        const response = await fetch(`${url}${path}`)
        expect(response.status, path).toBe(200)
        expect(await response.text()).toBe(PAGE)
        expect(response.headers.get('content-security-policy')).toContain("script-src 'self'")
        expect(response.headers.get('x-frame-options')).toBe('DENY')
      }
      const asset = await fetch(`${url}/assets/app-123.js`)
      expect(asset.status).toBe(200)
      expect(asset.headers.get('cache-control')).toContain('immutable')
      expect((await fetch(`${url}/assets/missing.js`)).status).toBe(404)
      const api = await fetch(`${url}/v1/nothing-here`)
      expect(api.status).toBe(404)
      expect((await api.json()).error.code).toBe('not_found')
      expect((await fetch(`${url}/docs/`)).status).toBe(200)
    })
  })
})
