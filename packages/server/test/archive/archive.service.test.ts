import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { localRootContext } from '../../src/auth/auth-context.js'
import { ARCHIVE_COMBINATIONS, archiveWorld, OLD_DAYS, type ArchiveWorld } from '../support/archive-world.js'
import { startS3Server, type S3Server } from '../support/s3-server.js'

const OLD = OLD_DAYS.length * 4
let s3: S3Server

beforeAll(async () => {
  s3 = await startS3Server()
})
afterAll(async () => {
  await s3?.stop()
})

/**
 * The archive service on real stores (SQLite, PostgreSQL) and real targets (the filesystem, and an
 * S3-compatible server over HTTP): what lands where, what stays hot, and that every later change
 * (restore, erasure, expiry, a run that failed half-way) leaves the target holding exactly what the
 * batch metadata says.
 */
describe.each(ARCHIVE_COMBINATIONS)('archive service on %s, %s target', (kind, target) => {
  let world: ArchiveWorld
  let counter = 0
  beforeEach(async () => {
    world = await archiveWorld(kind, target, s3, `svc_${kind}_${target}_${++counter}`)
  })
  afterEach(async () => {
    await world?.close()
  })

  const batches = async (statuses = ['archived'] as const) =>
    (await world.services.archive.deps.store.batches(world.tenantId, { statuses: [...statuses], order: 'time' })).batches
  const hotIds = async () => (await world.services.interactions.list(localRootContext(world.tenantId), { limit: 200, offset: 0, sort: 'newest' })).interactions.map((i) => i.id)
  const run = (options: { dryRun?: boolean; olderThanDays?: number; onEvent?: Parameters<ArchiveWorld['services']['archive']['run']>[0]['onEvent'] } = {}) =>
    world.services.archive.run({ actor: localRootContext(world.tenantId), tenantIds: [world.tenantId], dryRun: options.dryRun ?? false, olderThanDays: options.olderThanDays, onEvent: options.onEvent })
  const archivedIds = async () => {
    const ids: string[] = []
    for (const batch of await batches()) ids.push(...(await world.records(batch.object_key)).map((r) => r.interaction.id))
    return ids
  }
  /** Every key in the target belongs to a live batch (object or manifest), and every live batch is there. */
  const expectTargetMatchesMetadata = async () => {
    const live = (await world.services.archive.deps.store.batches(world.tenantId, {})).batches.filter((b) => b.status !== 'expired' || b.deleted_at === null)
    const expected = live.flatMap((b) => [b.object_key, b.manifest_key]).sort()
    expect(await world.sink.list(world.sink.keyPrefix)).toEqual(expected)
  }

  it('archives what the policy calls old into gzip JSON lines with manifests, and leaves the rest hot', async () => {
    const metricsBefore = await world.services.metrics.report(localRootContext(world.tenantId), { from: '2026-01-20T00:00:00.000Z', to: '2026-03-15T00:00:00.000Z' })
    const summary = await run()
    expect(summary.totals).toMatchObject({ records: OLD })
    expect(summary.tenants[0]).toMatchObject({ tenant_id: world.tenantId, cutoff: '2026-02-13T00:00:00.000Z', skipped_records: 0 })
    expect(summary.tenants[0]!.by_type.map((t) => [t.type, t.records])).toEqual([
      [null, 10],
      ['chat', 20],
      ['outline', 10],
    ])
    expect(await hotIds()).toEqual(['recent-2', 'recent-1', 'recent-0'])

    const archived = await batches()
    expect(archived.length).toBe(summary.totals.objects)
    expect(archived.reduce((sum, b) => sum + b.record_count, 0)).toBe(OLD)
    const ids = await archivedIds()
    expect(ids.sort()).toEqual([...world.original.keys()].filter((id) => !id.startsWith('recent')).sort())
    for (const batch of archived) {
      expect(batch.object_key).toMatch(new RegExp(`^${world.sink.keyPrefix}tenant-svc_[a-z0-9_]+/(chat|outline|_untyped)/2026/02/\\d\\d/part-\\d+\\.jsonl\\.gz$`))
      const records = await world.records(batch.object_key)
      for (const record of records) {
        expect(record.interaction).toEqual(world.original.get(record.interaction.id))
        expect(record.interaction.timestamp.slice(0, 10)).toBe(batch.day)
        expect(record.interaction.type ?? '').toBe(batch.type)
      }
      const manifest = JSON.parse(await readText(world, batch.manifest_key))
      expect(manifest).toMatchObject({
        schema_version: 1,
        object_key: batch.object_key,
        batch_id: batch.id,
        record_count: records.length,
        raw_bytes: batch.raw_bytes,
        compressed_bytes: batch.compressed_bytes,
        sha256: batch.sha256,
        time_range: { from: new Date(batch.from_ts).toISOString(), to: new Date(batch.to_ts).toISOString() },
      })
    }
    const rated = (await world.records(archived.find((b) => b.day === '2026-02-03' && b.type === 'outline')!.object_key)).find((r) => r.interaction.id === '2026-02-03-1')!
    expect(rated.feedback.map((f) => [f.id, f.correction])).toEqual([['fb-1', 'the right answer']])
    await expectTargetMatchesMetadata()

    // History keeps archived interactions; lists show only what is hot.
    const metricsAfter = await world.services.metrics.report(localRootContext(world.tenantId), { from: '2026-01-20T00:00:00.000Z', to: '2026-03-15T00:00:00.000Z' })
    expect(metricsAfter.totals).toEqual(metricsBefore.totals)
    const february = await world.services.interactions.list(localRootContext(world.tenantId), { limit: 10, offset: 0, sort: 'newest', from: '2026-02-01T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z' })
    expect(february.total_count).toBe(0)
    expect((await world.services.interactions.list(localRootContext(world.tenantId), { limit: 1, offset: 0, sort: 'newest', type: 'chat' })).total_count).toBe(3)
  })

  it('finds nothing more to do on a second run, and puts late data for an archived day in its next part', async () => {
    await run()
    expect((await run()).totals.records).toBe(0)
    const partsOfDay = async () => (await batches()).filter((b) => b.day === '2026-02-04' && b.type === 'chat').map((b) => b.part)
    const before = await partsOfDay()
    await world.services.interactions.ingestMany(localRootContext(world.tenantId), [{ id: 'late', timestamp: '2026-02-04T23:00:00.000Z', type: 'chat' }])
    expect((await run()).totals.records).toBe(1)
    expect(await partsOfDay()).toEqual([...before, Math.max(...before) + 1])
    await expectTargetMatchesMetadata()
  })

  it('measures in a dry run and writes or deletes nothing', async () => {
    const summary = await run({ dryRun: true })
    expect(summary).toMatchObject({ dry_run: true, totals: { records: OLD } })
    expect(summary.totals.bytes_after).toBeGreaterThan(0)
    expect(summary.totals.bytes_after).toBeLessThan(summary.totals.bytes_before)
    expect((await hotIds()).length).toBe(OLD + 3)
    expect(await world.services.archive.deps.store.batches(world.tenantId, {})).toEqual({ batches: [], total: 0 })
    expect(await world.sink.list(world.sink.keyPrefix)).toEqual([])
  })

  it('archives everything before today with older_than_days 0', async () => {
    expect((await run({ olderThanDays: 0 })).totals.records).toBe(OLD + 3)
    expect(await hotIds()).toEqual([])
  })

  it('restores a range exactly, once, keeps it hot afterwards, and rewrites the object it cut through', async () => {
    await run()
    // The range ends inside an object (between its first and last interaction), so that object is cut.
    const cut = (await batches()).find((b) => b.day >= '2026-02-05' && b.record_count >= 2)!
    const to = new Date((cut.from_ts + cut.to_ts) / 2).toISOString()
    const expected = [...world.original.values()].filter((i) => i.timestamp >= '2026-02-03' && i.timestamp < to).map((i) => i.id).sort()
    const restore = () => world.services.archiveMaintenance.restore(localRootContext(world.tenantId), world.tenantId, { from: '2026-02-03', to })
    const result = await restore()
    expect(result).toMatchObject({ restored: expected.length, already_present: 0, held_until: '2026-04-14T12:00:00.000Z' })
    expect(result.batches_rewritten).toBeGreaterThan(0)
    expect(result.batches_emptied).toBeGreaterThan(0)
    const restored = (await hotIds()).filter((id) => !id.startsWith('recent')).sort()
    expect(restored).toEqual(expected)
    for (const id of restored) expect(await world.services.interactions.get(localRootContext(world.tenantId), id)).toEqual(world.original.get(id))
    expect((await world.services.feedback.history(localRootContext(world.tenantId), '2026-02-03-1')).map((f) => f.id)).toEqual(['fb-1'])
    expect((await archivedIds()).sort()).toEqual([...world.original.keys()].filter((id) => !id.startsWith('recent') && !restored.includes(id)).sort())
    await expectTargetMatchesMetadata()

    expect(await restore()).toMatchObject({ restored: 0, batches_rewritten: 0, batches_emptied: 0, held_until: null })
    expect((await run()).totals.records).toBe(0) // held: the next run leaves the range hot
    world.clock.set('2026-04-15T00:00:00.000Z')
    expect((await run()).totals.records).toBe(expected.length + 3) // the hold is over (and the recent ones are old now)
  })

  it('answers 503 when the target fails during a restore, and a retry finishes it', async () => {
    await run()
    const read = world.sink.get.bind(world.sink)
    world.sink.get = () => Promise.reject(new Error('connect ECONNREFUSED'))
    const restore = () => world.services.archiveMaintenance.restore(localRootContext(world.tenantId), world.tenantId, { from: '2026-02-01', to: '2026-02-03' })
    await expect(restore()).rejects.toMatchObject({ status: 503, message: expect.stringContaining('ECONNREFUSED') })
    world.sink.get = read
    const expected = [...world.original.values()].filter((i) => i.timestamp >= '2026-02-01' && i.timestamp < '2026-02-03').length
    expect((await restore()).restored).toBe(expected)
  })

  it('erases a user from the archive (and the hot store), rewriting only the objects that held them', async () => {
    await run()
    const before = await batches()
    const annIds = [...world.original.values()].filter((i) => i.user_id === 'ann' && !i.id.startsWith('recent')).map((i) => i.id)
    const metrics = async () => (await world.services.metrics.report(localRootContext(world.tenantId), { from: '2026-01-20T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z' })).totals.count
    const countBefore = await metrics()
    const erase = async () => (await world.services.erasure.eraseUser(localRootContext(world.tenantId), 'ann')).deleted
    expect(await erase()).toMatchObject({ interactions: 3, archived_interactions: annIds.length })
    const after = await batches()
    const ids = await archivedIds()
    expect(ids.some((id) => annIds.includes(id))).toBe(false)
    expect(ids.length).toBe(OLD - annIds.length)
    // Objects that never held ann are untouched (same key, same bytes).
    const untouched = before.filter((b) => after.some((a) => a.id === b.id))
    for (const batch of untouched) expect((await world.records(batch.object_key)).some((r) => r.interaction.user_id === 'ann')).toBe(false)
    expect(untouched.length).toBeGreaterThan(0)
    expect(await metrics()).toBe(countBefore - annIds.length)
    await expectTargetMatchesMetadata()
    expect(await erase()).toMatchObject({ interactions: 0, archived_interactions: 0 })
  })

  it('reads archived interactions back for exports, with the list filters, and sums them per type', async () => {
    await run()
    const read = async (filter: object) => {
      const found = []
      for await (const record of world.services.archive.readArchived(world.tenantId, filter)) found.push(record)
      return found
    }
    const bobsChats = await read({ user_id: 'bob', type: 'chat', from: '2026-02-02T00:00:00.000Z', to: '2026-02-08T00:00:00.000Z' })
    const expected = [...world.original.values()].filter((i) => i.user_id === 'bob' && i.type === 'chat' && i.timestamp >= '2026-02-02' && i.timestamp < '2026-02-08')
    expect(bobsChats.map((r) => r.interaction).sort((a, b) => a.id.localeCompare(b.id))).toEqual(expected.sort((a, b) => a.id.localeCompare(b.id)))
    expect((await read({ tag: 'first' })).length).toBe(10)
    await expect(read({ q: 'invoices' })).rejects.toThrow(/q/)
    const stats = await world.services.archive.archivedStats(world.tenantId)
    expect(stats.map((s) => [s.type, s.records])).toEqual([
      [null, 10],
      ['chat', 20],
      ['outline', 10],
    ])
    expect(stats.reduce((sum, s) => sum + s.compressed_bytes, 0)).toBe((await batches()).reduce((sum, b) => sum + b.compressed_bytes, 0))
  })

  it('keeps retention settings per tenant, and refuses a target this server has no configuration for', async () => {
    const auth = localRootContext(world.tenantId)
    expect(await world.services.retention.get(auth)).toEqual({ archive_after_days: 30, delete_archived_after_days: null, target, updated_at: null })
    expect(await world.services.retention.put(auth, { archive_after_days: 10 })).toMatchObject({ archive_after_days: 10, target, updated_at: new Date(world.clock.now()).toISOString() })
    expect((await run()).tenants[0]!.cutoff).toBe('2026-03-05T00:00:00.000Z')
    const other = target === 'filesystem' ? 's3' : 'filesystem'
    if (other === 's3') await expect(world.services.retention.put(auth, { target: 's3' })).rejects.toMatchObject({ status: 400, details: { issues: [{ path: 'target' }] } })
    else expect((await world.services.retention.put(auth, { target: other })).target).toBe('filesystem')
    await expect(world.services.retention.put(auth, { delete_archived_after_days: 10 })).rejects.toMatchObject({ status: 400 })
  })

  it('deletes archived objects once they pass delete_archived_after_days', async () => {
    await run()
    await world.services.retention.put(localRootContext(world.tenantId), { delete_archived_after_days: 36 })
    // 36 days before 2026-03-15: objects whose interactions all precede 2026-02-07 go.
    const summary = await run()
    const expired = (await world.services.archive.deps.store.batches(world.tenantId, { statuses: ['expired'] })).batches
    expect(summary.tenants[0]!.expired_batches).toBe(expired.length)
    expect(expired.every((b) => b.to_ts < Date.parse('2026-02-07T00:00:00.000Z') && b.deleted_at !== null)).toBe(true)
    expect(new Set(expired.map((b) => b.day))).toEqual(new Set(OLD_DAYS.slice(0, 6)))
    expect((await batches()).every((b) => b.day >= '2026-02-07')).toBe(true)
    await expectTargetMatchesMetadata()
  })

  it('leaves a row that changed while it was being archived hot, and archives it (changed) next time', async () => {
    // The first chunk's objects are written and verified; just before its rows are deleted, a late
    // tool result changes one of them.
    const store = world.services.archive.deps.store
    const commit = store.commitArchive.bind(store)
    let changed = false
    store.commitArchive = async (tenantId, request) => {
      if (!changed) {
        changed = true
        await world.services.store.interactions.update(world.tenantId, '2026-02-01-0', (current) => ({ ...current, assistant_response: 'edited late' }))
      }
      return commit(tenantId, request)
    }
    const summary = await run()
    expect(summary.tenants[0]!.skipped_records).toBeGreaterThan(0)
    expect(summary.totals.records).toBe(OLD - summary.tenants[0]!.skipped_records)
    expect((await world.services.interactions.get(localRootContext(world.tenantId), '2026-02-01-0')).assistant_response).toBe('edited late')
    await expectTargetMatchesMetadata()
    expect((await run()).totals.records).toBe(summary.tenants[0]!.skipped_records)
    const all = (await archivedIds()).sort()
    expect(all).toEqual([...new Set(all)])
    expect(all.length).toBe(OLD)
  })

  it('publishes a chunk while the one before is in its delete transaction, which run alone and in chunk order', async () => {
    const store = world.services.archive.deps.store
    const commit = store.commitArchive.bind(store)
    const transactions: { first: string; overlapped: boolean }[] = []
    let open = 0
    let nextVerified = () => {}
    store.commitArchive = async (tenantId, request) => {
      open += 1
      transactions.push({ first: request.ids[0]!, overlapped: open > 1 })
      try {
        // Until the next chunk's objects are out (the last chunk has none after it: a second is enough).
        await new Promise<void>((resolve) => {
          nextVerified = resolve
          setTimeout(resolve, 1_000)
        })
        return await commit(tenantId, request)
      } finally {
        open -= 1
      }
    }
    let published = 0
    let mostUnderWay = 0
    const summary = await run({
      onEvent: (event) => {
        if (event.kind !== 'step') return
        if (event.step === 'verified') {
          published += 1
          nextVerified()
        }
        if (event.step === 'committed' || event.step === 'discarded') published -= 1
        mostUnderWay = Math.max(mostUnderWay, published)
      },
    })
    expect(summary.totals.records).toBe(OLD)
    expect(transactions.length).toBeGreaterThan(2)
    expect(transactions.every((t) => !t.overlapped)).toBe(true)
    expect(transactions.map((t) => t.first)).toEqual(transactions.map((t) => t.first).sort())
    expect(mostUnderWay).toBe(2) // a chunk's objects verified while the chunk before was still committing; never more
    await expectTargetMatchesMetadata()
  })

  it('cleans up after a run that failed half-way, and the next run finishes the job', async () => {
    let steps = 0
    await expect(
      run({
        onEvent: (event) => {
          if (event.kind === 'step' && event.step === 'uploaded' && ++steps === 2) throw new Error('target went away')
        },
      }),
    ).rejects.toThrow('target went away')
    expect((await world.services.archive.deps.store.batches(world.tenantId, { statuses: ['writing'] })).total).toBeGreaterThan(0)
    const archivedBefore = (await batches()).reduce((sum, b) => sum + b.record_count, 0)
    expect(archivedBefore).toBeGreaterThan(0) // the first chunk had committed
    const summary = await run()
    expect(summary.totals.records).toBe(OLD - archivedBefore)
    expect((await world.services.archive.deps.store.batches(world.tenantId, { statuses: ['writing'] })).total).toBe(0)
    const ids = await archivedIds()
    expect(ids.length).toBe(OLD)
    expect(new Set(ids).size).toBe(OLD)
    await expectTargetMatchesMetadata()
  })

  it("goes on with the other tenants when one tenant's archiving fails, and names it", async () => {
    const events: string[] = []
    const summary = await world.services.archive.run({
      actor: localRootContext(world.tenantId),
      tenantIds: ['unlucky-tenant', world.tenantId],
      dryRun: false,
      onEvent: (event) => {
        if (event.kind === 'failed') events.push(`${event.tenantId}: ${event.message}`)
        if (event.kind === 'tenant' && event.tenantId === 'unlucky-tenant') throw new Error('target went away')
      },
    })
    expect(summary.failed_tenants).toEqual([{ tenant_id: 'unlucky-tenant', code: 'internal_error', message: 'target went away' }])
    expect(events).toEqual(['unlucky-tenant: target went away'])
    expect(summary.tenants.map((tenant) => tenant.tenant_id)).toEqual([world.tenantId])
    expect(summary.totals.records).toBe(OLD)
    // A run for that tenant alone answers with the error itself.
    await expect(run({ onEvent: () => { throw new Error('target went away') } })).rejects.toThrow('target went away')
  })

  it('skips a tenant another run holds, and makes a restore wait, then give up', async () => {
    await run()
    const held = await world.services.archive.deps.store.withTenantLock(world.tenantId, async () => ({
      summary: await run(),
      restore: await world.services.archiveMaintenance.restore(localRootContext(world.tenantId), world.tenantId, { from: '2026-02-01', to: '2026-02-02' }).catch((error: Error) => error),
    }))
    expect(held?.value.summary).toMatchObject({ locked_tenants: [world.tenantId], tenants: [] })
    expect(held?.value.restore).toMatchObject({ status: 409 })
  })
})

async function readText(world: ArchiveWorld, key: string): Promise<string> {
  const body = await world.sink.get(key)
  const chunks: Buffer[] = []
  for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(chunk)
  return Buffer.concat(chunks).toString('utf8')
}
