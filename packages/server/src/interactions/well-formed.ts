import { ValidationError } from '../errors/errors.js'

/** String.prototype.isWellFormed / toWellFormed (Node 20), not yet in the ES2022 lib the build targets. */
interface WellFormable {
  isWellFormed(): boolean
  toWellFormed(): string
}

/**
 * Deeper JSON than this is refused: far beyond any real metadata, and a recursive walk (ours, the
 * driver's, PostgreSQL's jsonb parser) over thousands of levels overflows its stack.
 */
export const MAX_JSON_DEPTH = 64

/** Whether both stores keep the string as it is (no lone surrogate, no NUL). */
export function isStorableText(text: string): boolean {
  return (text as unknown as WellFormable).isWellFormed() && !text.includes('\0')
}

const repaired = (text: string): string => (isStorableText(text) ? text : (text as unknown as WellFormable).toWellFormed().replaceAll('\0', '\uFFFD'))

/**
 * The value with every lone UTF-16 surrogate and every NUL in its strings and keys replaced by U+FFFD.
 * JSON allows `"\ud800"` and `"\u0000"`, and Node parses them, but PostgreSQL's jsonb and text refuse
 * them: one such item failed the whole group commit it was written in, and with it every other request
 * of that commit. SQLite's UTF-8 conversion replaces lone surrogates the same way, so both stores keep
 * the same text. Answers the very same value (no copy) when nothing needed replacing, which is nearly
 * always. Nesting deeper than MAX_JSON_DEPTH is a ValidationError naming the path.
 */
export function wellFormed<T>(value: T): T {
  return walk(value, [])
}

function walk<T>(value: T, path: (string | number)[]): T {
  if (typeof value === 'string') return repaired(value) as T
  if (typeof value !== 'object' || value === null) return value
  if (path.length >= MAX_JSON_DEPTH) {
    const at = path.join('.')
    throw new ValidationError(`'${path[0]}' is nested more than ${MAX_JSON_DEPTH} levels deep`, [
      { path: at, code: 'too_deep', message: `nested more than ${MAX_JSON_DEPTH} levels deep` },
    ])
  }
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined
    value.forEach((item: unknown, index) => {
      path.push(index)
      const fixed = walk(item, path)
      path.pop()
      if (fixed !== item) (copy ??= value.slice())[index] = fixed
    })
    return (copy ?? value) as T
  }
  let copy: Record<string, unknown> | undefined
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key]
    path.push(key)
    const fixed = walk(item, path)
    path.pop()
    const fixedKey = repaired(key)
    if (fixed === item && fixedKey === key) continue
    copy ??= { ...(value as Record<string, unknown>) }
    if (fixedKey !== key) delete copy[key]
    copy[fixedKey] = fixed
  }
  return (copy ?? value) as T
}
