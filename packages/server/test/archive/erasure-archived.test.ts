import { AuditLogQuery, ExportQuery } from '@interlog/schema'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { localRootContext } from '../../src/auth/auth-context.js'
import { ARCHIVE_COMBINATIONS, archiveWorld, OLD_DAYS, type ArchiveWorld } from '../support/archive-world.js'
import { startS3Server, type S3Server } from '../support/s3-server.js'

let s3: S3Server
beforeAll(async () => {
  s3 = await startS3Server()
})
afterAll(async () => {
  await s3?.stop()
})

/** The fixture's objects each hold one user; dan's chats share theirs, so erasing a user rewrites objects rather than only removing them. */
const DAN = OLD_DAYS.map((day) => ({ id: `${day}-dan`, timestamp: `${day}T20:00:00.000Z`, user_id: 'dan', type: 'chat', user_message: 'dan asks' }))
const OLD = OLD_DAYS.length * 4 + DAN.length

/**
 * DELETE /v1/users/:user_id/data's service on real stores and archive targets: the user leaves the
 * hot store and every archive object that held them (read back here), the answer and the audit log
 * count both, and a busy lock or a failing target never leaves the erasure half done without saying so.
 */
describe.each(ARCHIVE_COMBINATIONS)('erasure of archived interactions on %s, %s target', (kind, target) => {
  let world: ArchiveWorld
  let counter = 0
  beforeEach(async () => {
    world = await archiveWorld(kind, target, s3, `era_${kind}_${target}_${++counter}`)
    await world.services.interactions.ingestMany(localRootContext(world.tenantId), [...DAN, { id: 'bob-hot', timestamp: '2026-03-14T05:00:00.000Z', user_id: 'bob' }])
    await world.services.archive.run({ actor: localRootContext(world.tenantId), tenantIds: [world.tenantId], dryRun: false })
  })
  afterEach(async () => {
    await world?.close()
  })

  const auth = () => localRootContext(world.tenantId)
  const bobArchived = () => [...world.original.values()].filter((i) => i.user_id === 'bob' && !i.id.startsWith('recent'))
  /** Every archived record, read back from the objects the batch metadata names. */
  const archivedRecords = async () => {
    const { batches } = await world.services.archive.deps.store.batches(world.tenantId, { statuses: ['archived'], order: 'time' })
    return (await Promise.all(batches.map((batch) => world.records(batch.object_key)))).flat()
  }
  const erasures = async () => (await world.services.audit.list(auth(), AuditLogQuery.parse({ action: 'user_data.erase' }))).entries
  const erase = () => world.services.erasure.eraseUser(auth(), 'bob')

  it("removes the user's archived rows from the objects, counts them in the answer, the audit log, rollups and storage stats, and leaves other users' rows as they were", async () => {
    const bob = bobArchived()
    expect(bob.length).toBeGreaterThan(0)
    const metrics = async () => (await world.services.metrics.report(auth(), { from: '2026-01-20T00:00:00.000Z', to: '2026-03-15T00:00:00.000Z' })).totals.count
    const countBefore = await metrics()
    const batchIds = async () => (await world.services.archive.deps.store.batches(world.tenantId, { statuses: ['archived'] })).batches.map((b) => b.id)
    const idsBefore = await batchIds()

    const erased = await erase()
    expect(erased).toMatchObject({ user_id: 'bob', deleted: { interactions: 1, archived_interactions: bob.length, feedback: 0 } })
    expect(Object.keys(erased.deleted).slice(0, 2)).toEqual(['interactions', 'archived_interactions'])

    const left = await archivedRecords()
    expect(left.some((record) => record.interaction.user_id === 'bob')).toBe(false)
    expect(left.length).toBe(OLD - bob.length)
    expect((await batchIds()).some((id) => !idsBefore.includes(id))).toBe(true) // objects written anew without bob
    for (const record of left) if (record.interaction.user_id !== 'dan') expect(record.interaction).toEqual(world.original.get(record.interaction.id))
    expect(left.filter((record) => record.interaction.user_id === 'dan').length).toBe(DAN.length)
    expect(await world.services.interactions.list(auth(), { limit: 10, offset: 0, sort: 'newest', user_id: 'bob' })).toMatchObject({ total_count: 0 })

    expect(await metrics()).toBe(countBefore - bob.length - 1)
    const stats = await world.services.archive.archivedStats(world.tenantId)
    expect(stats.reduce((sum, s) => sum + s.records, 0)).toBe(OLD - bob.length)
    const { batches } = await world.services.archive.deps.store.batches(world.tenantId, { statuses: ['archived'] })
    expect(stats.reduce((sum, s) => sum + s.compressed_bytes, 0)).toBe(batches.reduce((sum, b) => sum + b.compressed_bytes, 0))

    const [entry] = await erasures()
    expect(entry).toMatchObject({ target_type: 'user', target_id: 'bob', details: { outcome: 'completed', deleted: { interactions: 1, archived_interactions: bob.length } } })
    const exported = await world.services.exports.summarize(auth(), ExportQuery.parse({ format: 'jsonl', include_archived: 'true', user_id: 'bob' }))
    expect(exported.records_read).toBe(0)
    expect(await erase()).toMatchObject({ deleted: { interactions: 0, archived_interactions: 0 } })
  })

  it('answers 409 and erases nothing while an archive run holds the lock past the wait', async () => {
    const held = await world.services.archive.deps.store.withTenantLock(world.tenantId, () => erase().catch((error: unknown) => error))
    expect(held?.value).toMatchObject({ status: 409, code: 'conflict' })
    expect((await world.services.interactions.get(auth(), 'bob-hot')).user_id).toBe('bob')
    expect((await archivedRecords()).filter((record) => record.interaction.user_id === 'bob').length).toBe(bobArchived().length)
    expect(await erasures()).toEqual([])
  })

  it('says so when the archive fails after the hot store was erased, records it, and finishes when asked again', async () => {
    // The first object that keeps other users' rows cannot be written anew (objects of bob's alone are only removed).
    const putAll = world.sink.putAll.bind(world.sink)
    world.sink.putAll = async () => {
      throw new Error('target went away')
    }
    await expect(erase()).rejects.toMatchObject({ status: 503, message: expect.stringMatching(/erased from the hot store.*target went away.*again/) })
    expect(await erasures()).toMatchObject([{ details: { outcome: 'incomplete', deleted: { interactions: 1 }, error: 'target went away' } }])
    const partly = (await archivedRecords()).filter((record) => record.interaction.user_id === 'bob').length
    expect(partly).toBeGreaterThan(0)
    expect(partly).toBeLessThanOrEqual(bobArchived().length)

    world.sink.putAll = putAll
    expect(await erase()).toMatchObject({ deleted: { interactions: 0, archived_interactions: partly } })
    const left = await archivedRecords()
    expect(left.some((record) => record.interaction.user_id === 'bob')).toBe(false)
    expect(left.length).toBe(OLD - bobArchived().length)
    expect((await world.sink.list(world.sink.keyPrefix)).length).toBe(2 * (await world.services.archive.deps.store.batches(world.tenantId, { statuses: ['archived'] })).total)
  })
})
