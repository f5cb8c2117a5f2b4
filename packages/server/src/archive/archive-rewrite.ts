import { randomUUID } from 'node:crypto'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Clock, IdGenerator } from '../runtime/clock.js'
import type { ArchiveBatchRecord, ArchiveRewrite, ArchiveStore } from '../store/archive-store.js'
import { batchRecord, publish, removeObjects } from './archive-batch.js'
import { ArchiveObjectError, readLines } from './archive-object.js'
import { metricSourceOfRecord, parseLine, restoredFrom, type ArchivedRecord } from './archive-record.js'
import type { ArchiveSink, ArchiveSinks } from './archive-sink.js'
import { PartBuilder } from './part-builder.js'

export interface RewriteOutcome {
  /** Records taken out of the object. */
  taken: number
  restored: number
  alreadyPresent: number
  /** Whether a replacement object holds the rest. */
  rewritten: boolean
  /** Whether the object is gone because nothing was left in it. */
  emptied: boolean
}

const NOTHING: RewriteOutcome = { taken: 0, restored: 0, alreadyPresent: 0, rewritten: false, emptied: false }

/**
 * Takes records out of an archived object, crash-safely: the rest is written to a new object (metadata
 * row 'writing', object, manifest, read back and checked), then one transaction swaps the two batches,
 * takes the records out of the archived rollups and — for a restore — puts them back in the hot store.
 * Only then is the old object deleted. A crash before the swap leaves the old object in charge (the new
 * one is cleaned up); after it, the old object is cleaned up. Callers hold the tenant's archive lock.
 */
export class ArchiveRewriter {
  constructor(
    private readonly deps: { store: ArchiveStore; sinks: ArchiveSinks; clock: Clock; ids: IdGenerator; gzipLevel: number },
    private readonly tenantId: string,
    private readonly runId: string,
    private readonly stagingDir: string,
  ) {}

  async rewrite(
    batch: ArchiveBatchRecord,
    take: (record: ArchivedRecord) => boolean,
    options: { restore: boolean; hold?: ArchiveRewrite['hold'] },
  ): Promise<RewriteOutcome> {
    const { store, sinks, clock } = this.deps
    const sink = await sinks.get(batch.target as ArchiveSink['target'])
    await mkdir(this.stagingDir, { recursive: true })
    const file = join(this.stagingDir, `${randomUUID()}.jsonl.gz`)
    try {
      const keep = new PartBuilder(file, this.deps.gzipLevel)
      const taken: ArchivedRecord[] = []
      for await (const line of readLines(sink, batch.object_key)) {
        const record = parseLine(line)
        if (take(record)) {
          taken.push(record)
          continue
        }
        const busy = keep.add(line, Date.parse(record.interaction.timestamp), record.interaction.user_id ?? null)
        if (busy) await busy
      }
      const kept = await keep.finish()
      if (kept.records + taken.length !== batch.record_count) {
        throw new ArchiveObjectError(`Archive object '${batch.object_key}' holds ${kept.records + taken.length} records, not ${batch.record_count}`)
      }
      if (taken.length === 0) return NOTHING
      let replacement: ArchiveBatchRecord | undefined
      if (kept.records > 0) {
        const [last] = await store.lastParts(this.tenantId, [batch])
        const part = last! + 1
        replacement = batchRecord(sink, {
          id: this.deps.ids.next(),
          runId: this.runId,
          tenantId: this.tenantId,
          type: batch.type,
          day: batch.day,
          part,
          stats: kept,
          createdAt: clock.now().toISOString(),
        })
        await publish(store, sink, [{ record: replacement, file }], () => {})
      }
      const result = await store.rewriteBatch(this.tenantId, {
        oldBatchId: batch.id,
        replacementBatchId: replacement?.id,
        erased: options.restore ? [] : taken.map((record) => metricSourceOfRecord(this.tenantId, record)),
        restore: options.restore ? taken.map(restoredFrom) : undefined,
        hold: options.hold,
        at: clock.now().toISOString(),
      })
      await removeObjects(sinks, [batch])
      await store.deleteBatches(this.tenantId, [batch.id])
      return { taken: taken.length, ...result, rewritten: replacement !== undefined, emptied: replacement === undefined }
    } finally {
      await rm(file, { force: true })
    }
  }
}
