import type { Feedback, InteractionInput } from '@interlog/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { normalizeInteraction } from '../../src/interactions/interaction.normalize.js'
import type { ExportFilter, ExportView, Store } from '../../src/store/store.js'
import type { StoreHarness } from './store.contract.js'

const T0 = Date.parse('2026-02-01T00:00:00.000Z')
let counter = 0
let second = 0
const ids = { next: () => `exp-${String(++counter).padStart(4, '0')}` }

/**
 * Export reads, run unchanged against SQLite and PostgreSQL: keyset pages newest first in both
 * views, the export's own filters on top of the list filters, and the latest correction per interaction.
 */
export function exportContract(name: string, harness: StoreHarness): void {
  describe(`Export store contract: ${name}`, () => {
    let store: Store
    const A = 'tenant-export-a'
    const B = 'tenant-export-b'

    const insert = async (tenantId: string, inputs: InteractionInput[]) => {
      const rows = inputs.map((input) => normalizeInteraction({ timestamp: new Date(T0 + ++second * 1000).toISOString(), ...input }, { tenantId, clock: { now: () => new Date(T0) }, ids }))
      await store.interactions.insertGroups([{ tenantId, rows }])
      return rows.map((row) => row.interaction.id)
    }
    const feedback = (interactionId: string, kind: Feedback['kind'], extra: Partial<Feedback> = {}): Feedback => ({
      id: ids.next(),
      interaction_id: interactionId,
      kind,
      sentiment: null,
      quality_score: null,
      comment: null,
      correction: null,
      categories: [],
      edit_distance: null,
      created_at: new Date(T0 + ++counter * 1000).toISOString(),
      ...extra,
    })
    /** Every page of a filter, walked with the keyset position. */
    const all = async (tenantId: string, filter: ExportFilter, view: ExportView = 'full', limit = 2) => {
      const pages = []
      let after: { ts: number; id: string } | undefined
      for (;;) {
        const page = await store.exports.page(tenantId, filter, view, after, limit)
        if (page.interactions.length === 0) break
        pages.push(page.interactions)
        after = page.last
      }
      return pages.flat()
    }

    let plain: string[]
    let rated: string[]

    beforeAll(async () => {
      store = await harness.open()
      await store.tenants.create({ id: A, name: 'export-alpha', created_at: new Date(T0).toISOString() })
      await store.tenants.create({ id: B, name: 'export-beta', created_at: new Date(T0).toISOString() })
      plain = await insert(A, [
        { type: 'chat', user_id: 'u1', user_message: 'refund my order', assistant_response: 'Done.', metadata: { app: 'x' } },
        { type: 'chat', user_id: 'u2', user_message: 'where is my parcel', error_message: 'timeout' },
        { type: 'summarize', user_id: 'u1', messages: [{ role: 'user', content: 'sum up' }], structured_output: 'a plain string', model_parameters: { tools: [] } },
      ])
      rated = await insert(A, [
        { type: 'chat', user_id: 'u1', user_message: 'q1', assistant_response: 'a1' },
        { type: 'chat', user_id: 'u1', user_message: 'q2', assistant_response: 'a2', structured_output: { answer: 2 } },
        { type: 'chat', user_id: 'u2', user_message: 'q3', assistant_response: 'a3' },
        { type: 'chat', user_id: 'u2', user_message: 'q4', assistant_response: 'a4' },
      ])
      await store.feedback.add(A, feedback(rated[0]!, 'modified', { quality_score: 80, correction: 'first fix' }), {})
      await store.feedback.add(A, feedback(rated[0]!, 'edit', { correction: { answer: 'second fix' } }), {})
      await store.feedback.add(A, feedback(rated[1]!, 'thumbs_up', { quality_score: 90 }), {})
      await store.feedback.add(A, feedback(rated[2]!, 'rejected', { quality_score: 10, correction: 'better' }), {})
      await store.feedback.add(A, feedback(rated[3]!, 'report'), {})
      await insert(B, [{ type: 'chat', user_message: 'other tenant', assistant_response: 'hidden' }])
    })
    afterAll(async () => {
      await store?.close()
      await harness.cleanup()
    })

    it('pages newest first with the keyset position, in one tenant only', async () => {
      const ids = (await all(A, {})).map((interaction) => interaction.id)
      expect(ids).toEqual([...plain, ...rated].reverse())
      expect(await store.exports.count(A, {})).toBe(7)
      expect((await all(B, {})).map((interaction) => interaction.user_message)).toEqual(['other tenant'])
    })

    it('the full view has every field; the conversation view only the conversation fields, status and latest feedback', async () => {
      const full = (await all(A, { type: 'summarize' }))[0]!
      expect(full).toMatchObject({ type: 'summarize', user_id: 'u1', structured_output: 'a plain string', tenant_id: A })
      const [summary] = await all(A, { type: 'summarize' }, 'conversation')
      expect(summary).toEqual({ id: plain[2], tenant_id: A, status: 'success', messages: [{ role: 'user', content: 'sum up' }], structured_output: 'a plain string', model_parameters: { tools: [] } })
      const conversations = await all(A, { type: 'chat' }, 'conversation', 3)
      const first = conversations.find((interaction) => interaction.id === plain[0])!
      expect(first).toEqual({ id: plain[0], tenant_id: A, status: 'success', user_message: 'refund my order', assistant_response: 'Done.' })
      expect(conversations.find((interaction) => interaction.id === rated[1])).toMatchObject({ structured_output: { answer: 2 }, feedback_kind: 'thumbs_up', feedback_quality_score: 90 })
      expect(conversations.find((interaction) => interaction.id === plain[1])).toMatchObject({ status: 'failure', user_message: 'where is my parcel' })
    })

    it('applies the export filters on top of the list filters', async () => {
      const idsOf = async (filter: ExportFilter) => (await all(A, filter)).map((interaction) => interaction.id).sort()
      expect(await idsOf({ success_only: true })).toEqual([plain[0], plain[2], ...rated].sort())
      expect(await idsOf({ with_feedback_only: true })).toEqual([...rated].sort())
      // The latest feedback's score counts; the edit without a score keeps the earlier 80.
      expect(await idsOf({ min_quality: 80 })).toEqual([rated[0], rated[1]].sort())
      expect(await idsOf({ exclude_flagged: true })).toEqual([...plain, rated[0], rated[1]].sort())
      expect(await idsOf({ exclude_flagged: true, with_feedback_only: true, user_id: 'u1' })).toEqual([rated[0], rated[1]].sort())
      expect(await idsOf({ q: 'refund' })).toEqual([plain[0]])
      expect(await store.exports.count(A, { exclude_flagged: true, type: 'chat' })).toBe(4)
    })

    it('puts back fields stored compressed, in both views', async () => {
      const long = 'a long answer. '.repeat(2_000)
      const [id] = await insert(B, [{ type: 'long', user_message: 'tell me everything', assistant_response: long, messages: [{ role: 'user', content: 'x'.repeat(12_000) }] }])
      const [full] = await all(B, { type: 'long' })
      expect(full).toMatchObject({ id, assistant_response: long, user_message: 'tell me everything' })
      const [conversation] = await all(B, { type: 'long' }, 'conversation')
      expect(conversation).toEqual({ id, tenant_id: B, status: 'success', user_message: 'tell me everything', assistant_response: long, messages: [{ role: 'user', content: 'x'.repeat(12_000) }] })
    })

    it('gives each page the latest correction per interaction, text or JSON, within the tenant, in both views', async () => {
      for (const view of ['full', 'conversation'] as const) {
        const corrections = new Map<string, unknown>()
        for (let after: { ts: number; id: string } | undefined, page; (page = await store.exports.page(A, {}, view, after, 2)).interactions.length > 0; after = page.last) {
          for (const [id, correction] of page.corrections) {
            expect(page.interactions.map((interaction) => interaction.id)).toContain(id)
            corrections.set(id, correction)
          }
        }
        expect(Object.fromEntries(corrections)).toEqual({ [rated[0]!]: { answer: 'second fix' }, [rated[2]!]: 'better' })
        expect((await store.exports.page(B, {}, view, undefined, 10)).corrections.size).toBe(0)
      }
    })

    it('says which ids are hot, within the tenant', async () => {
      expect(await store.exports.hotIds(A, [plain[0]!, rated[1]!, 'never-sent'])).toEqual(new Set([plain[0], rated[1]]))
      expect((await store.exports.hotIds(B, plain)).size).toBe(0)
      expect((await store.exports.hotIds(A, [])).size).toBe(0)
    })
  })
}
