import type { InteractionInput } from '@interlog/schema'
import { beforeAll, describe, expect, it } from 'vitest'
import { archiveLine, metricSourceOfRecord, parseLine, restoredFrom } from '../../src/archive/archive-record.js'
import { normalizeInteraction } from '../../src/interactions/interaction.normalize.js'
import type { ArchiveBatchRecord } from '../../src/store/archive-store.js'
import type { InteractionRow, Store } from '../../src/store/store.js'
import { storeOfSuite, type StoreHarness } from './store.contract.js'

const DAY = 86_400_000
const T0 = Date.parse('2026-02-01T00:00:00.000Z')
const at = (hours: number) => new Date(T0 + hours * 3_600_000).toISOString()

function row(tenantId: string, input: InteractionInput): InteractionRow {
  return normalizeInteraction(input, { tenantId, clock: { now: () => new Date(T0) }, ids: { next: () => `gen-${Math.random()}` } })
}

let batchCounter = 0
function batch(tenantId: string, over: Partial<ArchiveBatchRecord> = {}): ArchiveBatchRecord {
  batchCounter += 1
  return {
    tenant_id: tenantId,
    id: `batch-${batchCounter}`,
    run_id: 'run-1',
    target: 'filesystem',
    object_key: `${tenantId}/chat/2026/02/01/part-${batchCounter}.jsonl.gz`,
    manifest_key: `${tenantId}/chat/2026/02/01/part-${batchCounter}.manifest.json`,
    type: 'chat',
    day: '2026-02-01',
    part: batchCounter,
    record_count: 1,
    raw_bytes: 100,
    compressed_bytes: 40,
    sha256: 'abc',
    from_ts: T0,
    to_ts: T0 + 1000,
    storage_class: 'filesystem',
    status: 'writing',
    users_bloom: '',
    created_at: at(batchCounter),
    archived_at: null,
    deleted_at: null,
    ...over,
  }
}

const NO_HOLDS: never[] = []
const ALL = { from: -8.64e15, to: 8.64e15 }

/**
 * What archiving asks of a store, on a real database: reading what is eligible, the one transaction
 * that deletes archived rows (and refuses when a row changed meanwhile), rewrites for restore and
 * erasure, batch metadata, holds and locks. Run by sqlite.store.test.ts and postgres.store.test.ts.
 */
export function archiveContract(name: string, harness: StoreHarness): void {
  describe(`Archive store contract: ${name}`, () => {
    const storeNow = storeOfSuite(harness)
    let store: Store
    let tenantCounter = 0

    /** A fresh tenant with interactions across two days; a1 has two feedback, a3 a validation. */
    async function seeded() {
      const tenantId = `arch-${++tenantCounter}`
      await store.tenants.create({ id: tenantId, name: tenantId, created_at: at(0) })
      const inputs: InteractionInput[] = [
        { id: 'a1', timestamp: at(1), type: 'chat', user_id: 'ann', tags: ['red'], user_message: 'zebra crossing', prompt_tokens: 5, model: 'm1' },
        { id: 'a2', timestamp: at(2), type: 'chat', user_id: 'bob', user_message: 'plain', model: 'm1' },
        { id: 'a3', timestamp: at(2), type: 'outline', user_id: 'ann', error_message: 'boom', model: 'm2' },
        { id: 'a4', timestamp: at(30), user_id: 'cat', user_message: 'next day', model: 'm1' },
        { id: 'a5', timestamp: at(60), type: 'chat', user_id: 'ann', model: 'm1' },
      ]
      await store.interactions.insertGroups([{ tenantId, rows: inputs.map((input) => row(tenantId, input)) }])
      const feedback = (id: string, interactionId: string, created: number, quality?: number) => ({
        id,
        interaction_id: interactionId,
        kind: 'modified' as const,
        sentiment: null,
        quality_score: quality ?? null,
        comment: null,
        correction: { text: 'fixed' },
        categories: ['factual'],
        edit_distance: 2,
        created_at: at(created),
      })
      await store.feedback.add(tenantId, feedback('f1', 'a1', 3, 70), {})
      await store.feedback.add(tenantId, feedback('f2', 'a1', 4), {})
      await store.validations.add(tenantId, validation, {})
      return tenantId
    }

    const validation = {
      id: 'v1',
      interaction_id: 'a3',
      passed: false,
      score: 35,
      errors: [{ path: 'title', message: 'missing' }],
      warnings: ['long'],
      duration_ms: 4,
      original: { title: null },
      edited: { title: 'Boom' },
      diff: { added: [], removed: [], modified: ['title'], truncated: false },
      user_edited: true,
      created_at: at(5),
    }

    /** Turns of the event loop while `work` runs: other requests' chance to be served. */
    const turnsDuring = async <T>(work: () => Promise<T>) => {
      let turns = 0
      let running = true
      const count = () => {
        if (!running) return
        turns += 1
        setImmediate(count)
      }
      setImmediate(count)
      const value = await work()
      running = false
      return { turns, value }
    }

    const hotCount = (tenantId: string) => store.metrics.rowSums(tenantId, {}, ['n'], { from: ALL.from, to: ALL.to }).then((sums) => sums.n)
    const rolledUp = (tenantId: string) => store.metrics.rollupSums(tenantId, 'd', T0 - 10 * DAY, T0 + 10 * DAY, {}, ['n']).then((sums) => sums.n)

    beforeAll(() => {
      store = storeNow()
    })

    it('keeps retention settings per tenant', async () => {
      expect(await store.archive.getRetention('nobody')).toBeUndefined()
      const settings = { archive_after_days: 7, delete_archived_after_days: 90, target: 's3', updated_at: at(1) }
      await store.archive.putRetention('r1', settings)
      await store.archive.putRetention('r1', { ...settings, archive_after_days: 8 })
      expect(await store.archive.getRetention('r1')).toEqual({ ...settings, archive_after_days: 8 })
      expect(await store.archive.getRetention('r2')).toBeUndefined()
    })

    it('reads eligible rows in time order with their stored JSON and feedback, page by page, outside holds', async () => {
      const tenantId = await seeded()
      const first = await store.archive.readRows(tenantId, { from: ALL.from, to: T0 + DAY }, undefined, 2, NO_HOLDS)
      expect(first.map((r) => r.id)).toEqual(['a1', 'a2'])
      const second = await store.archive.readRows(tenantId, { from: ALL.from, to: T0 + DAY }, { ts: first[1]!.ts, id: 'a2' }, 2, NO_HOLDS)
      expect(second.map((r) => r.id)).toEqual(['a3'])
      const a1 = first[0]!
      expect(a1).toMatchObject({ ts: Date.parse(at(1)), type: 'chat', user_id: 'ann', feedback_kind: 'modified', feedback_quality_score: 70 })
      expect(a1.feedback.map((f) => f.id)).toEqual(['f1', 'f2'])
      expect(a1.feedback[0]!.correction).toEqual({ text: 'fixed' })
      expect(parseLine(archiveLine(tenantId, a1)).interaction).toEqual(await store.interactions.get(tenantId, 'a1', {}))
      const a3 = second[0]!
      expect(a3).toMatchObject({ validation_passed: false, validation_score: 35, validation_user_edited: true, validations: [validation], feedback: [] })
      expect(a1).toMatchObject({ validation_passed: null, validations: [] })
      expect(parseLine(archiveLine(tenantId, a3)).interaction).toEqual(await store.interactions.get(tenantId, 'a3', {}))
      const held = await store.archive.readRows(tenantId, ALL, undefined, 10, [{ from: Date.parse(at(2)), to: Date.parse(at(31)) }])
      expect(held.map((r) => r.id)).toEqual(['a1', 'a5'])
      expect(await store.archive.eligible(tenantId, T0 + DAY, NO_HOLDS)).toEqual([
        { type: 'chat', records: 2, bytes: expect.any(Number) },
        { type: 'outline', records: 1, bytes: expect.any(Number) },
      ])
      expect(await store.archive.eligible(tenantId, T0 + 2 * DAY, [{ from: T0 + DAY, to: T0 + 2 * DAY }])).toEqual([
        { type: 'chat', records: 2, bytes: expect.any(Number) },
        { type: 'outline', records: 1, bytes: expect.any(Number) },
      ])
      const [firstHour] = await store.archive.eligible(tenantId, Date.parse(at(2)), NO_HOLDS)
      expect(firstHour?.bytes).toBe((await store.interactions.get(tenantId, 'a1', {}))!.size_bytes)
    })

    it('deletes archived rows with everything attached in one transaction; metrics keep them, lists do not', async () => {
      const tenantId = await seeded()
      const rollupsBefore = await rolledUp(tenantId)
      const b = batch(tenantId)
      await store.archive.insertBatches(tenantId, [b])
      await store.archive.watchChanges(tenantId, true)
      const ok = await store.archive.commitArchive(tenantId, { batchIds: [b.id], ids: ['a1', 'a2', 'a3'], archivedBefore: T0 + DAY, at: at(100) })
      await store.archive.watchChanges(tenantId, false)
      expect(ok).toBe(true)
      expect(await store.interactions.get(tenantId, 'a1', {})).toBeUndefined()
      expect(await hotCount(tenantId)).toBe(2)
      expect((await store.interactions.list(tenantId, { tag: 'red' }, { limit: 10, offset: 0 })).total).toBe(0)
      expect((await store.interactions.list(tenantId, { q: 'zebra' }, { limit: 10, offset: 0 })).total).toBe(0)
      expect(await store.feedback.history(tenantId, 'a1')).toEqual([])
      expect(await store.validations.history(tenantId, 'a3')).toEqual([])
      expect(await rolledUp(tenantId)).toBe(rollupsBefore)
      expect(await store.metrics.archivedBefore(tenantId)).toBe(T0 + DAY)
      const { batches } = await store.archive.batches(tenantId, {})
      expect(batches).toEqual([{ ...b, status: 'archived', archived_at: at(100) }])
      // The ids are free again, as after a delete.
      expect(await store.interactions.insertGroups([{ tenantId, rows: [row(tenantId, { id: 'a1', timestamp: at(1) })] }])).toEqual([['created']])
    })

    it('lets the event loop turn between the statements of large archive and restore transactions', async () => {
      const tenantId = `arch-${++tenantCounter}`
      await store.tenants.create({ id: tenantId, name: tenantId, created_at: at(0) })
      const ids = Array.from({ length: 1_500 }, (_, i) => `bulk-${i}`)
      await store.interactions.insertGroups([{ tenantId, rows: ids.map((id, i) => row(tenantId, { id, timestamp: at(i / 100), user_id: `u${i % 7}`, tags: ['t'] })) }])
      const records = (await store.archive.readRows(tenantId, ALL, undefined, 2_000, NO_HOLDS)).map((r) => parseLine(archiveLine(tenantId, r)))
      const b = batch(tenantId)
      await store.archive.insertBatches(tenantId, [b])
      await store.archive.watchChanges(tenantId, true)
      const archived = await turnsDuring(() => store.archive.commitArchive(tenantId, { batchIds: [b.id], ids, archivedBefore: T0 + DAY, at: at(100) }))
      await store.archive.watchChanges(tenantId, false)
      expect(archived.value).toBe(true)
      expect(await hotCount(tenantId)).toBe(0)
      // Three statements of 500 ids each for the rows, and as many for their tags, at the least.
      expect(archived.turns).toBeGreaterThanOrEqual(4)
      const restored = await turnsDuring(() => store.archive.rewriteBatch(tenantId, { oldBatchId: b.id, erased: [], restore: records.map(restoredFrom), at: at(101) }))
      expect(restored.value).toEqual({ restored: 1_500, alreadyPresent: 0 })
      expect(await hotCount(tenantId)).toBe(1_500)
      expect(restored.turns).toBeGreaterThanOrEqual(4) // eight inserts of 200
    })

    it('counts what is eligible in slices of the time index, ties at a slice edge and holds included', async () => {
      const tenantId = `arch-${++tenantCounter}`
      await store.tenants.create({ id: tenantId, name: tenantId, created_at: at(0) })
      // Seven rows per timestamp, so the rows around the 20,000th (a slice's last) share their ts.
      const types = ['chat', 'outline', undefined]
      const inputs = Array.from({ length: 20_010 }, (_, i): InteractionInput => ({ id: `e-${i}`, timestamp: at(Math.floor(i / 7) / 1000), type: types[i % 3] }))
      await store.interactions.insertGroups([{ tenantId, rows: inputs.map((input) => row(tenantId, input)) }])
      const hold = { from: Date.parse(at(1)), to: Date.parse(at(1.5)) }
      const expected = new Map<string, number>()
      for (const input of inputs) {
        const ts = Date.parse(input.timestamp!)
        if (ts >= hold.from && ts < hold.to) continue
        expected.set(input.type ?? '', (expected.get(input.type ?? '') ?? 0) + 1)
      }
      const counted = await turnsDuring(() => store.archive.eligible(tenantId, T0 + DAY, [hold]))
      expect(counted.value.map(({ type, records }) => [type, records])).toEqual([...expected].sort(([a], [b]) => (a < b ? -1 : 1)))
      expect(counted.value.every((e) => e.bytes > e.records * 50)).toBe(true)
      expect(counted.turns).toBeGreaterThanOrEqual(1)
    })

    it('keeps search right while index upkeep is deferred for a run, and after', async () => {
      const tenantId = await seeded()
      const b = batch(tenantId)
      await store.archive.insertBatches(tenantId, [b])
      await store.archive.watchChanges(tenantId, true)
      await store.archive.deferSearchUpkeep(true)
      expect(await store.archive.commitArchive(tenantId, { batchIds: [b.id], ids: ['a1', 'a2'], archivedBefore: T0 + DAY, at: at(100) })).toBe(true)
      const found = (q: string) => store.interactions.list(tenantId, { q }, { limit: 10, offset: 0 }).then((page) => page.interactions.map((item) => item.id))
      expect(await found('zebra')).toEqual([])
      expect(await found('next')).toEqual(['a4'])
      await store.archive.watchChanges(tenantId, false)
      await store.archive.deferSearchUpkeep(false)
      expect(await found('zebra')).toEqual([])
      expect(await found('next')).toEqual(['a4'])
    })

    it('never moves the archived-before mark back', async () => {
      const tenantId = await seeded()
      const first = batch(tenantId)
      const second = batch(tenantId)
      await store.archive.insertBatches(tenantId, [first, second])
      await store.archive.watchChanges(tenantId, true)
      await store.archive.commitArchive(tenantId, { batchIds: [first.id], ids: ['a4'], archivedBefore: T0 + 2 * DAY, at: at(100) })
      await store.archive.commitArchive(tenantId, { batchIds: [second.id], ids: ['a1'], archivedBefore: T0 + DAY, at: at(100) })
      expect(await store.metrics.archivedBefore(tenantId)).toBe(T0 + 2 * DAY)
      expect(await store.metrics.archivedBefore('never-archived')).toBeUndefined()
    })

    describe('refuses to delete rows that changed after watching started', () => {
      const attempt = async (change: (tenantId: string) => Promise<unknown>, beforeWatching = false) => {
        const tenantId = await seeded()
        const b = batch(tenantId)
        await store.archive.insertBatches(tenantId, [b])
        if (beforeWatching) await change(tenantId)
        await store.archive.watchChanges(tenantId, true)
        if (!beforeWatching) await change(tenantId)
        const ok = await store.archive.commitArchive(tenantId, { batchIds: [b.id], ids: ['a1', 'a2'], archivedBefore: T0 + DAY, at: at(100) })
        await store.archive.watchChanges(tenantId, false)
        const status = (await store.archive.batches(tenantId, {})).batches[0]!.status
        return { ok, status, hot: await hotCount(tenantId), archivedBefore: await store.metrics.archivedBefore(tenantId) }
      }

      it('an update of the interaction', async () => {
        const result = await attempt((tenantId) => store.interactions.update(tenantId, 'a2', (current) => ({ ...current, assistant_response: 'late tool result' })))
        expect(result).toEqual({ ok: false, status: 'writing', hot: 5, archivedBefore: undefined })
      })

      it('new feedback', async () => {
        const feedback = { id: 'late', interaction_id: 'a2', kind: 'thumbs_up' as const, sentiment: null, quality_score: null, comment: null, correction: null, categories: [], edit_distance: null, created_at: at(50) }
        expect(await attempt((tenantId) => store.feedback.add(tenantId, feedback, {}))).toMatchObject({ ok: false, hot: 5 })
      })

      it('a deleted interaction', async () => {
        expect(await attempt((tenantId) => store.interactions.delete(tenantId, 'a1', {}))).toMatchObject({ ok: false, hot: 4 })
      })

      it('but a change made before watching started is in what was read, and does not count', async () => {
        const result = await attempt((tenantId) => store.interactions.update(tenantId, 'a2', (current) => ({ ...current, model: 'm9' })), true)
        expect(result).toMatchObject({ ok: true, status: 'archived', hot: 3 })
      })

      it('and changes made while no archive runs are not logged', async () => {
        const tenantId = await seeded()
        await store.interactions.update(tenantId, 'a2', (current) => ({ ...current, model: 'm9' }))
        const b = batch(tenantId)
        await store.archive.insertBatches(tenantId, [b])
        await store.archive.watchChanges(tenantId, true)
        expect(await store.archive.commitArchive(tenantId, { batchIds: [b.id], ids: ['a2'], archivedBefore: T0 + DAY, at: at(100) })).toBe(true)
      })
    })

    it('restores archived interactions with their feedback, validations, tags and search entries, once', async () => {
      const tenantId = await seeded()
      const rows = await store.archive.readRows(tenantId, { from: ALL.from, to: T0 + DAY }, undefined, 10, NO_HOLDS)
      const before = await Promise.all(rows.map((r) => store.interactions.get(tenantId, r.id, {})))
      const records = rows.map((r) => parseLine(archiveLine(tenantId, r)))
      const old = batch(tenantId)
      await store.archive.insertBatches(tenantId, [old])
      await store.archive.watchChanges(tenantId, true)
      await store.archive.commitArchive(tenantId, { batchIds: [old.id], ids: rows.map((r) => r.id), archivedBefore: T0 + DAY, at: at(100) })
      const rollups = await rolledUp(tenantId)
      // a2 was sent again after archiving: the hot copy stays, the archived one is dropped and uncounted.
      await store.interactions.insertGroups([{ tenantId, rows: [row(tenantId, { id: 'a2', timestamp: at(2), user_message: 'resent' })] }])
      const replacement = batch(tenantId)
      await store.archive.insertBatches(tenantId, [replacement])
      const result = await store.archive.rewriteBatch(tenantId, {
        oldBatchId: old.id,
        replacementBatchId: replacement.id,
        erased: [],
        restore: records.map(restoredFrom),
        hold: { id: 'h1', from: T0, to: T0 + DAY, until: T0 + 40 * DAY },
        at: at(101),
      })
      expect(result).toEqual({ restored: 2, alreadyPresent: 1 })
      expect(await store.interactions.get(tenantId, 'a1', {})).toEqual(before[0])
      expect(await store.interactions.get(tenantId, 'a3', {})).toEqual(before[2])
      expect((await store.interactions.get(tenantId, 'a2', {}))?.user_message).toBe('resent')
      expect((await store.feedback.history(tenantId, 'a1')).map((f) => f.id)).toEqual(['f1', 'f2'])
      expect(await store.validations.history(tenantId, 'a3')).toEqual([validation])
      expect(before[2]).toMatchObject({ validation_passed: false, validation_score: 35, validation_user_edited: true })
      expect((await store.interactions.list(tenantId, { tag: 'red' }, { limit: 10, offset: 0 })).total).toBe(1)
      expect((await store.interactions.list(tenantId, { q: 'zebra' }, { limit: 10, offset: 0 })).total).toBe(1)
      expect((await store.interactions.list(tenantId, { q: 'boom' }, { limit: 10, offset: 0 })).total).toBe(1)
      expect(await rolledUp(tenantId)).toBe(rollups) // a2 was counted twice (hot and archived) and is now once
      expect(Object.fromEntries((await store.archive.batches(tenantId, {})).batches.map((b) => [b.id, b.status]))).toEqual({
        [old.id]: 'superseded',
        [replacement.id]: 'archived',
      })
      expect(await store.archive.activeHolds(tenantId, T0 + 39 * DAY)).toEqual([{ from: T0, to: T0 + DAY }])
      expect(await store.archive.activeHolds(tenantId, T0 + 40 * DAY)).toEqual([])
      await expect(store.archive.rewriteBatch(tenantId, { oldBatchId: old.id, erased: [], at: at(102) })).rejects.toThrow(/status/)
      // The restored validation still belongs to its interaction's user, so erasing the user finds it.
      expect(await store.interactions.eraseUser(tenantId, 'ann')).toMatchObject({ validations: 1 })
    })

    it('takes erased interactions out of the metric rollups', async () => {
      const tenantId = await seeded()
      const rows = await store.archive.readRows(tenantId, ALL, undefined, 10, NO_HOLDS)
      const anns = rows.filter((r) => r.user_id === 'ann').map((r) => parseLine(archiveLine(tenantId, r)))
      const old = batch(tenantId)
      await store.archive.insertBatches(tenantId, [old])
      await store.archive.watchChanges(tenantId, true)
      await store.archive.commitArchive(tenantId, { batchIds: [old.id], ids: rows.map((r) => r.id), archivedBefore: T0 + 3 * DAY, at: at(100) })
      const rollups = await rolledUp(tenantId)
      await store.archive.rewriteBatch(tenantId, { oldBatchId: old.id, erased: anns.map((record) => metricSourceOfRecord(tenantId, record)), at: at(101) })
      expect(await rolledUp(tenantId)).toBe(rollups - 3)
      expect((await store.archive.batches(tenantId, { statuses: ['archived'] })).total).toBe(0)
    })

    it('finds batches by status, type, time and age, pages them, expires them and sums them up', async () => {
      const tenantId = `arch-batches-${++tenantCounter}`
      const early = batch(tenantId, { status: 'archived', from_ts: T0, to_ts: T0 + 1000, record_count: 10, raw_bytes: 1000, compressed_bytes: 100 })
      const late = batch(tenantId, { status: 'archived', from_ts: T0 + 5 * DAY, to_ts: T0 + 5 * DAY + 10, type: '', record_count: 5, raw_bytes: 500, compressed_bytes: 50 })
      const pending = batch(tenantId, { status: 'writing', from_ts: T0 + DAY, to_ts: T0 + DAY })
      await store.archive.insertBatches(tenantId, [early, late, pending])
      const ids = async (query: Parameters<Store['archive']['batches']>[1]) => (await store.archive.batches(tenantId, query)).batches.map((b) => b.id)
      expect(await ids({})).toEqual([pending.id, late.id, early.id])
      expect(await ids({ order: 'time' })).toEqual([early.id, pending.id, late.id])
      expect(await ids({ statuses: ['archived'], order: 'time' })).toEqual([early.id, late.id])
      expect(await ids({ type: '' })).toEqual([late.id])
      expect(await ids({ overlapping: { from: T0 + 1000, to: T0 + DAY } })).toEqual([early.id])
      expect(await ids({ overlapping: { from: T0 + 1001 } })).toEqual([pending.id, late.id])
      expect(await ids({ endsBefore: T0 + 2 * DAY })).toEqual([pending.id, early.id])
      expect(await store.archive.batches(tenantId, { limit: 1, offset: 1 })).toMatchObject({ batches: [{ id: late.id }], total: 3 })
      const days = [
        { type: 'chat', day: '2030-01-01' },
        { type: 'chat', day: '2026-02-01' },
        { type: '', day: '2026-02-01' },
        { type: 'chat', day: '2026-02-01' },
      ]
      expect(await store.archive.lastParts(tenantId, days)).toEqual([0, Math.max(early.part, pending.part), late.part, Math.max(early.part, pending.part)])
      expect(await store.archive.stats(tenantId)).toEqual([
        { tenant_id: tenantId, type: '', batches: 1, records: 5, raw_bytes: 500, compressed_bytes: 50 },
        { tenant_id: tenantId, type: 'chat', batches: 1, records: 10, raw_bytes: 1000, compressed_bytes: 100 },
      ])
      expect((await store.archive.stats(undefined)).filter((s) => s.tenant_id === tenantId)).toHaveLength(2)

      const expired = await store.archive.expire(tenantId, T0 + 2 * DAY)
      expect(expired.map((b) => [b.id, b.status])).toEqual([[early.id, 'expired']])
      expect(await ids({ statuses: ['expired'], undeleted: true })).toEqual([early.id])
      await store.archive.markDeleted(tenantId, [early.id], at(200))
      expect(await ids({ statuses: ['expired'], undeleted: true })).toEqual([])
      await store.archive.deleteBatches(tenantId, [pending.id])
      expect(await ids({})).toEqual([late.id, early.id])
      expect(await store.archive.batches('someone-else', {})).toEqual({ batches: [], total: 0 })
    })

    it('lets one holder at a time have a tenant lock, across store instances', async () => {
      const other = await harness.open()
      try {
        const inner: unknown[] = []
        const outer = await store.archive.withTenantLock('locked-tenant', async () => {
          inner.push(await other.archive.withTenantLock('locked-tenant', async () => 'should not run'))
          inner.push(await store.archive.withTenantLock('locked-tenant', async () => 'nor this'))
          inner.push(await other.archive.withTenantLock('another-tenant', async () => 'free'))
          inner.push(await other.archive.withLock('archive:schedule', async () => 'free too'))
          return 'held'
        })
        expect(outer).toEqual({ value: 'held' })
        expect(inner).toEqual([undefined, undefined, { value: 'free' }, { value: 'free too' }])
        expect(await other.archive.withTenantLock('locked-tenant', async () => 'after')).toEqual({ value: 'after' })
        await expect(store.archive.withTenantLock('locked-tenant', async () => Promise.reject(new Error('work failed')))).rejects.toThrow('work failed')
        expect(await other.archive.withTenantLock('locked-tenant', async () => 'released on failure')).toEqual({ value: 'released on failure' })
      } finally {
        await other.close()
      }
    })
  })
}
