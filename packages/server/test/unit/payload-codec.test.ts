import type { Interaction } from '@interlog/schema'
import { describe, expect, it } from 'vitest'
import { PayloadCodec } from '../../src/store/kysely/payload-codec.js'

const base: Interaction = { id: 'i1', tenant_id: 't', timestamp: '2026-01-01T00:00:00.000Z', received_at: '2026-01-01T00:00:00.000Z', status: 'success' }
const long = (n: number, word = 'refund ') => word.repeat(Math.ceil(n / word.length)).slice(0, n)

describe('PayloadCodec', () => {
  const codec = new PayloadCodec(1024)

  it('keeps a row under the threshold as plain JSON, without tenant and size', () => {
    const encoded = codec.encode({ ...base, user_message: 'hi', size_bytes: 99 })
    expect(encoded.payload).toBeNull()
    expect(JSON.parse(encoded.data)).toEqual({ id: 'i1', timestamp: base.timestamp, received_at: base.received_at, status: 'success', user_message: 'hi' })
    expect(encoded.sizeBytes).toBe(Buffer.byteLength(encoded.data))
  })

  it('moves each field over the threshold into one compressed payload and puts it back on decode', () => {
    const interaction = { ...base, user_message: long(3000), messages: [{ role: 'user', content: long(5000, 'héllo ') }], assistant_response: 'short', metadata: { a: 1 } }
    const encoded = codec.encode(interaction)
    expect(Object.keys(JSON.parse(encoded.data))).toEqual(['id', 'timestamp', 'received_at', 'status', 'assistant_response', 'metadata'])
    expect(encoded.payload!.length).toBeLessThan(500)
    expect(encoded.sizeBytes).toBe(Buffer.byteLength(JSON.stringify({ ...interaction, tenant_id: undefined })))
    const { tenant_id: _t, ...stored } = interaction
    expect(codec.decode(encoded.data, encoded.payload)).toEqual(stored)
    expect(codec.decode(JSON.parse(encoded.data), encoded.payload)).toEqual(stored)
  })

  it('counts bytes, not characters, and leaves a large row of small fields alone', () => {
    expect(codec.encode({ ...base, user_message: long(400, '€') }).payload).not.toBeNull() // 400 × 3 bytes
    const many = Object.fromEntries(Array.from({ length: 20 }, (_, n) => [`k${n}`, long(200)]))
    expect(codec.encode({ ...base, metadata: undefined, input_variables: many }).payload).not.toBeNull()
    const spread = { ...base, user_message: long(900), assistant_response: long(900), rendered_prompt: long(900) }
    expect(codec.encode(spread).payload).toBeNull()
  })

  it('compresses nothing with a threshold of 0', () => {
    expect(new PayloadCodec(0).encode({ ...base, user_message: long(100_000) }).payload).toBeNull()
  })

  it('refuses a payload it does not know how to read', () => {
    expect(() => codec.decode('{}', Buffer.from('zzz'))).toThrow(/Unknown payload encoding/)
  })
})
