/**
 * UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter, then 62 random bits.
 * Ids sort by creation time, so the server's indexes stay append-friendly, and they are made on the
 * client so an app can attach feedback before the event has even been sent.
 */

export type FillRandom = (bytes: Uint8Array) => void

const HEX: string[] = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'))
// Random bytes are drawn in bulk: one getRandomValues call per 400 ids keeps id creation cheap.
// Each id takes 2 bytes to seed the counter and 8 for the random tail.
const BYTES_PER_ID = 10
const POOL_SIZE = 400 * BYTES_PER_ID

export function defaultFillRandom(bytes: Uint8Array): void {
  globalThis.crypto.getRandomValues(bytes)
}

export function createUuidV7Generator(now: () => number, fillRandom: FillRandom = defaultFillRandom): () => string {
  const pool = new Uint8Array(POOL_SIZE)
  let poolOffset = POOL_SIZE
  let lastMs = -1
  let counter = 0

  return function uuidv7(): string {
    if (poolOffset + BYTES_PER_ID > POOL_SIZE) {
      fillRandom(pool)
      poolOffset = 0
    }
    const r = poolOffset
    poolOffset += BYTES_PER_ID

    let ms = Math.max(Math.floor(now()), 0)
    if (ms > lastMs) {
      lastMs = ms
      // Start the counter in its lower half so many ids in one millisecond still fit before it wraps.
      counter = ((pool[r]! << 8) | pool[r + 1]!) & 0x7ff
    } else {
      // Same millisecond (or a clock that stepped back): keep ids increasing with the counter;
      // when it wraps, borrow the next millisecond rather than break the order.
      ms = lastMs
      counter++
      if (counter > 0xfff) {
        lastMs++
        ms = lastMs
        counter = 0
      }
    }

    const high = Math.floor(ms / 0x1000000) // upper 24 bits of the 48-bit time
    const low = ms % 0x1000000 // lower 24 bits
    return (
      HEX[(high >>> 16) & 0xff]! +
      HEX[(high >>> 8) & 0xff]! +
      HEX[high & 0xff]! +
      HEX[(low >>> 16) & 0xff]! +
      '-' +
      HEX[(low >>> 8) & 0xff]! +
      HEX[low & 0xff]! +
      '-' +
      HEX[0x70 | (counter >>> 8)]! +
      HEX[counter & 0xff]! +
      '-' +
      HEX[0x80 | (pool[r + 2]! & 0x3f)]! +
      HEX[pool[r + 3]!]! +
      '-' +
      HEX[pool[r + 4]!]! +
      HEX[pool[r + 5]!]! +
      HEX[pool[r + 6]!]! +
      HEX[pool[r + 7]!]! +
      HEX[pool[r + 8]!]! +
      HEX[pool[r + 9]!]!
    )
  }
}

/** A UUIDv7 from the system clock and crypto randomness, for ids made ahead of a call. */
export const uuidv7: () => string = createUuidV7Generator(() => Date.now())
