import type { JsonDiff } from '@interlog/schema'

/** At most this many paths are listed in all; a larger diff is marked truncated. */
export const MAX_DIFF_PATHS = 1000

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** `items[2].title`; keys that are not identifiers in brackets (`meta["first name"]`); `$` for the whole value. */
function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`
  if (IDENTIFIER.test(key)) return parent === '' ? key : `${parent}.${key}`
  return `${parent}[${JSON.stringify(key)}]`
}

/**
 * The paths that an edit added, removed and modified, from `original` to `edited` (JSON values).
 * Objects compare key by key and arrays position by position; a value whose kind changed (an object
 * became a string, say) is one modified path. Walks with its own stack, so depth cannot overflow.
 */
export function jsonDiff(original: unknown, edited: unknown): JsonDiff {
  const diff: JsonDiff = { added: [], removed: [], modified: [], truncated: false }
  let listed = 0
  const note = (list: string[], path: string) => {
    if (listed === MAX_DIFF_PATHS) {
      diff.truncated = true
      return
    }
    list.push(path === '' ? '$' : path)
    listed += 1
  }
  const stack: [string, unknown, unknown][] = [['', original, edited]]
  while (stack.length > 0 && !diff.truncated) {
    const [path, before, after] = stack.pop()!
    if (Array.isArray(before) && Array.isArray(after)) {
      const children: [string, unknown, unknown][] = []
      for (let i = 0; i < Math.max(before.length, after.length); i++) {
        if (i >= after.length) note(diff.removed, childPath(path, i))
        else if (i >= before.length) note(diff.added, childPath(path, i))
        else children.push([childPath(path, i), before[i], after[i]])
      }
      stack.push(...children.reverse())
    } else if (isObject(before) && isObject(after)) {
      const children: [string, unknown, unknown][] = []
      for (const key of Object.keys(before)) {
        if (Object.hasOwn(after, key)) children.push([childPath(path, key), before[key], after[key]])
        else note(diff.removed, childPath(path, key))
      }
      for (const key of Object.keys(after)) if (!Object.hasOwn(before, key)) note(diff.added, childPath(path, key))
      stack.push(...children.reverse())
    } else if (before !== after) {
      note(diff.modified, path)
    }
  }
  return diff
}

export const hasChanges = (diff: JsonDiff) => diff.added.length + diff.removed.length + diff.modified.length > 0
