import type { Example, Validation } from '@interlog/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Store } from '../../src/store/store.js'
import { at, row, type StoreHarness } from './store.contract.js'

const validation = (id: string, interactionId: string, overrides: Partial<Validation> = {}): Validation => ({
  id,
  interaction_id: interactionId,
  passed: true,
  score: 90,
  errors: [],
  warnings: ['a warning', { path: 'items[0]', message: 'short' }],
  duration_ms: 12.5,
  original: 'a bare JSON string',
  edited: { items: [{ title: 'x' }] },
  diff: { added: [], removed: [], modified: ['$'], truncated: false },
  user_edited: true,
  created_at: at(10),
  ...overrides,
})

const example = (id: string, overrides: Partial<Example> = {}): Example => ({
  id,
  interaction_id: null,
  user_id: null,
  input: { user_message: 'hi' },
  output: 'a bare JSON string',
  quality_score: 80,
  type: 'chat',
  category: 'web',
  tags: [],
  metadata: null,
  usage_count: 0,
  last_used_at: null,
  created_at: at(20),
  ...overrides,
})

/** Validations, curated examples, training runs and readiness: run by both store test files, unchanged. */
export function trainingContract(name: string, harness: StoreHarness): void {
  describe(`Training data contract: ${name}`, () => {
    let store: Store
    const T = 'training-tenant'
    const OTHER = 'training-other'

    beforeAll(async () => {
      store = await harness.open()
      await store.tenants.create({ id: T, name: 'trainer', created_at: at(0) })
      await store.tenants.create({ id: OTHER, name: 'other trainer', created_at: at(0) })
      await store.interactions.insertGroups([
        {
          tenantId: T,
          rows: [
            row(T, { id: 'i-ann', user_id: 'ann', type: 'chat', category: 'web', assistant_response: 'hello' }),
            row(T, { id: 'i-bob', user_id: 'bob', type: 'chat', category: 'mobile' }),
            row(T, { id: 'i-gone', user_id: 'ann', type: 'outline' }),
          ],
        },
      ])
    })
    afterAll(async () => {
      await store?.close()
      await harness.cleanup()
    })

    describe('validations', () => {
      it('keeps the history oldest first and shows the latest on the interaction', async () => {
        expect(await store.validations.add(T, validation('v1', 'i-ann'), {})).toEqual(validation('v1', 'i-ann'))
        const second = validation('v2', 'i-ann', { passed: false, score: null, edited: null, diff: null, user_edited: false, original: null, created_at: at(11) })
        await store.validations.add(T, second, {})
        expect(await store.validations.history(T, 'i-ann')).toEqual([validation('v1', 'i-ann'), second])
        const shown = await store.interactions.get(T, 'i-ann', {})
        expect(shown).toMatchObject({ validation_passed: false, validation_user_edited: false })
        expect(shown!.validation_score).toBeUndefined()
        await store.validations.add(T, validation('v3', 'i-ann', { created_at: at(12) }), {})
        expect(await store.interactions.get(T, 'i-ann', {})).toMatchObject({ validation_passed: true, validation_score: 90, validation_user_edited: true })
      })

      it('refuses an interaction that is unknown, of another tenant or of another user', async () => {
        expect(await store.validations.add(T, validation('v-x', 'no-such'), {})).toBeUndefined()
        expect(await store.validations.add(OTHER, validation('v-x', 'i-ann'), {})).toBeUndefined()
        expect(await store.validations.add(T, validation('v-x', 'i-ann'), { userId: 'bob' })).toBeUndefined()
        expect(await store.validations.history(OTHER, 'i-ann')).toEqual([])
        expect(await store.validations.add(T, validation('v-bob', 'i-bob'), { userId: 'bob' })).toBeDefined()
      })

      it('survives an update of the interaction, which leaves the latest validation as it was', async () => {
        await store.interactions.update(T, 'i-ann', (current) => ({ ...current, model: 'changed', validation_passed: false }))
        expect(await store.interactions.get(T, 'i-ann', {})).toMatchObject({ model: 'changed', validation_passed: true, validation_score: 90 })
      })
    })

    describe('examples', () => {
      beforeAll(async () => {
        expect(await store.examples.insert(T, example('e-raw', { tags: ['gold', 'gold', 'faq'], metadata: { source: 'manual' } }), {})).toBe(true)
        expect(await store.examples.insert(T, example('e-ann', { interaction_id: 'i-ann', user_id: 'ann', quality_score: 95, created_at: at(21) }), {})).toBe(true)
        expect(await store.examples.insert(T, example('e-low', { quality_score: 40, category: 'mobile', type: 'outline', tags: ['faq'], created_at: at(22) }), {})).toBe(true)
        expect(await store.examples.insert(T, example('e-none', { quality_score: null, category: null, created_at: at(23) }), {})).toBe(true)
      })

      it('stores one from an interaction only while it exists and is visible', async () => {
        expect(await store.examples.insert(T, example('e-missing', { interaction_id: 'no-such' }), {})).toBe(false)
        expect(await store.examples.insert(T, example('e-hidden', { interaction_id: 'i-ann' }), { userId: 'bob' })).toBe(false)
        expect(await store.examples.insert(OTHER, example('e-other', { interaction_id: 'i-ann' }), {})).toBe(false)
        expect(await store.examples.get(T, 'e-missing', {})).toBeUndefined()
      })

      it('round-trips every field, and reads only within the tenant and the visible user', async () => {
        expect(await store.examples.get(T, 'e-raw', {})).toEqual(example('e-raw', { tags: ['gold', 'gold', 'faq'], metadata: { source: 'manual' } }))
        expect(await store.examples.get(OTHER, 'e-raw', {})).toBeUndefined()
        expect(await store.examples.get(T, 'e-ann', { userId: 'ann' })).toBeDefined()
        expect(await store.examples.get(T, 'e-ann', { userId: 'bob' })).toBeUndefined()
      })

      it('lists newest first with every filter and the total of the whole filter', async () => {
        const ids = async (filter: Parameters<Store['examples']['list']>[1], limit = 50, offset = 0) => {
          const page = await store.examples.list(T, filter, { limit, offset })
          return { ids: page.examples.map((e) => e.id), total: page.total }
        }
        expect(await ids({})).toEqual({ ids: ['e-none', 'e-low', 'e-ann', 'e-raw'], total: 4 })
        expect(await ids({}, 2, 1)).toEqual({ ids: ['e-low', 'e-ann'], total: 4 })
        expect((await ids({ type: 'outline' })).ids).toEqual(['e-low'])
        expect((await ids({ category: 'web' })).ids).toEqual(['e-ann', 'e-raw'])
        expect((await ids({ tag: 'faq' })).ids).toEqual(['e-low', 'e-raw'])
        expect((await ids({ tag: 'gold', category: 'web' })).ids).toEqual(['e-raw'])
        expect((await ids({ min_quality: 80 })).ids).toEqual(['e-ann', 'e-raw'])
        expect((await ids({ interaction_id: 'i-ann' })).ids).toEqual(['e-ann'])
        expect((await ids({ user_id: 'ann' })).ids).toEqual(['e-ann'])
        expect(await store.examples.count(T, { min_quality: 70, category: 'web', type: 'chat' })).toBe(2)
        expect((await store.examples.list(OTHER, {}, { limit: 50, offset: 0 })).total).toBe(0)
      })

      it('counts each use once per call, for the ids of its own tenant only, however many', async () => {
        expect(await store.examples.incrementUsage(T, ['e-raw', 'e-raw', 'e-ann', 'no-such'], at(30))).toBe(2)
        expect(await store.examples.incrementUsage(T, ['e-raw'], at(31))).toBe(1)
        expect(await store.examples.incrementUsage(OTHER, ['e-raw'], at(32))).toBe(0)
        expect(await store.examples.incrementUsage(T, [], at(32))).toBe(0)
        expect(await store.examples.get(T, 'e-raw', {})).toMatchObject({ usage_count: 2, last_used_at: at(31) })
        expect(await store.examples.get(T, 'e-ann', {})).toMatchObject({ usage_count: 1, last_used_at: at(30) })
        // More ids than one statement takes.
        const many = [...Array.from({ length: 1200 }, (_, i) => `absent-${i}`), 'e-low']
        expect(await store.examples.incrementUsage(T, many, at(33))).toBe(1)
        expect((await store.examples.get(T, 'e-low', {}))?.usage_count).toBe(1)
      })

      it('deletes one with its tags, only within the tenant and the visible user', async () => {
        await store.examples.insert(T, example('e-del', { user_id: 'ann', tags: ['temp'] }), {})
        expect(await store.examples.delete(OTHER, 'e-del', {})).toBe(false)
        expect(await store.examples.delete(T, 'e-del', { userId: 'bob' })).toBe(false)
        expect(await store.examples.delete(T, 'e-del', { userId: 'ann' })).toBe(true)
        expect(await store.examples.delete(T, 'e-del', {})).toBe(false)
        expect((await store.examples.list(T, { tag: 'temp' }, { limit: 10, offset: 0 })).total).toBe(0)
      })
    })

    describe('deleting an interaction', () => {
      it('deletes its validations and detaches the examples copied from it', async () => {
        await store.validations.add(T, validation('v-gone', 'i-gone'), {})
        await store.examples.insert(T, example('e-gone', { interaction_id: 'i-gone', user_id: 'ann' }), {})
        expect(await store.interactions.delete(T, 'i-gone', {})).toBe(true)
        expect(await store.validations.history(T, 'i-gone')).toEqual([])
        expect(await store.examples.get(T, 'e-gone', {})).toMatchObject({ interaction_id: null, user_id: 'ann' })
      })
    })

    describe('erasure of a user', () => {
      it("removes the user's validations and examples, also of interactions already deleted, and nobody else's", async () => {
        const E = 'training-erase'
        await store.tenants.create({ id: E, name: 'eraser', created_at: at(0) })
        await store.interactions.insertGroups([{ tenantId: E, rows: [row(E, { id: 'x-ann', user_id: 'ann' }), row(E, { id: 'x-cat', user_id: 'cat' })] }])
        await store.validations.add(E, validation('xv-ann', 'x-ann'), {})
        await store.validations.add(E, validation('xv-cat', 'x-cat'), {})
        await store.examples.insert(E, example('xe-ann', { interaction_id: 'x-ann', user_id: 'ann', tags: ['t'] }), {})
        await store.examples.insert(E, example('xe-ann-raw', { user_id: 'ann' }), {})
        await store.examples.insert(E, example('xe-cat', { interaction_id: 'x-cat', user_id: 'cat', tags: ['t'] }), {})
        await store.interactions.delete(E, 'x-ann', {})
        expect(await store.validations.deleteForUser(E, 'cat')).toBe(1)
        expect(await store.examples.deleteForUser(E, 'ann')).toBe(2)
        expect(await store.examples.deleteForUser(T, 'cat')).toBe(0)
        expect(await store.validations.history(E, 'x-cat')).toEqual([])
        expect((await store.examples.list(E, {}, { limit: 10, offset: 0 })).examples.map((e) => e.id)).toEqual(['xe-cat'])
        expect((await store.examples.list(E, { tag: 't' }, { limit: 10, offset: 0 })).total).toBe(1)
        // Another tenant's rows of a user with the same id stay.
        expect((await store.examples.list(T, { user_id: 'ann' }, { limit: 10, offset: 0 })).total).toBeGreaterThan(0)
      })

      it("goes with the user's erasure: validations and examples, and detaches others' examples of deleted interactions", async () => {
        const E = 'training-erase-user'
        await store.tenants.create({ id: E, name: 'user eraser', created_at: at(0) })
        await store.interactions.insertGroups([{ tenantId: E, rows: [row(E, { id: 'u-ann', user_id: 'ann' }), row(E, { id: 'u-dan', user_id: 'dan' })] }])
        await store.validations.add(E, validation('uv-ann', 'u-ann'), {})
        await store.validations.add(E, validation('uv-dan', 'u-dan'), {})
        await store.examples.insert(E, example('ue-ann', { interaction_id: 'u-ann', user_id: 'ann', tags: ['t'] }), {})
        await store.examples.insert(E, example('ue-ann-raw', { user_id: 'ann' }), {})
        await store.examples.insert(E, example('ue-dan', { interaction_id: 'u-dan', user_id: 'dan' }), {})
        const counts = await store.interactions.eraseUser(E, 'ann')
        expect(counts).toMatchObject({ interactions: 1, validations: 1, examples: 2 })
        expect(await store.validations.history(E, 'u-dan')).toHaveLength(1)
        expect((await store.examples.list(E, {}, { limit: 10, offset: 0 })).examples.map((e) => e.id)).toEqual(['ue-dan'])
        expect((await store.examples.list(E, { tag: 't' }, { limit: 10, offset: 0 })).total).toBe(0)
      })
    })

    describe('training runs', () => {
      it('lists runs by date, newest first, filtered and paged, within the tenant', async () => {
        const run = (id: string, date: string, model_version = 'ft-v1') => ({
          id,
          model_version,
          base_model: null,
          date,
          dataset_size: 120,
          accuracy: 0.91,
          validation_rate: null,
          cost_usd: 3.5,
          notes: null,
          metadata: { epochs: 3 },
          created_at: at(40),
        })
        await store.trainingRuns.insert(T, run('r1', '2026-01-05T00:00:00.000Z'))
        await store.trainingRuns.insert(T, run('r2', '2026-02-01T00:00:00.000Z', 'ft-v2'))
        await store.trainingRuns.insert(T, run('r3', '2026-01-20T00:00:00.000Z'))
        const all = await store.trainingRuns.list(T, {}, { limit: 2, offset: 0 })
        expect(all.total).toBe(3)
        expect(all.runs).toEqual([run('r2', '2026-02-01T00:00:00.000Z', 'ft-v2'), run('r3', '2026-01-20T00:00:00.000Z')])
        expect((await store.trainingRuns.list(T, { model_version: 'ft-v1' }, { limit: 10, offset: 1 })).runs.map((r) => r.id)).toEqual(['r1'])
        expect((await store.trainingRuns.list(OTHER, {}, { limit: 10, offset: 0 })).total).toBe(0)
      })
    })

    describe('readiness', () => {
      it('keeps thresholds per tenant, replacing them on each put', async () => {
        expect(await store.readinessSettings.get(T)).toBeUndefined()
        await store.readinessSettings.put(T, { thresholds: { min_interactions: 5, ready_score: 60 }, updated_at: at(50) })
        await store.readinessSettings.put(T, { thresholds: { min_successful: 2 }, updated_at: at(51) })
        expect(await store.readinessSettings.get(T)).toEqual({ thresholds: { min_successful: 2 }, updated_at: at(51) })
        expect(await store.readinessSettings.get(OTHER)).toBeUndefined()
      })

      it('counts interactions, successes and feedback by category and type from the rows', async () => {
        const R = 'training-readiness'
        await store.tenants.create({ id: R, name: 'readiness', created_at: at(0) })
        await store.interactions.insertGroups([
          {
            tenantId: R,
            rows: [
              row(R, { id: 'r-1', category: 'web', type: 'chat' }),
              row(R, { id: 'r-2', category: 'web', type: 'chat', error_message: 'boom' }),
              row(R, { id: 'r-3', category: 'web', type: 'outline' }),
              row(R, { id: 'r-4', category: 'api', type: 'chat' }),
              row(R, { id: 'r-5', type: 'chat' }),
            ],
          },
        ])
        await store.feedback.add(R, { id: 'rf', interaction_id: 'r-1', kind: 'accepted', sentiment: null, quality_score: null, comment: null, correction: null, categories: [], edit_distance: null, created_at: at(1) }, {})
        const counters = ['n', 'success_n', 'feedback_n'] as const
        expect(await store.metrics.rowSums(R, { category: 'web' }, counters)).toEqual({ n: 3, success_n: 2, feedback_n: 1 })
        expect(await store.metrics.rowSums(R, { category: 'web', type: 'chat' }, counters)).toEqual({ n: 2, success_n: 1, feedback_n: 1 })
        expect(await store.metrics.rowSums(R, { category: 'none' }, counters)).toEqual({ n: 0, success_n: 0, feedback_n: 0 })
        expect(await store.metrics.rowSums(OTHER, { category: 'web' }, counters)).toEqual({ n: 0, success_n: 0, feedback_n: 0 })
      })
    })
  })
}
