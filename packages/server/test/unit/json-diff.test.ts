import { describe, expect, it } from 'vitest'
import { hasChanges, jsonDiff, MAX_DIFF_PATHS } from '../../src/validations/json-diff.js'

describe('jsonDiff', () => {
  it('names added, removed and modified paths in objects and arrays', () => {
    const original = { title: 'Plan', items: [{ title: 'a', done: false }, { title: 'b' }, { title: 'c' }], owner: { name: 'Ann' } }
    const edited = { title: 'Plan', items: [{ title: 'a', done: true }, { title: 'b' }, { title: 'C', note: 'new' }, { title: 'd' }], due: '2026-01-01' }
    expect(jsonDiff(original, edited)).toEqual({
      added: ['due', 'items[3]', 'items[2].note'],
      removed: ['owner'],
      modified: ['items[0].done', 'items[2].title'],
      truncated: false,
    })
  })

  it('finds nothing between equal values, whatever their key order', () => {
    const diff = jsonDiff({ a: 1, b: [1, 2, { c: null }] }, { b: [1, 2, { c: null }], a: 1 })
    expect(diff).toEqual({ added: [], removed: [], modified: [], truncated: false })
    expect(hasChanges(diff)).toBe(false)
  })

  it('reports a value whose kind changed as one modified path, and the whole value as $', () => {
    expect(jsonDiff({ a: { b: 1 } }, { a: [1] }).modified).toEqual(['a'])
    expect(jsonDiff({ a: null }, { a: {} }).modified).toEqual(['a'])
    expect(jsonDiff({ a: 1 }, { a: '1' }).modified).toEqual(['a'])
    expect(jsonDiff('old text', 'new text')).toEqual({ added: [], removed: [], modified: ['$'], truncated: false })
    expect(jsonDiff([1, 2], [1])).toEqual({ added: [], removed: ['[1]'], modified: [], truncated: false })
    expect(hasChanges(jsonDiff('same', 'same'))).toBe(false)
  })

  it('quotes keys that are not identifiers', () => {
    expect(jsonDiff({ 'first name': 'a', 'x.y': 1, ok: { '0': 1 } }, { 'first name': 'b', ok: { '0': 2 } })).toEqual({
      added: [],
      removed: ['["x.y"]'],
      modified: ['["first name"]', 'ok["0"]'],
      truncated: false,
    })
  })

  it('walks deep values without overflowing the stack', () => {
    let before: unknown = 1
    let after: unknown = 2
    for (let depth = 0; depth < 100_000; depth++) {
      before = { n: before }
      after = { n: after }
    }
    const diff = jsonDiff(before, after)
    expect(diff.modified).toHaveLength(1)
    expect(diff.modified[0]!.split('.')).toHaveLength(100_000)
  })

  it(`lists at most ${MAX_DIFF_PATHS} paths and says so`, () => {
    const before = Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`k${i}`, i]))
    const after = Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`k${i}`, i + 1]))
    const diff = jsonDiff(before, after)
    expect(diff.modified).toHaveLength(MAX_DIFF_PATHS)
    expect(diff.truncated).toBe(true)
    expect(jsonDiff({ a: 1 }, { a: 2 }).truncated).toBe(false)
  })
})
