/**
 * Worker-thread entry: writes interaction batches on a connection of its own, so the SQLite work
 * (B-tree inserts, search index, rollups, the commit's fsync) runs beside the event loop that parses
 * and validates requests rather than inside it. Answers each batch once its transaction committed.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { INTERACTION_COLUMNS } from '../kysely/database.js'
import type { InsertOutcome } from '../store.js'
import { openSqliteConnection } from './sqlite.connection.js'
import { prepareInsertBatch, type EncodedGroup } from './sqlite.insert-batch.js'
import type { WriterReply, WriterRequest, WriterThreadData } from './sqlite.writer-protocol.js'

const PAYLOAD = INTERACTION_COLUMNS.indexOf('payload')
const { file, busyTimeoutMs } = workerData as WriterThreadData
const raw = openSqliteConnection(file, { busyTimeoutMs })
const insertBatch = prepareInsertBatch(raw)

/** Structured clone turns a Buffer (a compressed payload) into a plain Uint8Array; the driver binds Buffers as blobs. */
function restoreBuffers(groups: EncodedGroup[]): EncodedGroup[] {
  for (const { rows } of groups) {
    for (const { values } of rows) {
      const payload = values[PAYLOAD]
      if (payload instanceof Uint8Array && !Buffer.isBuffer(payload)) values[PAYLOAD] = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)
    }
  }
  return groups
}

parentPort!.on('message', (request: WriterRequest) => {
  if (request.kind === 'close') {
    raw.close()
    parentPort!.postMessage({ kind: 'closed' } satisfies WriterReply)
    return
  }
  let reply: WriterReply
  try {
    const outcomes: InsertOutcome[][] = insertBatch(restoreBuffers(request.groups))
    reply = { kind: 'written', id: request.id, outcomes }
  } catch (error) {
    reply = { kind: 'failed', id: request.id, message: error instanceof Error ? error.message : String(error), code: (error as { code?: string }).code }
  }
  parentPort!.postMessage(reply)
})
