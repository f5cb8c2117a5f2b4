import { mkdir, rm } from 'node:fs/promises'
import { DAY_MS } from '../analytics/rollup-deltas.js'
import type { Clock, IdGenerator } from '../runtime/clock.js'
import type { ArchiveStore, RowKey, TimeRange } from '../store/archive-store.js'
import { batchRecord, publish, removeObjects, type ArchiveStep } from './archive-batch.js'
import { ArchiveChunk } from './archive-chunk.js'
import { startOfUtcDay, utcDay } from './archive-keys.js'
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

export interface ArchiverSettings {
  /** Interactions archived together (one transaction; about one object per type). */
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
 * Archives one tenant's eligible interactions, day by day in time order: each chunk is staged and
 * compressed, published (metadata row, object, manifest, read-back check), then one transaction
 * deletes the hot rows — only if none changed meanwhile — and marks the objects archived.
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
    const { tenantId, cutoff, holds } = this.run
    if (!this.run.dryRun) {
      await rm(this.run.stagingDir, { recursive: true, force: true })
      await mkdir(this.run.stagingDir, { recursive: true })
    }
    try {
      let from = MIN_TS
      while (!this.deps.signal?.aborted) {
        const first = await this.deps.store.firstEligibleTs(tenantId, from, cutoff, holds)
        if (first === undefined) return
        const dayStart = startOfUtcDay(first)
        const range = { from: dayStart, to: Math.min(dayStart + DAY_MS, cutoff) }
        await this.archiveDay(range)
        from = range.to
      }
    } finally {
      if (!this.run.dryRun) await rm(this.run.stagingDir, { recursive: true, force: true })
    }
  }

  private newChunk(): ArchiveChunk {
    return new ArchiveChunk(this.run.tenantId, this.run.dryRun ? undefined : this.run.stagingDir, this.deps.settings.gzipLevel)
  }

  private async archiveDay(range: TimeRange): Promise<void> {
    const { pageRows, chunkRecords } = this.deps.settings
    const day = utcDay(range.from)
    let chunk = this.newChunk()
    let after: RowKey | undefined
    for (;;) {
      const rows = await this.deps.store.readRows(this.run.tenantId, range, after, pageRows, this.run.holds)
      for (const row of rows) {
        const busy = chunk.add(row)
        if (busy) await busy
      }
      this.readRecords += rows.length
      this.deps.emit({ kind: 'progress', tenantId: this.run.tenantId, records: this.readRecords })
      if (chunk.records >= chunkRecords) {
        await this.commit(chunk, day)
        chunk = this.newChunk()
      }
      const last = rows.at(-1)
      if (!last || rows.length < pageRows || this.deps.signal?.aborted) break
      after = { ts: last.ts, id: last.id }
    }
    if (chunk.records > 0) await this.commit(chunk, day)
  }

  private step(step: ArchiveStep, objects: string[], records: number): void {
    this.deps.emit({ kind: 'step', tenantId: this.run.tenantId, step, objects, records })
  }

  private async partNumber(type: string, day: string): Promise<number> {
    const key = `${type}\u0000${day}`
    const next = this.nextParts.get(key) ?? (await this.deps.store.lastPart(this.run.tenantId, type, day)) + 1
    this.nextParts.set(key, next + 1)
    return next
  }

  private async commit(chunk: ArchiveChunk, day: string): Promise<void> {
    const staged = await chunk.finish()
    const sizesOf = (part: (typeof staged)[number]) => ({ records: part.stats.records, objects: 1, bytesBefore: part.stats.rawBytes, bytesAfter: part.stats.compressedBytes })
    if (this.run.dryRun) {
      for (const part of staged) this.sizes.add(part.type, sizesOf(part))
      this.step('staged', [], chunk.records)
      return
    }
    const { store, clock, ids } = this.deps
    const createdAt = clock.now().toISOString()
    const batches = []
    for (const part of staged) {
      const number = await this.partNumber(part.type, day)
      const record = batchRecord(this.run.sink, { id: ids.next(), runId: this.run.runId, tenantId: this.run.tenantId, type: part.type, day, part: number, stats: part.stats, createdAt })
      batches.push({ record, file: part.file! })
    }
    const keys = batches.map((batch) => batch.record.object_key)
    this.step('staged', keys, chunk.records)
    await publish(store, this.run.sink, batches, (step) => this.step(step, keys, chunk.records))
    const committed = await store.commitArchive(this.run.tenantId, {
      batchIds: batches.map((batch) => batch.record.id),
      ids: chunk.ids,
      unchanged: (rows) => chunk.unchanged(rows),
      at: clock.now().toISOString(),
    })
    if (committed) {
      for (const part of staged) this.sizes.add(part.type, sizesOf(part))
      this.step('committed', keys, chunk.records)
    } else {
      // A row changed (or went) while it was being archived: these objects never count; the rows stay hot.
      await removeObjects(this.deps.sinks, batches.map((batch) => batch.record))
      await store.deleteBatches(this.run.tenantId, batches.map((batch) => batch.record.id))
      this.skippedRecords += chunk.records
      this.step('discarded', keys, chunk.records)
    }
    await Promise.all(batches.map((batch) => rm(batch.file, { force: true })))
  }
}
