import { describe, expect, it } from 'vitest'
import { createUuidV7Generator, uuidv7 } from '../src/uuidv7.js'

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const millisOf = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16)

describe('uuidv7', () => {
  it('has the version and variant bits and the creation time in its first 48 bits', () => {
    const at = Date.parse('2026-11-21T10:00:00.123Z')
    const id = createUuidV7Generator(() => at)()
    expect(id).toMatch(UUID_V7)
    expect(millisOf(id)).toBe(at)
  })

  it('stays strictly increasing within one millisecond and when the clock steps back', () => {
    let clock = 1_800_000_000_000
    const next = createUuidV7Generator(() => clock)
    const made: string[] = []
    for (let n = 0; n < 5000; n++) made.push(next()) // more than the 12-bit counter holds in one ms
    clock -= 10
    made.push(next())
    expect([...made].sort()).toEqual(made)
    expect(new Set(made).size).toBe(made.length)
    expect(made.every((id) => UUID_V7.test(id))).toBe(true)
  })

  it('draws its random tail from the random source', () => {
    const zeros = createUuidV7Generator(() => 0, (bytes) => bytes.fill(0))()
    const ones = createUuidV7Generator(() => 0, (bytes) => bytes.fill(0xff))()
    expect(zeros).toBe('00000000-0000-7000-8000-000000000000')
    expect(ones).toBe('00000000-0000-77ff-bfff-ffffffffffff')
  })

  it('the shared generator makes distinct ids', () => {
    const made = Array.from({ length: 10_000 }, () => uuidv7())
    expect(new Set(made).size).toBe(made.length)
  })
})
