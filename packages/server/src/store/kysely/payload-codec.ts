import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib'
import type { Interaction } from '@interlog/schema'

/** First byte of a payload: how the rest is compressed, so the format can change without a migration. */
const BROTLI = 0x62 // 'b'
/** Brotli quality 4: about 4.5× smaller JSON text at a fraction of the default (11) quality's time. */
const QUALITY = 4

export const DEFAULT_COMPRESS_THRESHOLD_BYTES = 10 * 1024

export interface EncodedInteraction {
  /** The interaction's JSON without tenant, size and the fields that went to the payload. */
  data: string
  payload: Buffer | null
  /** Bytes of the whole interaction's JSON, uncompressed. */
  sizeBytes: number
}

/**
 * Stores payload fields larger than a threshold compressed: each top-level field whose JSON is over
 * `thresholdBytes` goes into one brotli-compressed JSON object beside the row's JSON, and comes back
 * on decode. Small rows (the usual case) cost one length check. A threshold of 0 turns it off.
 */
export class PayloadCodec {
  constructor(readonly thresholdBytes: number) {}

  encode(interaction: Interaction): EncodedInteraction {
    const { tenant_id: _tenant, size_bytes: _size, ...rest } = interaction
    const json = JSON.stringify(rest)
    const sizeBytes = Buffer.byteLength(json)
    if (this.thresholdBytes === 0 || sizeBytes <= this.thresholdBytes) return { data: json, payload: null, sizeBytes }
    const kept: Record<string, unknown> = {}
    const large: string[] = []
    for (const [field, value] of Object.entries(rest)) {
      if (value === undefined) continue
      const fieldJson = JSON.stringify(value)
      if (Buffer.byteLength(fieldJson) > this.thresholdBytes) large.push(`${JSON.stringify(field)}:${fieldJson}`)
      else kept[field] = value
    }
    if (large.length === 0) return { data: json, payload: null, sizeBytes }
    return { data: JSON.stringify(kept), payload: compress(`{${large.join(',')}}`), sizeBytes }
  }

  /** The stored JSON (text, or already parsed from JSONB) with the compressed fields put back. */
  decode(data: unknown, payload: Buffer | null): Record<string, unknown> {
    const body = (typeof data === 'string' ? JSON.parse(data) : data) as Record<string, unknown>
    return payload ? Object.assign(body, decompress(payload)) : body
  }
}

function compress(json: string): Buffer {
  const text = Buffer.from(json)
  const compressed = brotliCompressSync(text, {
    params: { [constants.BROTLI_PARAM_QUALITY]: QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: text.length, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT },
  })
  return Buffer.concat([Buffer.of(BROTLI), compressed])
}

function decompress(payload: Buffer): Record<string, unknown> {
  if (payload[0] !== BROTLI) throw new Error(`Unknown payload encoding ${payload[0]}`)
  return JSON.parse(brotliDecompressSync(payload.subarray(1)).toString('utf8')) as Record<string, unknown>
}
