import type { InsertOutcome } from '../store.js'
import type { EncodedGroup } from './sqlite.insert-batch.js'

/** What the writer thread is started with. */
export interface WriterThreadData {
  file: string
  busyTimeoutMs: number
}

/** Messages to the writer thread, and its answers (matched by `id`). */
export type WriterRequest = { kind: 'write'; id: number; groups: EncodedGroup[] } | { kind: 'close' }

export type WriterReply =
  | { kind: 'written'; id: number; outcomes: InsertOutcome[][] }
  | { kind: 'failed'; id: number; message: string; code?: string }
  | { kind: 'closed' }
