import { createHash } from 'node:crypto'

/** Bits per element for about a 1% false-positive rate, with 7 probes. */
const BITS_PER_ITEM = 10
const PROBES = 7

function probes(value: string, bits: number): number[] {
  const digest = createHash('sha256').update(value).digest()
  const a = digest.readUInt32LE(0)
  const b = (digest.readUInt32LE(4) | 1) >>> 0
  return Array.from({ length: PROBES }, (_, i) => (a + i * b) % bits)
}

/** A Bloom filter of a set of strings, as base64 ('' for the empty set). */
export function bloomOf(values: Iterable<string>): string {
  const items = [...new Set(values)]
  if (items.length === 0) return ''
  const bits = Math.max(64, items.length * BITS_PER_ITEM)
  const filter = Buffer.alloc(Math.ceil(bits / 8))
  for (const item of items) for (const bit of probes(item, filter.length * 8)) filter[bit >> 3]! |= 1 << (bit & 7)
  return filter.toString('base64')
}

/** False only when `value` is certainly not in the set. */
export function bloomMayContain(bloom: string, value: string): boolean {
  if (bloom === '') return false
  const filter = Buffer.from(bloom, 'base64')
  return probes(value, filter.length * 8).every((bit) => (filter[bit >> 3]! & (1 << (bit & 7))) !== 0)
}
