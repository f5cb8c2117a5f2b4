import { ValidationError } from '../errors/errors.js'

export interface KeysetPosition {
  ts: number
  id: string
}

/** An opaque keyset cursor: the (timestamp, id) of the last row of the previous page. */
export const encodeCursor = (position: KeysetPosition): string =>
  Buffer.from(JSON.stringify([position.ts, position.id])).toString('base64url')

export function decodeCursor(cursor: string): KeysetPosition {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (Array.isArray(decoded) && Number.isSafeInteger(decoded[0]) && typeof decoded[1] === 'string') {
      return { ts: decoded[0] as number, id: decoded[1] }
    }
  } catch {
    // fall through to the error below
  }
  throw new ValidationError('Invalid cursor: pass next_cursor from a previous page unchanged', [
    { path: 'cursor', code: 'invalid_cursor', message: 'not a cursor issued by this API' },
  ])
}
