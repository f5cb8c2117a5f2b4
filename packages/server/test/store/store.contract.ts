import type { InteractionInput } from '@interlog/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { normalizeInteraction } from '../../src/interactions/interaction.normalize.js'
import { tenantSearchToken } from '../../src/search/full-text-search.js'
import { SEARCH_COUNT_LIMIT } from '../../src/store/kysely/kysely.store.js'
import type { InteractionRow, KeyRecord, Store } from '../../src/store/store.js'

export interface StoreHarness {
  open(): Promise<Store>
  cleanup(): Promise<void>
}

/** Opens the harness's store before a suite's tests and closes it after them; answers the open store. */
export function storeOfSuite(harness: StoreHarness): () => Store {
  let store: Store | undefined
  beforeAll(async () => {
    store = await harness.open()
  })
  afterAll(async () => {
    await store?.close()
    await harness.cleanup()
  })
  return () => store!
}

const T0 = Date.parse('2026-01-01T00:00:00.000Z')
let idCounter = 0
const ids = { next: () => `gen-${++idCounter}` }

/** Builds a stored row the way the ingest service does, at a fixed time. */
export function row(tenantId: string, input: InteractionInput, at = T0): InteractionRow {
  return normalizeInteraction(input, { tenantId, clock: { now: () => new Date(at) }, ids })
}

export const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString()

function key(tenantId: string, overrides: Partial<KeyRecord> = {}): KeyRecord {
  const id = `key-${++idCounter}`
  return {
    id,
    tenant_id: tenantId,
    name: null,
    prefix: 'il_abc',
    hash: `hash-${id}`,
    scopes: ['read'],
    user_id: null,
    is_root: false,
    created_at: at(idCounter),
    revoked_at: null,
    ...overrides,
  }
}

/**
 * The one contract every store adapter passes, unchanged. Run by sqlite.store.test.ts and
 * postgres.store.test.ts against real databases.
 */
export function storeContract(name: string, harness: StoreHarness): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store
    const A = 'tenant-a'
    const B = 'tenant-b'

    beforeAll(async () => {
      store = await harness.open()
      await store.tenants.create({ id: A, name: 'alpha', created_at: at(0) })
      await store.tenants.create({ id: B, name: 'beta', created_at: at(1) })
    })
    afterAll(async () => {
      await store?.close()
      await harness.cleanup()
    })

    describe('tenants', () => {
      it('finds tenants by id and by name, newest first in the list', async () => {
        expect(await store.tenants.getById(A)).toEqual({ id: A, name: 'alpha', created_at: at(0) })
        expect((await store.tenants.getByName('beta'))?.id).toBe(B)
        expect(await store.tenants.getByName('nobody')).toBeUndefined()
        expect((await store.tenants.list()).map((t) => t.id)).toEqual([B, A])
      })

      it('refuses a second tenant with the same name', async () => {
        await expect(store.tenants.create({ id: 'other', name: 'alpha', created_at: at(2) })).rejects.toThrow()
      })
    })

    describe('keys', () => {
      it('authenticates by hash until revoked, and scopes lookups by tenant', async () => {
        const k = key(A, { scopes: ['ingest', 'read'], user_id: 'u1' })
        await store.keys.insert(A, k)
        expect(await store.keys.findActiveByHash(k.hash)).toEqual(k)
        expect(await store.keys.getById(B, k.id)).toBeUndefined()
        expect((await store.keys.getById(A, k.id))?.scopes).toEqual(['ingest', 'read'])
        expect(await store.keys.revoke(B, k.id, at(5))).toBe(false)
        expect(await store.keys.revoke(A, k.id, at(5))).toBe(true)
        expect(await store.keys.revoke(A, k.id, at(6))).toBe(false)
        expect(await store.keys.findActiveByHash(k.hash)).toBeUndefined()
        expect((await store.keys.getById(undefined, k.id))?.revoked_at).toBe(at(5))
      })

      it('lists keys of one tenant or of all', async () => {
        const kb = key(B)
        await store.keys.insert(B, kb)
        expect((await store.keys.list(B)).map((k) => k.id)).toEqual([kb.id])
        expect((await store.keys.list(undefined)).map((k) => k.id)).toContain(kb.id)
        expect((await store.keys.list(A)).some((k) => k.tenant_id !== A)).toBe(false)
      })

      it('revokes every root key but the given one', async () => {
        const old = key(A, { is_root: true })
        const current = key(A, { is_root: true })
        await store.keys.insert(A, old)
        await store.keys.insert(A, current)
        expect(await store.keys.revokeRootKeysExcept(current.hash, at(9))).toBe(1)
        expect(await store.keys.findActiveByHash(old.hash)).toBeUndefined()
        expect((await store.keys.findActiveByHash(current.hash))?.is_root).toBe(true)
      })

      it('makes a stored key, revoked or not, the active root key again; false for an unknown hash', async () => {
        const earlier = key(B, { is_root: true, user_id: 'u1', revoked_at: at(8) })
        await store.keys.insert(B, earlier)
        expect(await store.keys.reinstateRoot(A, earlier.hash, ['read', 'admin'])).toBe(true)
        expect(await store.keys.findActiveByHash(earlier.hash)).toMatchObject({ tenant_id: A, is_root: true, user_id: null, scopes: ['read', 'admin'], revoked_at: null })
        expect(await store.keys.reinstateRoot(A, 'hash-never-stored', ['admin'])).toBe(false)
      })
    })

    describe('interactions', () => {
      it('inserts, reports duplicates within and across batches, and keeps tenants apart', async () => {
        const first = await store.interactions.insertGroups([
          { tenantId: A, rows: [row(A, { id: 'dup-1', user_message: 'first' }), row(A, { id: 'dup-1', user_message: 'again' })] },
          { tenantId: B, rows: [row(B, { id: 'dup-1', user_message: 'tenant b' })] },
        ])
        expect(first).toEqual([['created', 'duplicate'], ['created']])
        const second = await store.interactions.insertGroups([{ tenantId: A, rows: [row(A, { id: 'dup-1', user_message: 'later' })] }])
        expect(second).toEqual([['duplicate']])
        expect((await store.interactions.get(A, 'dup-1', {}))?.user_message).toBe('first')
        expect((await store.interactions.get(B, 'dup-1', {}))?.user_message).toBe('tenant b')
      })

      it('stores a lone UTF-16 surrogate as U+FFFD, and the rest of its batch with it', async () => {
        const lone = `cut emoji \ud83d here`
        const outcome = await store.interactions.insertGroups([
          {
            tenantId: A,
            rows: [
              row(A, { id: 'lone-1', user_message: lone, metadata: { [`key \udc00`]: [`value \ud800`] } }),
              row(A, { id: 'lone-2', user_message: 'an ordinary neighbour 😀' }),
            ],
          },
        ])
        expect(outcome).toEqual([['created', 'created']])
        const stored = await store.interactions.get(A, 'lone-1', {})
        expect(stored?.user_message).toBe('cut emoji \ufffd here')
        expect(stored?.metadata).toEqual({ 'key \ufffd': ['value \ufffd'] })
        expect((await store.interactions.get(A, 'lone-2', {}))?.user_message).toBe('an ordinary neighbour 😀')
      })

      it('round-trips every field of an interaction', async () => {
        const input: InteractionInput = {
          id: 'full-1',
          timestamp: at(3),
          ended_at: at(4),
          user_id: 'u1',
          thread_id: 'th',
          session_id: 's',
          type: 'chat',
          category: 'web',
          tags: ['x', 'y'],
          metadata: { nested: { deep: [1, 'two', null] } },
          provider: 'openai',
          model: 'gpt-4o',
          model_version: '2024-08-06',
          prompt_id: 'p',
          prompt_version: 'v2',
          model_parameters: { temperature: 0.2 },
          user_message: 'héllo ✓',
          messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: null, tool_calls: [{ id: 'c1' }] }],
          rendered_prompt: 'You are...',
          input_variables: { name: 'Ann' },
          required_variables: ['name', 'city'],
          assistant_response: 'hello',
          structured_output: { a: 1 },
          raw_response: { choices: [] },
          finish_reason: 'stop',
          tool_calls: [{ id: 'c1', name: 'lookup', arguments: { q: 1 }, result: 'ok', status: 'success', latency_ms: 5 }],
          prompt_tokens: 5,
          completion_tokens: 6,
          cached_tokens: 1,
          reasoning_tokens: 2,
          cost_usd: 0.0012,
          error_message: 'partial answer',
          status: 'partial',
          intents: [{ name: 'greet', confidence: 0.9 }],
          confidence: 0.9,
          handoff: true,
          handoff_reason: 'asked for a human',
          message_type: 'question',
          context_size: 1000,
        }
        const stored = row(A, input)
        await store.interactions.insertGroups([{ tenantId: A, rows: [stored] }])
        const read = await store.interactions.get(A, 'full-1', {})
        const { size_bytes, ...rest } = read!
        expect(rest).toEqual(stored.interaction)
        expect(size_bytes).toBeGreaterThan(500)
        expect(read).toMatchObject({ total_tokens: 11, latency_ms: 60_000, missing_variables: ['city'], all_variables_present: false })
      })

      it('rolls back the whole transaction when one row cannot be written', async () => {
        const good = row(A, { id: 'atomic-good' })
        const bad = row(A, { id: 'atomic-bad' })
        ;(bad.interaction as { status: unknown }).status = null
        await expect(store.interactions.insertGroups([{ tenantId: A, rows: [good, bad] }])).rejects.toThrow()
        expect(await store.interactions.get(A, 'atomic-good', {})).toBeUndefined()
      })
    })

    describe('listing', () => {
      const T = 'tenant-list'
      beforeAll(async () => {
        await store.tenants.create({ id: T, name: 'lister', created_at: at(0) })
        const inputs: InteractionInput[] = [
          { id: 'l1', timestamp: at(10), user_id: 'ann', thread_id: 't1', type: 'chat', model: 'm1', provider: 'p1', latency_ms: 100, tags: ['red'], session_id: 's1', category: 'web' },
          { id: 'l2', timestamp: at(20), user_id: 'bob', thread_id: 't1', type: 'chat', model: 'm2', provider: 'p1', latency_ms: 300, tags: ['red', 'blue'] },
          { id: 'l3', timestamp: at(30), user_id: 'ann', thread_id: 't2', type: 'outline', model: 'm1', provider: 'p2', latency_ms: 50, error_message: 'boom' },
          { id: 'l4', timestamp: at(30), user_id: 'ann', thread_id: 't1', type: 'chat', model: 'm1', provider: 'p1', latency_ms: 200, category: 'app' },
          { id: 'l5', timestamp: at(40), user_id: 'cat', type: 'chat', model: 'm3', provider: 'p3' },
        ]
        await store.interactions.insertGroups([{ tenantId: T, rows: inputs.map((input) => row(T, input)) }])
      })

      const ids = async (filter: object, page: { limit?: number; offset?: number; after?: { ts: number; id: string } } = {}) => {
        const result = await store.interactions.list(T, filter, { limit: page.limit ?? 50, offset: page.offset ?? 0, after: page.after })
        return { ids: result.interactions.map((i) => i.id), total: result.total, last: result.last }
      }

      it('lists newest first, ties broken by id, with the total', async () => {
        expect(await ids({})).toMatchObject({ ids: ['l5', 'l4', 'l3', 'l2', 'l1'], total: 5 })
      })

      it('applies each filter', async () => {
        expect((await ids({ user_id: 'ann' })).ids).toEqual(['l4', 'l3', 'l1'])
        expect((await ids({ thread_id: 't1' })).ids).toEqual(['l4', 'l2', 'l1'])
        expect((await ids({ session_id: 's1' })).ids).toEqual(['l1'])
        expect((await ids({ type: 'outline' })).ids).toEqual(['l3'])
        expect((await ids({ category: 'app' })).ids).toEqual(['l4'])
        expect((await ids({ status: 'failure' })).ids).toEqual(['l3'])
        expect((await ids({ model: 'm1', provider: 'p1' })).ids).toEqual(['l4', 'l1'])
        expect((await ids({ tag: 'red' })).ids).toEqual(['l2', 'l1'])
        expect((await ids({ tag: 'blue' })).ids).toEqual(['l2'])
        expect((await ids({ from: at(20), to: at(40) })).ids).toEqual(['l4', 'l3', 'l2'])
        expect((await ids({ min_latency_ms: 100, max_latency_ms: 200 })).ids).toEqual(['l4', 'l1'])
        expect(await ids({ user_id: 'nobody' })).toEqual({ ids: [], total: 0, last: undefined })
      })

      it('pages by offset and by keyset, with the total of the whole filter', async () => {
        expect(await ids({}, { limit: 2, offset: 2 })).toMatchObject({ ids: ['l3', 'l2'], total: 5 })
        const first = await ids({}, { limit: 2 })
        expect(first.ids).toEqual(['l5', 'l4'])
        const second = await ids({}, { limit: 2, after: first.last })
        expect(second.ids).toEqual(['l3', 'l2'])
        const third = await ids({}, { limit: 2, after: second.last })
        expect(third.ids).toEqual(['l1'])
        expect((await ids({ user_id: 'ann' }, { limit: 1, after: { ts: Date.parse(at(30)), id: 'l4' } })).ids).toEqual(['l3'])
      })

      it('never shows another tenant, and narrows to one user when asked', async () => {
        expect((await store.interactions.list(B, {}, { limit: 50, offset: 0 })).interactions.map((i) => i.id)).not.toContain('l1')
        expect(await store.interactions.get(B, 'l1', {})).toBeUndefined()
        expect(await store.interactions.get(T, 'l1', { userId: 'bob' })).toBeUndefined()
        expect((await store.interactions.get(T, 'l1', { userId: 'ann' }))?.id).toBe('l1')
      })

      it('reads a thread oldest first', async () => {
        expect((await store.interactions.thread(T, 't1', {}, 100)).map((i) => i.id)).toEqual(['l1', 'l2', 'l4'])
        expect((await store.interactions.thread(T, 't1', { userId: 'ann' }, 100)).map((i) => i.id)).toEqual(['l1', 'l4'])
        expect(await store.interactions.thread(B, 't1', {}, 100)).toEqual([])
      })
    })

    describe('full-text search', () => {
      const S = 'tenant-search'
      beforeAll(async () => {
        await store.tenants.create({ id: S, name: 'searcher', created_at: at(0) })
        const inputs: InteractionInput[] = [
          { id: 's1', timestamp: at(1), user_message: 'My roof is leaking badly', assistant_response: 'Sorry to hear that', type: 'support' },
          { id: 's2', timestamp: at(2), user_message: 'The roof leaks again, roof roof', type: 'support' },
          { id: 's3', timestamp: at(3), rendered_prompt: 'You are a roofing assistant', assistant_response: 'Hello', type: 'sales' },
          { id: 's4', timestamp: at(4), error_message: 'Upstream timeout while calling the leak detector', type: 'support' },
          { id: 's5', timestamp: at(5), user_message: 'Is my e-mail address saved?', type: 'support' },
        ]
        await store.interactions.insertGroups([{ tenantId: S, rows: inputs.map((input) => row(S, input)) }])
      })
      const search = async (q: string, extra: object = {}, sort?: 'relevance') =>
        (await store.interactions.list(S, { q, ...extra }, { limit: 50, offset: 0, sort })).interactions.map((i) => i.id)

      it('searches every text field, stems words, and combines with filters', async () => {
        expect(await search('leak')).toEqual(['s4', 's2', 's1'])
        expect(await search('timeout')).toEqual(['s4'])
        expect(await search('roofing assistant')).toEqual(['s3'])
        expect(await search('leak', { type: 'support', from: at(2) })).toEqual(['s4', 's2'])
        expect(await search('nothing-like-this')).toEqual([])
      })

      it('matches phrases and prefixes', async () => {
        expect(await search('"roof is leaking"')).toEqual(['s1'])
        expect(await search('"leaking roof"')).toEqual([])
        expect(await search('roo*')).toEqual(['s3', 's2', 's1'])
        expect(await search('e-mail')).toEqual(['s5'])
      })

      it('ranks by relevance when asked', async () => {
        expect((await search('roof', {}, 'relevance'))[0]).toBe('s2')
      })

      it('counts matches and never shows another tenant', async () => {
        expect((await store.interactions.list(S, { q: 'leak' }, { limit: 1, offset: 0 })).total).toBe(3)
        expect((await store.interactions.list(A, { q: 'leak' }, { limit: 50, offset: 0 })).total).toBe(0)
      })

      it('never matches the tenant scoping kept in the index', async () => {
        expect(await search(tenantSearchToken(S))).toEqual([])
        expect(await search(`${tenantSearchToken(S).slice(0, 4)}*`)).toEqual([])
      })

      it('drops a deleted interaction from the index', async () => {
        expect(await store.interactions.delete(S, 's4', {})).toBe(true)
        expect(await search('timeout')).toEqual([])
      })
    })

    describe('searching many rows', () => {
      const M = 'tenant-many'
      const ROWS = SEARCH_COUNT_LIMIT + 1
      const idOf = (n: number) => `m${String(n).padStart(5, '0')}`
      beforeAll(async () => {
        await store.tenants.create({ id: M, name: 'many', created_at: at(0) })
        const rows = Array.from({ length: ROWS }, (_, n) =>
          row(M, { id: idOf(n), timestamp: at(n), user_message: n % 1000 === 0 ? 'common and rare' : 'common words', type: n % 2 ? 'odd' : 'even' }),
        )
        await store.interactions.insertGroups([{ tenantId: M, rows }])
        await store.interactions.insertGroups([{ tenantId: B, rows: [row(B, { id: 'other-common', user_message: 'common' })] }])
      }, 60_000)
      const list = (filter: object, page: object = {}) => store.interactions.list(M, filter, { limit: 50, offset: 0, ...page })

      it('counts exactly up to the limit, and flags a larger total as a lower bound', async () => {
        const all = await list({ q: 'common' })
        // A store whose text index holds the tenant counts every match; others stop at the limit.
        expect(all.totalExact ? all.total : SEARCH_COUNT_LIMIT).toBe(all.totalExact ? ROWS : all.total)
        expect(await list({ q: 'common', type: 'even' })).toMatchObject({ total: Math.ceil(ROWS / 2), totalExact: true })
        const capped = await list({ q: 'common', from: at(0) })
        expect(capped).toMatchObject({ total: SEARCH_COUNT_LIMIT, totalExact: false })
      })

      it('pages newest first through many matches and through few', async () => {
        const first = await list({ q: 'common', type: 'odd' })
        expect(first.interactions.map((i) => i.id)).toEqual(Array.from({ length: 50 }, (_, k) => idOf(ROWS - 2 - 2 * k)))
        const second = await list({ q: 'common', type: 'odd' }, { after: first.last })
        expect(second.interactions[0]!.id).toBe(idOf(ROWS - 2 - 100))
        const rare = await list({ q: 'rare' })
        expect(rare).toMatchObject({ total: 11, totalExact: true })
        expect(rare.interactions.map((i) => i.id)).toEqual(Array.from({ length: 11 }, (_, k) => idOf(10_000 - 1000 * k)))
      })
    })

    describe('deleting', () => {
      it('removes the row and its tags, only within the tenant and visibility', async () => {
        const D = 'tenant-del'
        await store.tenants.create({ id: D, name: 'deleter', created_at: at(0) })
        await store.interactions.insertGroups([{ tenantId: D, rows: [row(D, { id: 'd1', tags: ['gone'], user_id: 'ann' })] }])
        expect(await store.interactions.delete(B, 'd1', {})).toBe(false)
        expect(await store.interactions.delete(D, 'd1', { userId: 'bob' })).toBe(false)
        expect(await store.interactions.delete(D, 'd1', { userId: 'ann' })).toBe(true)
        expect(await store.interactions.get(D, 'd1', {})).toBeUndefined()
        expect((await store.interactions.list(D, { tag: 'gone' }, { limit: 10, offset: 0 })).total).toBe(0)
        // The id is free again: re-ingesting it creates a new row rather than a duplicate.
        expect(await store.interactions.insertGroups([{ tenantId: D, rows: [row(D, { id: 'd1' })] }])).toEqual([['created']])
      })
    })

    describe('updating', () => {
      const U = 'tenant-update'
      beforeAll(async () => {
        await store.tenants.create({ id: U, name: 'updater', created_at: at(0) })
        await store.interactions.insertGroups([
          { tenantId: U, rows: [row(U, { id: 'u1', timestamp: at(5), tags: ['old'], model: 'm1', tool_calls: [{ id: 'c1', name: 'lookup' }] })] },
        ])
      })

      it('rewrites the interaction, its columns and its tags, keeping id, tenant and timestamp', async () => {
        const updated = await store.interactions.update(U, 'u1', (current) => ({
          ...current,
          id: 'ignored',
          timestamp: at(99),
          tags: ['new'],
          model: 'm2',
          tool_calls: [{ ...current.tool_calls![0]!, result: { ok: true }, status: 'success' }],
        }))
        expect(updated).toMatchObject({ id: 'u1', tenant_id: U, timestamp: at(5), model: 'm2', tags: ['new'] })
        const read = await store.interactions.get(U, 'u1', {})
        expect(read).toEqual(updated)
        expect(read!.tool_calls).toEqual([{ id: 'c1', name: 'lookup', result: { ok: true }, status: 'success' }])
        expect((await store.interactions.list(U, { model: 'm2' }, { limit: 10, offset: 0 })).total).toBe(1)
        expect((await store.interactions.list(U, { tag: 'new' }, { limit: 10, offset: 0 })).total).toBe(1)
        expect((await store.interactions.list(U, { tag: 'old' }, { limit: 10, offset: 0 })).total).toBe(0)
      })

      it('changes nothing when the change returns undefined, the id is unknown or the tenant is another', async () => {
        const before = await store.interactions.get(U, 'u1', {})
        expect(await store.interactions.update(U, 'u1', () => undefined)).toBeUndefined()
        expect(await store.interactions.update(U, 'missing', (current) => current)).toBeUndefined()
        expect(await store.interactions.update(B, 'u1', (current) => ({ ...current, model: 'stolen' }))).toBeUndefined()
        expect(await store.interactions.get(U, 'u1', {})).toEqual(before)
      })

      it('serialises concurrent changes of one interaction, so none is lost', async () => {
        const appendCall = (n: number) =>
          store.interactions.update(U, 'u1', (current) => ({ ...current, tool_calls: [...(current.tool_calls ?? []), { id: `p${n}`, name: 'parallel' }] }))
        await Promise.all(Array.from({ length: 8 }, (_, n) => appendCall(n)))
        const ids = (await store.interactions.get(U, 'u1', {}))!.tool_calls!.map((call) => call.id)
        expect(ids.filter((id) => id?.startsWith('p')).sort()).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'])
      })
    })

    describe('OTLP joins', () => {
      const O = 'tenant-otlp'
      const toolSpan = (trace: string, span: string, callId: string | null, result: string) => ({
        trace_id: trace,
        span_id: span,
        parent_span_id: 'parent',
        tool_call_id: callId,
        tool_call: { id: callId ?? undefined, name: 'weather', arguments: { city: 'Paris' }, result, status: 'success' as const, latency_ms: 1.5 },
        received_ts: T0,
      })

      it('keeps the first of each requested tool call and reads them by trace, within the tenant', async () => {
        await store.otlp.saveRequestedCalls(O, [
          { trace_id: 't1', tool_call_id: 'c1', interaction_id: 'first' },
          { trace_id: 't1', tool_call_id: 'c2', interaction_id: 'first' },
          { trace_id: 't2', tool_call_id: 'c1', interaction_id: 'other-trace' },
        ])
        await store.otlp.saveRequestedCalls(O, [{ trace_id: 't1', tool_call_id: 'c1', interaction_id: 'second' }])
        const found = await store.otlp.requestedCallsOfTraces(O, ['t1', 't1', 'nope'])
        expect(found.sort((a, b) => a.tool_call_id.localeCompare(b.tool_call_id))).toEqual([
          { trace_id: 't1', tool_call_id: 'c1', interaction_id: 'first' },
          { trace_id: 't1', tool_call_id: 'c2', interaction_id: 'first' },
        ])
        expect(await store.otlp.requestedCallsOfTraces(B, ['t1'])).toEqual([])
        expect(await store.otlp.requestedCallsOfTraces(O, [])).toEqual([])
      })

      it('keeps the first copy of each tool span and reads them by trace with their tool call', async () => {
        await store.otlp.saveToolSpans(O, [toolSpan('t1', 's1', 'c1', 'sunny'), toolSpan('t1', 's2', null, 'rain'), toolSpan('t3', 's1', 'c9', 'snow')])
        await store.otlp.saveToolSpans(O, [toolSpan('t1', 's1', 'c1', 'resent')])
        const found = await store.otlp.toolSpansOfTraces(O, ['t1'])
        expect(found).toEqual([toolSpan('t1', 's1', 'c1', 'sunny'), toolSpan('t1', 's2', null, 'rain')])
        expect(await store.otlp.toolSpansOfTraces(B, ['t1'])).toEqual([])
      })

      it('keeps each log event once and reads them by trace in time, then receipt, then request order', async () => {
        const event = (span: string, key: string, name: string, time: number, seq: number, body: unknown, received = T0) => ({
          trace_id: 'logs-1',
          span_id: span,
          event_key: key,
          event_name: name,
          time_ms: time,
          seq,
          body,
          attributes: { 'gen_ai.system': 'openai' },
          received_ts: received,
        })
        const system = event('s1', 'k1', 'gen_ai.system.message', T0 + 0.5, 0, { content: 'Be brief.' })
        const user = event('s1', 'k2', 'gen_ai.user.message', T0 + 0.5, 1, { content: 'Hi' })
        const choice = event('s1', 'k3', 'gen_ai.choice', T0 + 900.25, 0, { index: 0, message: { content: 'Hello' } }, T0 + 1000)
        await store.otlp.saveLogEvents(O, [choice])
        await store.otlp.saveLogEvents(O, [system, user, { ...user, body: { content: 'resent' } }])
        expect(await store.otlp.logEventsOfTraces(O, ['logs-1'])).toEqual([system, user, choice])
        expect(await store.otlp.logEventsOfTraces(B, ['logs-1'])).toEqual([])
      })

      it('saves and reads more spans than one statement takes', async () => {
        const many = Array.from({ length: 1203 }, (_, n) => toolSpan(`bulk-${n % 700}`, `s${n}`, `c${n}`, 'ok'))
        await store.otlp.saveToolSpans(O, many)
        await store.otlp.saveRequestedCalls(O, many.map((span) => ({ trace_id: span.trace_id, tool_call_id: span.tool_call_id!, interaction_id: 'i' })))
        const traces = Array.from({ length: 700 }, (_, n) => `bulk-${n}`)
        expect((await store.otlp.toolSpansOfTraces(O, traces)).length).toBe(1203)
        expect((await store.otlp.requestedCallsOfTraces(O, traces)).length).toBe(1203)
      })
    })

    describe('schema and claims', () => {
      it('migrates again without change', async () => {
        await expect(store.migrate()).resolves.toBeUndefined()
        await expect(store.ping()).resolves.toBeUndefined()
      })

      it('grants a claim once', async () => {
        expect(await store.claimOnce('first-start', 'x')).toBe(true)
        expect(await store.claimOnce('first-start', 'y')).toBe(false)
      })
    })
  })
}
