import { ValidationError } from '../errors/errors.js'

export interface KeysetPosition {
  ts: number
  id: string
  /** The sort value of the last row, for orders other than by time (latency, cost). */
  key?: number
}

/** An opaque keyset cursor: the (timestamp, id) of the last row of the previous page, and its sort value when sorted by one. */
export const encodeCursor = (position: KeysetPosition): string =>
  Buffer.from(JSON.stringify(position.key === undefined ? [position.ts, position.id] : [position.ts, position.id, position.key])).toString('base64url')

const invalidCursor = (message: string) =>
  new ValidationError('Invalid cursor: pass next_cursor from a previous page of the same sort unchanged', [
    { path: 'cursor', code: 'invalid_cursor', message },
  ])

/** Decodes a cursor; `keyed` says whether the sort needs a sort value in it, so a cursor of another sort is refused. */
export function decodeCursor(cursor: string, keyed = false): KeysetPosition {
  let decoded: unknown
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    throw invalidCursor('not a cursor issued by this API')
  }
  if (!Array.isArray(decoded) || !Number.isSafeInteger(decoded[0]) || typeof decoded[1] !== 'string') {
    throw invalidCursor('not a cursor issued by this API')
  }
  const position: KeysetPosition = { ts: decoded[0] as number, id: decoded[1] }
  const key: unknown = decoded[2]
  if (keyed !== (decoded.length === 3) || (keyed && (typeof key !== 'number' || !Number.isFinite(key)))) {
    throw invalidCursor('issued for another sort')
  }
  if (keyed) position.key = key as number
  return position
}
