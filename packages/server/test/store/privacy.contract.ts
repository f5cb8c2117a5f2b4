import type { AuditEntry, InteractionInput } from '@interlog/schema'
import { beforeAll, describe, expect, it } from 'vitest'
import { normalizeInteraction } from '../../src/interactions/interaction.normalize.js'
import type { Store } from '../../src/store/store.js'
import { storeOfSuite, type StoreHarness } from './store.contract.js'

export interface PrivacyHarness extends StoreHarness {
  /** Bytes of the row's stored JSON and compressed payload, read with SQL behind the store's back. */
  storedBytes(tenantId: string, id: string): Promise<{ data: number; payload: number | null }>
}

const T0 = Date.parse('2026-02-01T00:00:00.000Z')
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString()
let counter = 0
const ids = { next: () => `p-${++counter}` }
const row = (tenantId: string, input: InteractionInput) => normalizeInteraction(input, { tenantId, clock: { now: () => new Date(T0) }, ids })

/** Text that compresses like real prose: words from a small vocabulary. */
function prose(words: number, seed: number, marker = ''): string {
  const vocabulary = 'the customer asked about an order refund shipping delay invoice payment plan upgrade support reply summary'.split(' ')
  let state = seed
  const out: string[] = [marker]
  for (let i = 0; i < words; i++) {
    state = (state * 16807) % 2147483647
    out.push(vocabulary[state % vocabulary.length]!)
  }
  return out.join(' ').trim()
}

const entry = (id: string, action: AuditEntry['action'], minutes: number, target?: string): AuditEntry => ({
  id,
  action,
  actor_key_id: 'key-1',
  target_type: target ? 'interaction' : null,
  target_id: target ?? null,
  details: { n: minutes },
  created_at: at(minutes),
})

/** Settings, the audit log, user erasure and payload compression: the same on every store. */
export function privacyContract(name: string, harness: PrivacyHarness): void {
  describe(`Privacy contract: ${name}`, () => {
    const opened = storeOfSuite(harness)
    let store: Store
    beforeAll(() => {
      store = opened()
    })

    it('keeps named settings per tenant, replacing a setting whole', async () => {
      expect(await store.settings.all('s-1')).toEqual([])
      await store.settings.put('s-1', { name: 'redaction', value: { kinds: ['email'] }, updated_at: at(1) })
      await store.settings.put('s-1', { name: 'collection', value: { enabled: false }, updated_at: at(2) })
      await store.settings.put('s-1', { name: 'redaction', value: { kinds: ['phone', 'secret'] }, updated_at: at(3) })
      const all = await store.settings.all('s-1')
      expect(all.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
        { name: 'collection', value: { enabled: false }, updated_at: at(2) },
        { name: 'redaction', value: { kinds: ['phone', 'secret'] }, updated_at: at(3) },
      ])
      expect(await store.settings.all('s-2')).toEqual([])
    })

    it('lists audit entries newest first, filtered by action and time, paged with the total, per tenant', async () => {
      const entries = [
        entry('a1', 'key.create', 1),
        entry('a2', 'interaction.delete', 2, 'i-1'),
        entry('a3', 'interaction.delete', 3, 'i-2'),
        entry('a4', 'user_data.erase', 4),
        entry('a5', 'settings.redaction.update', 5),
      ]
      for (const e of entries) await store.audit.insert('audit-a', e)
      await store.audit.insert('audit-b', entry('b1', 'key.create', 1))
      const page = { limit: 50, offset: 0 }
      expect((await store.audit.list('audit-a', {}, page)).entries.map((e) => e.id)).toEqual(['a5', 'a4', 'a3', 'a2', 'a1'])
      expect(await store.audit.list('audit-a', { action: 'interaction.delete' }, page)).toEqual({ entries: [entries[2], entries[1]], total: 2 })
      expect((await store.audit.list('audit-a', { from: at(2), to: at(4) }, page)).entries.map((e) => e.id)).toEqual(['a3', 'a2'])
      expect(await store.audit.list('audit-a', {}, { limit: 2, offset: 1 })).toMatchObject({ entries: [{ id: 'a4' }, { id: 'a3' }], total: 5 })
      expect((await store.audit.list('audit-b', {}, page)).entries.map((e) => e.id)).toEqual(['b1'])
    })

    describe('erasing a user', () => {
      const E = 'erase-tenant'
      const OTHER = 'erase-other'
      const trace = '0af7651916cd43dd8448eb211c80319c'
      const annSpan = 'b7ad6b7169203331'
      const annOtel = `otel-${trace}-${annSpan}`

      beforeAll(async () => {
        const ann = (input: InteractionInput) => ({ user_id: 'ann', type: 'chat', model: 'm1', latency_ms: 100, ...input })
        await store.interactions.insertGroups([
          {
            tenantId: E,
            rows: [
              row(E, ann({ id: 'ann-1', timestamp: at(10), user_message: 'ann asks about zanzibar', thread_id: 'ann-thread', tags: ['vip'] })),
              row(E, ann({ id: 'ann-2', timestamp: at(20), error_message: 'zanzibar timeout', required_variables: ['x'] })),
              row(E, ann({ id: annOtel, timestamp: at(30), tool_calls: [{ id: 'call-1', name: 'lookup' }] })),
              row(E, { id: 'bob-1', timestamp: at(15), user_id: 'bob', type: 'chat', model: 'm1', user_message: 'bob asks about zanzibar', tags: ['vip'] }),
            ],
          },
          { tenantId: OTHER, rows: [row(OTHER, ann({ id: 'other-ann', timestamp: at(10), user_message: 'zanzibar elsewhere' }))] },
        ])
        const feedback = (id: string, interaction: string) => ({
          id,
          interaction_id: interaction,
          kind: 'thumbs_up' as const,
          sentiment: null,
          quality_score: 80,
          comment: null,
          correction: null,
          categories: [],
          edit_distance: null,
          created_at: at(40),
        })
        await store.feedback.add(E, feedback('f-ann', 'ann-1'), {})
        await store.feedback.add(E, feedback('f-bob', 'bob-1'), {})
        await store.otlp.saveRequestedCalls(E, [{ trace_id: trace, tool_call_id: 'call-1', interaction_id: annOtel }])
        const tool = (span: string, callId: string | null, parent: string | null) => ({
          trace_id: trace,
          span_id: span,
          parent_span_id: parent,
          tool_call_id: callId,
          tool_call: { name: 'lookup' },
          received_ts: T0,
        })
        await store.otlp.saveToolSpans(E, [tool('1111111111111111', 'call-1', null), tool('2222222222222222', null, annSpan), tool('3333333333333333', null, 'ffffffffffffffff')])
        const flowSession = (sessionId: string, userId: string) => ({
          flow_id: 'support',
          session_id: sessionId,
          user_id: userId,
          status: 'active' as const,
          node: 'a',
          waiting: false,
          fields: { phone: '+14155552671' },
          context: {},
          messages: [{ role: 'user' as const, content: 'my phone is 415 555 2671', at: at(5) }],
          extracted_through: 1,
          turns: 1,
          version: 1,
          created_at: at(5),
          updated_at: at(5),
        })
        await store.flows.saveSession(E, flowSession('ann-session', 'ann'))
        await store.flows.saveSession(E, flowSession('bob-session', 'bob'))
        await store.otlp.saveLogEvents(E, [
          { trace_id: trace, span_id: annSpan, event_key: 'k1', event_name: 'gen_ai.user.message', time_ms: T0, seq: 0, body: { content: 'hi' }, attributes: {}, received_ts: T0 },
          { trace_id: trace, span_id: 'ffffffffffffffff', event_key: 'k2', event_name: 'gen_ai.user.message', time_ms: T0, seq: 1, body: {}, attributes: {}, received_ts: T0 },
        ])
      })

      it('removes the user’s interactions and everything attached, answering counts per kind', async () => {
        const rolledUp = async () => (await store.metrics.rollupSums(E, 'd', T0 - 86_400_000, T0 + 86_400_000, {}, ['n'])).n
        expect(await rolledUp()).toBe(4)
        const counts = await store.interactions.eraseUser(E, 'ann')
        expect(counts).toEqual({ interactions: 3, feedback: 1, tags: 1, otlp_tool_spans: 2, otlp_log_events: 1, flow_sessions: 1, validations: 0, examples: 0, otlp_requested_tool_calls: 1 })

        for (const id of ['ann-1', 'ann-2', annOtel]) expect(await store.interactions.get(E, id, {})).toBeUndefined()
        expect(await store.interactions.thread(E, 'ann-thread', {}, 10)).toEqual([])
        const page = { limit: 50, offset: 0 }
        expect((await store.interactions.list(E, { user_id: 'ann' }, page)).total).toBe(0)
        expect((await store.interactions.list(E, { q: 'zanzibar' }, page)).interactions.map((i) => i.id)).toEqual(['bob-1'])
        expect((await store.interactions.list(E, { tag: 'vip' }, page)).total).toBe(1)
        expect(await rolledUp()).toBe(1)
        expect((await store.metrics.rowSums(E, {}, ['n'], { from: T0 - 86_400_000, to: T0 + 86_400_000 })).n).toBe(1)
        expect((await store.metrics.scan(E, { user_id: 'ann' }, 0, T0 * 2, undefined)).length).toBe(0)
        expect(await store.feedback.history(E, 'ann-1')).toEqual([])
        expect(await store.otlp.requestedCallsOfTraces(E, [trace])).toEqual([])
        expect((await store.otlp.toolSpansOfTraces(E, [trace])).map((s) => s.span_id)).toEqual(['3333333333333333'])
        expect((await store.otlp.logEventsOfTraces(E, [trace])).map((e) => e.event_key)).toEqual(['k2'])
        expect(await store.flows.getSession(E, 'support', 'ann-session', {})).toBeUndefined()
      })

      it('leaves other users and other tenants alone, and answers zeros when nothing is left', async () => {
        expect((await store.interactions.get(E, 'bob-1', {}))?.feedback_kind).toBe('thumbs_up')
        expect(await store.feedback.history(E, 'bob-1')).toHaveLength(1)
        expect((await store.flows.getSession(E, 'support', 'bob-session', {}))?.user_id).toBe('bob')
        expect((await store.interactions.get(OTHER, 'other-ann', {}))?.user_id).toBe('ann')
        expect((await store.interactions.list(OTHER, { q: 'zanzibar' }, { limit: 10, offset: 0 })).total).toBe(1)
        const again = await store.interactions.eraseUser(E, 'ann')
        expect(Object.values(again).every((count) => count === 0)).toBe(true)
      })
    })

    it('erases interactions whose ids hold quotes, backslashes, commas, braces and NULL, and only those', async () => {
      const W = 'erase-odd-ids'
      const odd = ['q "1"', 'b \\ 2', 'c,3', '{4}', 'NULL']
      const zed = odd.map((id, index) => row(W, { id, timestamp: at(index), user_id: 'zed', tags: ['t'] }))
      await store.interactions.insertGroups([{ tenantId: W, rows: [...zed, row(W, { id: 'q "1" kept', timestamp: at(9), user_id: 'amy', tags: ['t'] })] }])
      expect((await store.interactions.list(W, { tag: 't' }, { limit: 50, offset: 0 })).total).toBe(odd.length + 1)
      expect(await store.interactions.eraseUser(W, 'zed')).toMatchObject({ interactions: odd.length, tags: odd.length })
      expect((await store.interactions.list(W, { tag: 't' }, { limit: 50, offset: 0 })).interactions.map((i) => i.id)).toEqual(['q "1" kept'])
    })

    describe('compressed payload fields', () => {
      const C = 'compress-tenant'
      const bigMessage = prose(4000, 7, 'quetzalcoatl')
      const messages = Array.from({ length: 40 }, (_, n) => ({ role: n % 2 ? 'assistant' : 'user', content: prose(120, n + 1) }))
      const input: InteractionInput = {
        id: 'big-1',
        timestamp: at(1),
        thread_id: 'big-thread',
        user_message: bigMessage,
        messages,
        raw_response: { choices: [{ message: { content: prose(2000, 99) } }] },
        assistant_response: 'a short answer stays inline',
        metadata: { small: true },
      }

      beforeAll(async () => {
        await store.interactions.insertGroups([{ tenantId: C, rows: [row(C, input), row(C, { id: 'small-1', timestamp: at(2), thread_id: 'big-thread', user_message: 'small one' })] }])
      })

      it('stores large fields compressed and small rows as they were', async () => {
        const big = await harness.storedBytes(C, 'big-1')
        const logical = (await store.interactions.get(C, 'big-1', {}))!.size_bytes!
        expect(big.payload).not.toBeNull()
        expect(big.payload!).toBeLessThan(logical / 3)
        expect(big.data).toBeLessThan(2_000)
        expect((await harness.storedBytes(C, 'small-1')).payload).toBeNull()
      })

      it('reads them back on get, list and thread', async () => {
        const { size_bytes, ...read } = (await store.interactions.get(C, 'big-1', {}))!
        expect(read).toMatchObject({ ...input, tenant_id: C })
        expect(read.messages).toEqual(messages)
        expect(size_bytes).toBeGreaterThan(40_000)
        const listed = (await store.interactions.list(C, { thread_id: 'big-thread' }, { limit: 10, offset: 0 })).interactions
        expect(listed.find((i) => i.id === 'big-1')?.user_message).toBe(bigMessage)
        expect((await store.interactions.thread(C, 'big-thread', {}, 10))[0]?.raw_response).toEqual(input.raw_response)
      })

      it('searches the uncompressed text, and keeps doing so after an update', async () => {
        const search = async (q: string) => (await store.interactions.list(C, { q }, { limit: 10, offset: 0 })).interactions.map((i) => i.id)
        expect(await search('quetzalcoatl')).toEqual(['big-1'])
        const updated = await store.interactions.update(C, 'big-1', (current) => ({ ...current, user_message: prose(4000, 8, 'xiuhcoatl') }))
        expect(updated?.user_message?.startsWith('xiuhcoatl')).toBe(true)
        expect(updated?.messages).toEqual(messages)
        expect(await search('xiuhcoatl')).toEqual(['big-1'])
        expect(await search('quetzalcoatl')).toEqual([])
        expect((await harness.storedBytes(C, 'big-1')).payload).not.toBeNull()
      })
    })
  })
}
