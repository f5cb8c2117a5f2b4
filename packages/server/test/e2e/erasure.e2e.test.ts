import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { STORE_KINDS } from '../support/databases.js'
import { anInteraction } from '../support/fixtures.js'
import { apiClient, keyFor, tenantWithKey } from '../support/http.js'
import { startTestServer } from '../support/in-process-server.js'
import { freshSpanId, freshTraceId, jsonLogsRequest, jsonRequest } from '../support/otlp-payloads.js'
import { TEST_ADMIN_KEY } from '../support/server-process.js'

describe.each(STORE_KINDS)('erasure and the audit log on %s', (kind) => {
  let stop: () => Promise<void>
  let url: string
  let tenant: Awaited<ReturnType<typeof tenantWithKey>>
  const erinIds: string[] = []

  const totals = async () => {
    const [metrics, failures, quality, erinList] = await Promise.all([
      tenant.client.get('/v1/metrics'),
      tenant.client.get('/v1/failures'),
      tenant.client.get('/v1/data-quality'),
      tenant.client.get('/v1/interactions?user_id=erin'),
    ])
    return {
      count: metrics.body.totals.count,
      withFeedback: metrics.body.totals.feedback.with_feedback,
      failures: failures.body.total_count,
      incomplete: quality.body.total_count,
      erin: erinList.body.total_count,
    }
  }

  beforeAll(async () => {
    const server = await startTestServer(kind, 'erasure')
    stop = server.stop
    url = server.url
    tenant = await tenantWithKey(url, 'erasure', ['ingest', 'read', 'analytics:view', 'feedback', 'delete', 'admin', 'export'])
    const erin = (overrides: Parameters<typeof anInteraction>[0]) => anInteraction({ user_id: 'erin', thread_id: 'erin-thread', ...overrides })
    const batch = await tenant.client.post('/v1/interactions', {
      interactions: [
        erin({ user_message: 'erin asks about the ptarmigan', tags: ['vip'] }),
        erin({ error_type: 'Timeout', error_message: 'ptarmigan service timeout' }),
        erin({ required_variables: ['plan'], input_variables: {} }),
        anInteraction({ user_id: 'frank', thread_id: 'frank-thread', user_message: 'frank asks about the ptarmigan', error_type: 'Timeout', error_message: 'slow' }),
      ],
    })
    expect(batch.body.created).toBe(4)
    erinIds.push(...batch.body.results.slice(0, 3).map((r: { id: string }) => r.id))
    expect((await tenant.client.post(`/v1/interactions/${erinIds[0]}/feedback`, { kind: 'thumbs_up', quality_score: 90 })).status).toBe(201)
    expect((await tenant.client.post(`/v1/interactions/${erinIds[0]}/validations`, { passed: true, edited: { fixed: true } })).status).toBe(201)
    expect((await tenant.client.post('/v1/examples', { interaction_id: erinIds[0], quality_score: 90 })).status).toBe(201)
    // An OTLP model call of erin's, with a log event joined to it and a tool span.
    const erinKey = await keyFor(url, tenant.tenantId, ['ingest'], 'erin')
    const [trace, span] = [freshTraceId(), freshSpanId()]
    const post = (signal: string, body: unknown) =>
      fetch(`${url}/v1/${signal}`, { method: 'POST', headers: { authorization: `Bearer ${erinKey.key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
    const chat = { traceId: trace, spanId: span, startMs: Date.now() - 1000, attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'm' } }
    const tool = { traceId: trace, spanId: freshSpanId(), parentSpanId: span, startMs: Date.now() - 900, name: 'execute_tool t', attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 't' } }
    expect((await post('traces', jsonRequest([chat, tool]))).status).toBe(200)
    const event = { traceId: trace, spanId: span, eventName: 'gen_ai.user.message', body: { content: 'erin via otel about the ptarmigan' } }
    expect((await post('logs', jsonLogsRequest([event]))).status).toBe(200)
    erinIds.push(`otel-${trace}-${span}`)
  })
  afterAll(() => stop?.())

  it('needs the delete scope, and lets a user-bound key erase only its own user', async () => {
    const reader = await keyFor(url, tenant.tenantId, ['read', 'admin'])
    expect((await reader.client.delete('/v1/users/erin/data')).body.error.details.required_scope).toBe('delete')
    const frankKey = await keyFor(url, tenant.tenantId, ['delete'], 'frank')
    const refused = await frankKey.client.delete('/v1/users/erin/data')
    expect([refused.status, refused.body.error.code]).toEqual([403, 'forbidden'])
    expect((await tenant.client.get(`/v1/interactions/${erinIds[0]}`)).status).toBe(200)
  })

  it('erases the user: nothing of theirs is found by any read, search, metric, thread, failure or data-quality view', async () => {
    const before = await totals()
    expect(before).toMatchObject({ count: 5, withFeedback: 1, failures: 2, incomplete: 1, erin: 4 })
    expect((await tenant.client.get('/v1/interactions?q=ptarmigan')).body.total_count).toBe(4)

    const erased = await tenant.client.delete('/v1/users/erin/data')
    expect(erased.status).toBe(200)
    expect(erased.body).toEqual({
      user_id: 'erin',
      deleted: { interactions: 4, archived_interactions: 0, feedback: 1, tags: 1, otlp_tool_spans: 1, otlp_log_events: 1, flow_sessions: 0, validations: 1, examples: 1, otlp_requested_tool_calls: 0 },
    })

    expect(await totals()).toEqual({ count: 1, withFeedback: 0, failures: 1, incomplete: 0, erin: 0 })
    for (const id of erinIds) expect((await tenant.client.get(`/v1/interactions/${id}`)).status).toBe(404)
    expect((await tenant.client.get('/v1/threads/erin-thread')).status).toBe(404)
    const search = await tenant.client.get('/v1/interactions?q=ptarmigan')
    expect(search.body.interactions.map((i: { user_id: string }) => i.user_id)).toEqual(['frank'])
    expect((await tenant.client.get('/v1/interactions?tag=vip')).body.total_count).toBe(0)
    expect((await tenant.client.get('/v1/metrics?group_by=user_id')).body.groups.map((g: { value: string }) => g.value)).toEqual(['frank'])
    expect((await tenant.client.get('/v1/metrics?user_id=erin')).body.totals.count).toBe(0)
    expect((await tenant.client.get(`/v1/interactions/${erinIds[0]}/feedback`)).status).toBe(404)
    expect((await tenant.client.get(`/v1/interactions/${erinIds[0]}/validations`)).status).toBe(404)
    expect((await tenant.client.get('/v1/examples')).body.total_count).toBe(0)
    // Nor by any export.
    const exported = await fetch(`${url}/v1/export?format=jsonl`, { headers: { authorization: `Bearer ${tenant.key}` } })
    const lines = (await exported.text()).split('\n').filter(Boolean).map((line) => JSON.parse(line) as { user_id?: string })
    expect(lines.map((line) => line.user_id)).toEqual(['frank'])
    expect((await tenant.client.get('/v1/export/summary?format=openai-chat&user_id=erin')).body).toMatchObject({ records_read: 0, rows_written: 0 })
  })

  it('answers zero counts for a user with nothing left, and a user-bound key erases its own user', async () => {
    const again = await tenant.client.delete('/v1/users/erin/data')
    expect(Object.values(again.body.deleted).every((count) => count === 0)).toBe(true)
    const frankKey = await keyFor(url, tenant.tenantId, ['delete'], 'frank')
    expect((await frankKey.client.delete('/v1/users/frank/data')).body.deleted.interactions).toBe(1)
    expect((await tenant.client.get('/v1/metrics')).body.totals.count).toBe(0)
  })

  it('records deletions, erasures, key and tenant administration and settings changes in the audit log', async () => {
    const doomed = await tenant.client.post('/v1/interactions', anInteraction({ thread_id: 'doomed' }))
    expect((await tenant.client.delete(`/v1/interactions/${doomed.body.id}`)).status).toBe(204)
    await tenant.client.call('PUT', '/v1/settings/redaction', { kinds: ['email'] })
    await tenant.client.call('PUT', '/v1/settings/collection', { enabled: true })
    await tenant.client.call('PUT', '/v1/prices/house-model', { input_per_mtok: 1, output_per_mtok: 2 })

    const log = await tenant.client.get('/v1/audit-log?limit=200')
    expect(log.status).toBe(200)
    const actions = log.body.entries.map((e: { action: string }) => e.action)
    expect(actions.slice(0, 4)).toEqual(['price.set', 'settings.collection.update', 'settings.redaction.update', 'interaction.delete'])
    expect(actions.filter((a: string) => a === 'user_data.erase')).toHaveLength(3)
    expect(actions.at(-1)).toBe('tenant.create')
    expect(actions).toContain('key.create')
    // Newest first: the first erasure of erin is the last of hers.
    const erasure = log.body.entries.filter((e: { action: string; target_id: string }) => e.action === 'user_data.erase' && e.target_id === 'erin').at(-1)
    expect(erasure).toMatchObject({ actor_key_id: tenant.keyId, target_type: 'user', details: { deleted: { interactions: 4, feedback: 1 } } })
    expect(log.body.entries.find((e: { action: string }) => e.action === 'interaction.delete')).toMatchObject({ target_type: 'interaction', target_id: doomed.body.id })
    const fresh = await keyFor(url, tenant.tenantId, ['read'])
    const keyCreated = (await tenant.client.get('/v1/audit-log?action=key.create')).body.entries[0]
    expect(keyCreated).toMatchObject({ target_id: fresh.keyId, details: { scopes: ['read'], prefix: fresh.key.slice(0, 10) } })
    expect(JSON.stringify(keyCreated)).not.toContain(fresh.key) // never the secret, only its prefix
    expect(log.body).toMatchObject({ total_count: log.body.entries.length, returned_count: log.body.entries.length })
  })

  it('filters the audit log by action and time, pages it, needs admin and shows one tenant only', async () => {
    const erasures = await tenant.client.get('/v1/audit-log?action=user_data.erase&limit=2')
    expect(erasures.body).toMatchObject({ total_count: 3, returned_count: 2, limit: 2, offset: 0 })
    const next = await tenant.client.get('/v1/audit-log?action=user_data.erase&limit=2&offset=2')
    expect(next.body.entries).toHaveLength(1)
    expect(erasures.body.entries[0].created_at >= erasures.body.entries[1].created_at).toBe(true)
    const future = new Date(Date.now() + 60_000).toISOString()
    expect((await tenant.client.get(`/v1/audit-log?from=${future}`)).body.total_count).toBe(0)
    expect((await tenant.client.get(`/v1/audit-log?to=${future}`)).body.total_count).toBeGreaterThan(5)
    expect((await tenant.client.get('/v1/audit-log?action=nope')).body.error.details.issues[0].path).toBe('action')
    const deleter = await keyFor(url, tenant.tenantId, ['delete'])
    expect((await deleter.client.get('/v1/audit-log')).body.error.details.required_scope).toBe('admin')
    const other = await tenantWithKey(url, 'erasure-other', ['admin'])
    const otherLog = await other.client.get('/v1/audit-log')
    expect(otherLog.body.entries.map((e: { action: string }) => e.action).sort()).toEqual(['key.create', 'tenant.create'])
    const revoked = await apiClient(url, TEST_ADMIN_KEY).delete(`/v1/admin/keys/${deleter.keyId}`)
    expect(revoked.status).toBe(200)
    expect((await tenant.client.get('/v1/audit-log?action=key.revoke')).body.entries[0]).toMatchObject({ target_id: deleter.keyId })
  })
})
