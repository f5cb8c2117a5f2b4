import type { ArchiveBatch } from '@interlog/schema'
import type { ArchiveBatchRecord, ArchiveStore } from '../store/archive-store.js'
import { manifestKeyOf, objectKey } from './archive-keys.js'
import { verifyObject } from './archive-object.js'
import { ARCHIVE_SCHEMA_VERSION } from './archive-record.js'
import type { ArchiveSink, ArchiveSinks } from './archive-sink.js'
import { eachLimited, PARALLEL_OBJECTS } from './each-limited.js'
import type { PartStats } from './part-builder.js'

/** Where one object stands on its way to the archive; runs report each, and tests stop a process at each. */
export type ArchiveStep = 'staged' | 'recorded' | 'uploaded' | 'manifested' | 'verified' | 'committed' | 'discarded'

export interface NewBatch {
  id: string
  runId: string
  tenantId: string
  type: string
  day: string
  part: number
  stats: PartStats
  createdAt: string
}

/** The metadata row of an object about to be written: 'writing' until the transaction that uses it commits. */
export function batchRecord(sink: ArchiveSink, batch: NewBatch): ArchiveBatchRecord {
  const key = objectKey(sink.keyPrefix, batch.tenantId, batch.type, batch.day, batch.part)
  return {
    tenant_id: batch.tenantId,
    id: batch.id,
    run_id: batch.runId,
    target: sink.target,
    object_key: key,
    manifest_key: manifestKeyOf(key),
    type: batch.type,
    day: batch.day,
    part: batch.part,
    record_count: batch.stats.records,
    raw_bytes: batch.stats.rawBytes,
    compressed_bytes: batch.stats.compressedBytes,
    sha256: batch.stats.sha256,
    from_ts: batch.stats.fromTs,
    to_ts: batch.stats.toTs,
    storage_class: sink.storageClass,
    status: 'writing',
    users_bloom: batch.stats.usersBloom,
    created_at: batch.createdAt,
    archived_at: null,
    deleted_at: null,
  }
}

/** The manifest object beside each archived object. */
export function manifestOf(batch: ArchiveBatchRecord): Buffer {
  const manifest = {
    schema_version: ARCHIVE_SCHEMA_VERSION,
    format: 'jsonl+gzip',
    object_key: batch.object_key,
    batch_id: batch.id,
    run_id: batch.run_id,
    tenant_id: batch.tenant_id,
    type: batch.type === '' ? null : batch.type,
    day: batch.day,
    part: batch.part,
    record_count: batch.record_count,
    raw_bytes: batch.raw_bytes,
    compressed_bytes: batch.compressed_bytes,
    sha256: batch.sha256,
    time_range: { from: new Date(batch.from_ts).toISOString(), to: new Date(batch.to_ts).toISOString() },
    created_at: batch.created_at,
  }
  return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`)
}

export function toWireBatch(batch: ArchiveBatchRecord): ArchiveBatch {
  return {
    id: batch.id,
    object_key: batch.object_key,
    manifest_key: batch.manifest_key,
    target: batch.target as ArchiveBatch['target'],
    type: batch.type === '' ? null : batch.type,
    day: batch.day,
    part: batch.part,
    from: new Date(batch.from_ts).toISOString(),
    to: new Date(batch.to_ts).toISOString(),
    record_count: batch.record_count,
    raw_bytes: batch.raw_bytes,
    compressed_bytes: batch.compressed_bytes,
    compression_ratio: batch.compressed_bytes > 0 ? Math.round((batch.raw_bytes / batch.compressed_bytes) * 100) / 100 : null,
    sha256: batch.sha256,
    storage_class: batch.storage_class,
    status: batch.status,
    created_at: batch.created_at,
    archived_at: batch.archived_at,
  }
}

/**
 * Writes staged objects the crash-safe way: metadata rows first ('writing', so a crash leaves a
 * record of what to clean up), then the objects, then their manifests, then reads every object back
 * and checks it. The caller's transaction then makes them count; until it commits they are garbage.
 */
export async function publish(
  store: ArchiveStore,
  sink: ArchiveSink,
  batches: { record: ArchiveBatchRecord; file: string }[],
  step: (step: ArchiveStep) => void,
): Promise<void> {
  if (batches.length === 0) return
  await store.insertBatches(batches[0]!.record.tenant_id, batches.map((batch) => batch.record))
  step('recorded')
  await sink.putAll(batches.map(({ record, file }) => ({ key: record.object_key, body: { file } })))
  step('uploaded')
  await sink.putAll(batches.map(({ record }) => ({ key: record.manifest_key, body: manifestOf(record) })))
  step('manifested')
  await eachLimited(batches, PARALLEL_OBJECTS, ({ record }) =>
    verifyObject(sink, record.object_key, { sha256: record.sha256, compressedBytes: record.compressed_bytes }),
  )
  step('verified')
}

/** Deletes the objects and manifests of batches (wherever each lives); missing ones are fine. */
export async function removeObjects(sinks: ArchiveSinks, batches: ArchiveBatchRecord[]): Promise<void> {
  await eachLimited(batches, PARALLEL_OBJECTS, async (batch) => {
    const sink = await sinks.get(batch.target as ArchiveSink['target'])
    await sink.delete(batch.object_key)
    await sink.delete(batch.manifest_key)
  })
}

/**
 * Finishes what a crash (or a failed run) left: objects of batches still 'writing' never counted and
 * go with their rows (the hot rows they copied were never deleted); superseded objects go with their
 * rows; expired objects go and their rows are marked deleted.
 */
export async function cleanUp(store: ArchiveStore, sinks: ArchiveSinks, tenantId: string, at: string): Promise<void> {
  const { batches: stale } = await store.batches(tenantId, { statuses: ['writing', 'superseded'] })
  await removeObjects(sinks, stale)
  await store.deleteBatches(tenantId, stale.map((batch) => batch.id))
  const { batches: expired } = await store.batches(tenantId, { statuses: ['expired'], undeleted: true })
  await removeObjects(sinks, expired)
  await store.markDeleted(tenantId, expired.map((batch) => batch.id), at)
}
