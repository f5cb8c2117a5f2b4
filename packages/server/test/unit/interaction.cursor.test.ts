import { describe, expect, it } from 'vitest'
import { decodeCursor, encodeCursor } from '../../src/interactions/interaction.cursor.js'

describe('keyset cursor', () => {
  it('round-trips a position', () => {
    const position = { ts: 1767225600000, id: 'a/b+c=d' }
    expect(decodeCursor(encodeCursor(position))).toEqual(position)
  })

  it('round-trips a position with a sort value', () => {
    const position = { ts: 1767225600000, id: 'x', key: 812.5 }
    expect(decodeCursor(encodeCursor(position), true)).toEqual(position)
  })

  it('rejects anything it did not issue with a 400 naming the cursor', () => {
    for (const bad of ['nope', Buffer.from('[1.5,"x"]').toString('base64url'), Buffer.from('{"ts":1}').toString('base64url')]) {
      expect(() => decodeCursor(bad)).toThrow(expect.objectContaining({ status: 400, details: { issues: [expect.objectContaining({ path: 'cursor' })] } }))
    }
  })

  it('rejects a cursor of another sort', () => {
    const byTime = encodeCursor({ ts: 1, id: 'a' })
    const byLatency = encodeCursor({ ts: 1, id: 'a', key: 5 })
    expect(() => decodeCursor(byTime, true)).toThrow(expect.objectContaining({ status: 400 }))
    expect(() => decodeCursor(byLatency, false)).toThrow(expect.objectContaining({ status: 400 }))
    expect(() => decodeCursor(Buffer.from('[1,"a","x"]').toString('base64url'), true)).toThrow(expect.objectContaining({ status: 400 }))
  })
})
