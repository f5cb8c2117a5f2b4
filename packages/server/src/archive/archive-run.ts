import { mkdir, rm } from 'node:fs/promises'
import { DAY_MS } from '../analytics/rollup-deltas.js'
import type { Clock, IdGenerator } from '../runtime/clock.js'
import { partKeyText, type ArchiveBatchRecord, type ArchiveStore, type PartKey, type RowKey, type TimeRange } from '../store/archive-store.js'
import { batchRecord, publish, removeObjects, type ArchiveStep } from './archive-batch.js'
import { ArchiveChunk, type StagedPart } from './archive-chunk.js'
import { startOfUtcDay } from './archive-keys.js'
import type { ArchiveSink, ArchiveSinks } from './archive-sink.js'
import { TypeSizes } from './archive-summary.js'

export type ArchiveEvent =
  /** A tenant's run starts: what is eligible. */
  | { kind: 'tenant'; tenantId: string; records: number; bytes: number }
  /** Interactions of the tenant read so far. */
  | { kind: 'progress'; tenantId: string; records: number }
  | { kind: 'step'; tenantId: string; step: ArchiveStep; objects: string[]; records: number }
  /** Another run holds the tenant's lock; it is left for the next run. */
  | { kind: 'locked'; tenantId: string }
  /** The tenant's archiving failed; a run over several tenants goes on with the next. */
  | { kind: 'failed'; tenantId: string; message: string }

export interface ArchiverSettings {
  /** Interactions archived together (one transaction; one object per type and day). */
  chunkRecords: number
  /** Interactions read per query. */
  pageRows: number
  gzipLevel: number
}

export interface TenantRun {
  tenantId: string
  runId: string
  /** Interactions with ts before this go. */
  cutoff: number
  holds: TimeRange[]
  dryRun: boolean
  sink: ArchiveSink
  /** This tenant's staging directory (emptied before and after). */
  stagingDir: string
}

const MIN_TS = -8.64e15

/**
 * Archives one tenant's eligible interactions in time order, chunk by chunk: each chunk is staged and
 * compressed (one object per type and day), published (metadata rows, objects, manifests, read-back
 * check), then one transaction deletes the hot rows — only if none changed meanwhile — and marks the
 * objects archived.
 */
export class TenantArchiver {
  readonly sizes = new TypeSizes()
  skippedRecords = 0
  private readRecords = 0
  private readonly nextParts = new Map<string, number>()

  constructor(
    private readonly deps: {
      store: ArchiveStore
      sinks: ArchiveSinks
      clock: Clock
      ids: IdGenerator
      settings: ArchiverSettings
      emit: (event: ArchiveEvent) => void
      signal?: AbortSignal
    },
    private readonly run: TenantRun,
  ) {}

  async archive(): Promise<void> {
    const { store, settings, signal } = this.deps
    const { tenantId, cutoff, holds, dryRun } = this.run
    if (!dryRun) {
      await rm(this.run.stagingDir, { recursive: true, force: true })
      await mkdir(this.run.stagingDir, { recursive: true })
      // From here on the database logs any change of the tenant's interactions, so a row that changes
      // after it was read is never deleted with a stale copy in the archive.
      await store.watchChanges(tenantId, true)
      await store.deferSearchUpkeep(true)
    }
    // Three chunks at most are under way: one being read and compressed, one being published, and one in
    // its delete transaction. The transactions run in chunk order, each after the one before has ended.
    let published: Promise<unknown> = Promise.resolve()
    let settled: Promise<void> = Promise.resolve()
    let settledBefore: Promise<void> = Promise.resolve()
    const commitInTurn = async (chunk: ArchiveChunk) => {
      await published
      await settledBefore
      const publishing = this.publish(chunk)
      const previous = settled
      settled = Promise.allSettled([publishing, previous]).then(([objects, before]) => {
        if (before.status === 'rejected') throw before.reason
        if (objects.status === 'rejected') throw objects.reason
        return this.settle(chunk, objects.value)
      })
      settledBefore = previous
      published = publishing
      // Each is awaited by a later turn or at the end; this only stops an early failure being "unhandled".
      for (const promise of [publishing, settled]) promise.catch(() => {})
    }
    try {
      let chunk = this.newChunk()
      let after: RowKey | undefined
      for (;;) {
        const rows = await store.readRows(tenantId, { from: MIN_TS, to: cutoff }, after, settings.pageRows, holds)
        for (const row of rows) {
          if (chunk.full(row)) {
            await commitInTurn(chunk)
            chunk = this.newChunk()
          }
          const busy = chunk.add(row)
          if (busy) await busy
        }
        this.readRecords += rows.length
        this.deps.emit({ kind: 'progress', tenantId, records: this.readRecords })
        if (chunk.records >= settings.chunkRecords) {
          await commitInTurn(chunk)
          chunk = this.newChunk()
        }
        const last = rows.at(-1)
        if (!last || rows.length < settings.pageRows || signal?.aborted) break
        after = { ts: last.ts, id: last.id }
      }
      if (chunk.records > 0) await commitInTurn(chunk)
      await settled
    } finally {
      // Every transaction waits for the one before it, so the last one settled means all have.
      await settled.catch(() => {})
      if (!dryRun) {
        await store.watchChanges(tenantId, false)
        await store.deferSearchUpkeep(false)
        await rm(this.run.stagingDir, { recursive: true, force: true })
      }
    }
  }

  private newChunk(): ArchiveChunk {
    return new ArchiveChunk(this.run.tenantId, this.run.dryRun ? undefined : this.run.stagingDir, this.deps.settings.gzipLevel)
  }

  private step(step: ArchiveStep, objects: string[], records: number): void {
    this.deps.emit({ kind: 'step', tenantId: this.run.tenantId, step, objects, records })
  }

  /** The next part number of each staged object; the numbers in use are looked up once per chunk. */
  private async partNumbers(staged: PartKey[]): Promise<number[]> {
    const unseen = staged.filter((part) => !this.nextParts.has(partKeyText(part)))
    const last = await this.deps.store.lastParts(this.run.tenantId, unseen)
    unseen.forEach((part, index) => this.nextParts.set(partKeyText(part), last[index]! + 1))
    return staged.map((part) => {
      const next = this.nextParts.get(partKeyText(part))!
      this.nextParts.set(partKeyText(part), next + 1)
      return next
    })
  }

  /**
   * Compresses what is left of the chunk and publishes its objects (a dry run only measures them);
   * answers what the chunk's delete transaction needs.
   */
  private async publish(chunk: ArchiveChunk): Promise<PublishedChunk | undefined> {
    const staged = await chunk.finish()
    if (this.run.dryRun) {
      for (const part of staged) this.sizes.add(part.type, sizesOf(part))
      this.step('staged', [], chunk.records)
      return undefined
    }
    const { store, clock, ids } = this.deps
    const createdAt = clock.now().toISOString()
    const numbers = await this.partNumbers(staged)
    const batches = staged.map((part, index) => {
      const record = batchRecord(this.run.sink, {
        id: ids.next(),
        runId: this.run.runId,
        tenantId: this.run.tenantId,
        type: part.type,
        day: part.day,
        part: numbers[index]!,
        stats: part.stats,
        createdAt,
      })
      return { record, file: part.file! }
    })
    const keys = batches.map((batch) => batch.record.object_key)
    this.step('staged', keys, chunk.records)
    await publish(store, this.run.sink, batches, (step) => this.step(step, keys, chunk.records))
    return { staged, batches, keys }
  }

  /**
   * The chunk's delete transaction: its objects count and its hot rows go, or, when a row changed after
   * it was read, its objects go and the rows stay.
   */
  private async settle(chunk: ArchiveChunk, published: PublishedChunk | undefined): Promise<void> {
    if (!published) return
    const { staged, batches, keys } = published
    const { store, clock } = this.deps
    const committed = await store.commitArchive(this.run.tenantId, {
      batchIds: batches.map((batch) => batch.record.id),
      ids: chunk.ids,
      archivedBefore: Math.min(this.run.cutoff, startOfUtcDay(chunk.lastTs) + DAY_MS),
      at: clock.now().toISOString(),
    })
    if (committed) {
      for (const part of staged) this.sizes.add(part.type, sizesOf(part))
      this.step('committed', keys, chunk.records)
    } else {
      // A row changed (or went) after it was read: these objects never count; the rows stay hot.
      await removeObjects(this.deps.sinks, batches.map((batch) => batch.record))
      await store.deleteBatches(this.run.tenantId, batches.map((batch) => batch.record.id))
      this.skippedRecords += chunk.records
      this.step('discarded', keys, chunk.records)
    }
    await Promise.all(batches.map((batch) => rm(batch.file, { force: true })))
  }
}

/** A chunk's objects, written and verified but not yet counted. */
interface PublishedChunk {
  staged: StagedPart[]
  batches: { record: ArchiveBatchRecord; file: string }[]
  keys: string[]
}

const sizesOf = (part: StagedPart) => ({ records: part.stats.records, objects: 1, bytesBefore: part.stats.rawBytes, bytesAfter: part.stats.compressedBytes })
