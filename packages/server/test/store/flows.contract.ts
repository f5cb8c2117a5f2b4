import type { FlowSession } from '@interlog/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Store } from '../../src/store/store.js'
import type { StoreHarness } from './store.contract.js'

const definition = { fields: { name: 'name' }, start: 'a', nodes: { a: { kind: 'reply' as const, template: 'hi', edges: [] } } }

function session(flowId: string, sessionId: string, version: number, overrides: Partial<FlowSession> = {}): FlowSession {
  return {
    flow_id: flowId,
    session_id: sessionId,
    user_id: null,
    status: 'active',
    node: 'a',
    waiting: false,
    fields: { name: null },
    context: {},
    messages: [{ role: 'user', content: `message ${version}`, at: '2026-01-01T00:00:00.000Z' }],
    extracted_through: 0,
    turns: version,
    version,
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: `2026-01-01T00:00:0${version}.000Z`,
    ...overrides,
  }
}

/** Flow definitions and sessions: the same contract on SQLite and PostgreSQL. */
export function flowsContract(name: string, harness: StoreHarness): void {
  describe(`Flow store contract: ${name}`, () => {
    let store: Store
    beforeAll(async () => {
      store = await harness.open()
    })
    afterAll(async () => {
      await store?.close()
      await harness.cleanup()
    })

    it('creates, replaces (keeping created_at), lists and deletes definitions per tenant', async () => {
      const record = { id: 'support', definition, created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' }
      expect(await store.flows.putDefinition('A', record)).toBe('created')
      const changed = { ...definition, name: 'Support' }
      expect(await store.flows.putDefinition('A', { ...record, definition: changed, created_at: '2026-02-02T00:00:00.000Z', updated_at: '2026-02-02T00:00:00.000Z' })).toBe('updated')
      expect(await store.flows.getDefinition('A', 'support')).toEqual({ id: 'support', definition: changed, created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-02-02T00:00:00.000Z' })
      expect(await store.flows.getDefinition('B', 'support')).toBeUndefined()
      await store.flows.putDefinition('A', { ...record, id: 'billing' })
      expect((await store.flows.listDefinitions('A')).map((r) => r.id)).toEqual(['billing', 'support'])
      expect(await store.flows.listDefinitions('B')).toEqual([])
      expect(await store.flows.deleteDefinition('B', 'support')).toBe(false)
      expect(await store.flows.deleteDefinition('A', 'billing')).toBe(true)
      expect(await store.flows.getDefinition('A', 'billing')).toBeUndefined()
    })

    it('saves a session only over the version before it, so concurrent turns never overwrite each other', async () => {
      expect(await store.flows.saveSession('A', session('support', 's1', 1))).toBe(true)
      expect(await store.flows.saveSession('A', session('support', 's1', 1))).toBe(false)
      expect(await store.flows.saveSession('A', session('support', 's1', 3))).toBe(false)
      expect(await store.flows.saveSession('A', session('support', 's1', 2, { node: 'b', context: { name: 'Ana' } }))).toBe(true)
      expect(await store.flows.saveSession('A', session('support', 's1', 2))).toBe(false)
      expect(await store.flows.getSession('A', 'support', 's1', {})).toEqual(session('support', 's1', 2, { node: 'b', context: { name: 'Ana' } }))
      expect(await store.flows.getSession('B', 'support', 's1', {})).toBeUndefined()
      // The same session id in another tenant is another session.
      expect(await store.flows.saveSession('B', session('support', 's1', 1))).toBe(true)
      expect((await store.flows.getSession('B', 'support', 's1', {}))?.version).toBe(1)
    })

    it('lists sessions newest first, narrowed to one end user, and deletes them with their flow', async () => {
      await store.flows.putDefinition('C', { id: 'f', definition, created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' })
      await store.flows.saveSession('C', session('f', 'old', 1, { user_id: 'u1', updated_at: '2026-01-01T00:00:01.000Z' }))
      await store.flows.saveSession('C', session('f', 'new', 1, { user_id: 'u2', updated_at: '2026-01-01T00:00:09.000Z' }))
      await store.flows.saveSession('C', session('other-flow', 'x', 1))
      const all = await store.flows.listSessions('C', 'f', {}, { limit: 10, offset: 0 })
      expect(all.total).toBe(2)
      expect(all.sessions.map((s) => s.session_id)).toEqual(['new', 'old'])
      expect((await store.flows.listSessions('C', 'f', {}, { limit: 1, offset: 1 })).sessions.map((s) => s.session_id)).toEqual(['old'])
      const mine = await store.flows.listSessions('C', 'f', { userId: 'u1' }, { limit: 10, offset: 0 })
      expect(mine).toMatchObject({ total: 1, sessions: [{ session_id: 'old' }] })
      expect(await store.flows.getSession('C', 'f', 'new', { userId: 'u1' })).toBeUndefined()
      await store.flows.deleteDefinition('C', 'f')
      expect((await store.flows.listSessions('C', 'f', {}, { limit: 10, offset: 0 })).total).toBe(0)
      expect(await store.flows.getSession('C', 'other-flow', 'x', {})).toBeDefined()
    })
  })
}
