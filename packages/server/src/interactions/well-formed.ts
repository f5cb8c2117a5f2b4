/** String.prototype.isWellFormed / toWellFormed (Node 20), not yet in the ES2022 lib the build targets. */
interface WellFormable {
  isWellFormed(): boolean
  toWellFormed(): string
}

const repaired = (text: string): string => {
  const checked = text as unknown as WellFormable
  return checked.isWellFormed() ? text : checked.toWellFormed()
}

/**
 * The value with every lone UTF-16 surrogate in its strings and keys replaced by U+FFFD. JSON allows
 * `"\ud800"`, and Node parses it, but PostgreSQL's jsonb refuses it: one such item failed the whole
 * group commit it was written in, and with it every other request of that commit. SQLite's UTF-8
 * conversion makes the same replacement, so both stores now keep the same text. Answers the very same
 * value (no copy) when nothing needed replacing, which is nearly always.
 */
export function wellFormed<T>(value: T): T {
  if (typeof value === 'string') return repaired(value) as T
  if (typeof value !== 'object' || value === null) return value
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined
    value.forEach((item: unknown, index) => {
      const fixed = wellFormed(item)
      if (fixed !== item) (copy ??= value.slice())[index] = fixed
    })
    return (copy ?? value) as T
  }
  let copy: Record<string, unknown> | undefined
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key]
    const fixed = wellFormed(item)
    const fixedKey = repaired(key)
    if (fixed === item && fixedKey === key) continue
    copy ??= { ...(value as Record<string, unknown>) }
    if (fixedKey !== key) delete copy[key]
    copy[fixedKey] = fixed
  }
  return (copy ?? value) as T
}
