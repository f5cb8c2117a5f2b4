import { setImmediate as nextTurn } from 'node:timers/promises'

/** Rows or ids per statement: well inside both databases' bound-parameter limits whatever the batch size. */
export const CHUNK = 500

export const chunks = <T>(items: T[], size = CHUNK): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, (index + 1) * size))

/**
 * The chunks, with a turn of the event loop before each one but the first, for the statements of a long
 * transaction. SQLite runs each statement on this thread, and its statements resolve without a turn:
 * the whole transaction would stall every request. Other database work still waits for the
 * connection, which the transaction holds.
 */
export async function* chunksTakingTurns<T>(items: T[], size = CHUNK): AsyncGenerator<T[]> {
  for (const [index, chunk] of chunks(items, size).entries()) {
    if (index > 0) await nextTurn()
    yield chunk
  }
}
