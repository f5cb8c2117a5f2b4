import type { Feedback, InteractionInput } from '@interlog/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { normalizeInteraction } from '../../src/interactions/interaction.normalize.js'
import type { InteractionFilter, KeysetAfter, PageRequest, Store } from '../../src/store/store.js'
import { aFeedback } from '../support/fixtures.js'
import type { StoreHarness } from './store.contract.js'

const T0 = Date.parse('2026-03-01T00:00:00.000Z')
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString()
const ids = { next: () => `gen-${Math.random().toString(36).slice(2)}` }

const feedback = (interactionId: string, kind: Feedback['kind'], quality: number | null, minute: number): Feedback =>
  aFeedback(`f-${interactionId}-${minute}`, interactionId, kind, quality, at(minute))

/**
 * What the dashboard needs from every store: the feedback, quality, confidence and handoff filters,
 * the sorts with keyset paging, and sessions that end with their key. Run by both store test files.
 */
export function dashboardContract(name: string, harness: StoreHarness): void {
  describe(`Store contract (dashboard): ${name}`, () => {
    let store: Store
    const T = 'tenant-dash'
    const OTHER = 'tenant-dash-other'

    beforeAll(async () => {
      store = await harness.open()
      await store.tenants.create({ id: T, name: 'dash', created_at: at(0) })
      await store.tenants.create({ id: OTHER, name: 'dash-other', created_at: at(0) })
      const inputs: InteractionInput[] = [
        { id: 'd1', timestamp: at(1), latency_ms: 300, cost_usd: 0.02, confidence: 0.9, handoff: false },
        { id: 'd2', timestamp: at(2), latency_ms: 900, cost_usd: 0.001, confidence: 0.3, handoff: true },
        { id: 'd3', timestamp: at(3), latency_ms: 300, confidence: 0.55 },
        { id: 'd4', timestamp: at(4), cost_usd: 0.02, handoff: false },
        { id: 'd5', timestamp: at(5), latency_ms: 50, cost_usd: 0.5 },
        { id: 'd6', timestamp: at(5), latency_ms: 900, cost_usd: 0 },
      ]
      const rows = inputs.map((input) => normalizeInteraction(input, { tenantId: T, clock: { now: () => new Date(T0) }, ids }))
      await store.interactions.insertGroups([{ tenantId: T, rows }])
      await store.feedback.add(T, feedback('d1', 'thumbs_up', 90, 10), {})
      await store.feedback.add(T, feedback('d2', 'thumbs_down', 20, 11), {})
      await store.feedback.add(T, feedback('d3', 'thumbs_up', null, 12), {})
      await store.feedback.add(T, feedback('d3', 'modified', 60, 13), {})
    })
    afterAll(async () => {
      await store?.close()
      await harness.cleanup()
    })

    const list = async (filter: InteractionFilter, page: Partial<PageRequest> = {}) => {
      const result = await store.interactions.list(T, filter, { limit: 50, offset: 0, ...page })
      return { ids: result.interactions.map((i) => i.id), total: result.total, last: result.last }
    }

    it('filters by the latest feedback kind, or any feedback', async () => {
      expect(await list({ feedback_kind: 'thumbs_up' })).toMatchObject({ ids: ['d1'], total: 1 })
      expect((await list({ feedback_kind: 'modified' })).ids).toEqual(['d3'])
      expect((await list({ feedback_kind: 'any' })).ids).toEqual(['d3', 'd2', 'd1'])
      expect((await list({ feedback_kind: 'report' })).total).toBe(0)
    })

    it('filters by quality score and confidence ranges, inclusive', async () => {
      expect((await list({ min_quality_score: 60 })).ids).toEqual(['d3', 'd1'])
      expect((await list({ max_quality_score: 60 })).ids).toEqual(['d3', 'd2'])
      expect((await list({ min_quality_score: 21, max_quality_score: 89 })).ids).toEqual(['d3'])
      expect((await list({ min_confidence: 0.55 })).ids).toEqual(['d3', 'd1'])
      expect((await list({ max_confidence: 0.55 })).ids).toEqual(['d3', 'd2'])
    })

    it('filters by handoff: true, or explicitly false (not unknown)', async () => {
      expect((await list({ handoff: true })).ids).toEqual(['d2'])
      expect((await list({ handoff: false })).ids).toEqual(['d4', 'd1'])
      expect((await list({ handoff: false, feedback_kind: 'any' })).total).toBe(1)
    })

    it('sorts oldest first, and pages with the keyset', async () => {
      expect((await list({}, { sort: 'oldest' })).ids).toEqual(['d1', 'd2', 'd3', 'd4', 'd5', 'd6'])
      const first = await list({}, { sort: 'oldest', limit: 4 })
      expect((await list({}, { sort: 'oldest', after: first.last })).ids).toEqual(['d5', 'd6'])
    })

    it('sorts slowest and costliest first, missing values last, ties newest first', async () => {
      expect((await list({}, { sort: 'slowest' })).ids).toEqual(['d6', 'd2', 'd3', 'd1', 'd5', 'd4'])
      expect((await list({}, { sort: 'costliest' })).ids).toEqual(['d5', 'd4', 'd1', 'd2', 'd6', 'd3'])
      expect((await list({ feedback_kind: 'any' }, { sort: 'slowest' })).ids).toEqual(['d2', 'd3', 'd1'])
    })

    it('pages every sort through every row exactly once with the keyset', async () => {
      for (const sort of ['newest', 'oldest', 'slowest', 'costliest'] as const) {
        const whole = (await list({}, { sort })).ids
        const seen: string[] = []
        let after: KeysetAfter | undefined
        for (let pages = 0; pages < 10; pages++) {
          const page = await list({}, { sort, limit: 2, after })
          seen.push(...page.ids)
          if (page.ids.length < 2) break
          after = page.last
        }
        expect(seen, sort).toEqual(whole)
      }
      const slow = await list({}, { sort: 'slowest', limit: 2 })
      expect(slow.last).toEqual({ ts: Date.parse(at(2)), id: 'd2', key: 900 })
    })

    it('keeps a session while its key is active and unexpired; delete and expiry end it', async () => {
      const key = { id: 'dash-key', tenant_id: T, name: null, prefix: 'il_x', hash: 'dash-key-hash', scopes: ['read' as const], user_id: 'ann', is_root: false, created_at: at(0), revoked_at: null }
      await store.keys.insert(T, key)
      await store.sessions.create(T, { id: 's-live', tenant_id: T, key_id: key.id, created_at: at(0), expires_ts: T0 + 3_600_000 })
      await store.sessions.create(T, { id: 's-old', tenant_id: T, key_id: key.id, created_at: at(0), expires_ts: T0 - 1 })
      const found = await store.sessions.findActive('s-live', T0)
      expect(found?.session).toMatchObject({ id: 's-live', tenant_id: T, key_id: key.id, expires_ts: T0 + 3_600_000 })
      expect(found?.key).toMatchObject({ id: key.id, scopes: ['read'], user_id: 'ann', is_root: false })
      expect(await store.sessions.findActive('s-live', T0 + 3_600_000)).toBeUndefined()
      expect(await store.sessions.findActive('s-old', T0)).toBeUndefined()
      expect(await store.sessions.deleteExpired(T0)).toBe(1)
      expect(await store.sessions.delete(OTHER, 's-live')).toBe(false)
      expect(await store.sessions.delete(T, 's-live')).toBe(true)
      expect(await store.sessions.findActive('s-live', T0)).toBeUndefined()
    })

    it('ends a session when its key is revoked', async () => {
      const key = { id: 'dash-key-2', tenant_id: T, name: null, prefix: 'il_y', hash: 'dash-key-hash-2', scopes: ['read' as const], user_id: null, is_root: false, created_at: at(0), revoked_at: null }
      await store.keys.insert(T, key)
      await store.sessions.create(T, { id: 's-revoked', tenant_id: T, key_id: key.id, created_at: at(0), expires_ts: T0 + 3_600_000 })
      expect(await store.sessions.findActive('s-revoked', T0)).toBeDefined()
      await store.keys.revoke(T, key.id, at(1))
      expect(await store.sessions.findActive('s-revoked', T0)).toBeUndefined()
    })
  })
}
