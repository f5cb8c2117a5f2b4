import { createHash } from 'node:crypto'
import { createInterface } from 'node:readline'
import { pipeline } from 'node:stream/promises'
import { createGunzip } from 'node:zlib'
import type { ArchiveSink } from './archive-sink.js'

/** An archived object is missing or does not match what was recorded for it. */
export class ArchiveObjectError extends Error {}

export interface ExpectedObject {
  sha256: string
  compressedBytes: number
}

/**
 * Reads the object back from the sink: its bytes must be exactly the ones written (length and SHA-256).
 * Only then may the hot rows go.
 */
export async function verifyObject(sink: ArchiveSink, key: string, expected: ExpectedObject): Promise<void> {
  const body = await sink.get(key)
  if (!body) throw new ArchiveObjectError(`Archive object '${key}' is missing`)
  const hash = createHash('sha256')
  let bytes = 0
  for await (const chunk of body as AsyncIterable<Buffer>) {
    hash.update(chunk)
    bytes += chunk.length
  }
  const sha256 = hash.digest('hex')
  if (sha256 !== expected.sha256 || bytes !== expected.compressedBytes) {
    throw new ArchiveObjectError(
      `Archive object '${key}' does not verify: ${bytes} bytes with sha256 ${sha256}; expected ${expected.compressedBytes} bytes with sha256 ${expected.sha256}`,
    )
  }
}

/** The JSON lines of an object, streamed: memory stays flat whatever its size. */
export async function* readLines(sink: ArchiveSink, key: string): AsyncGenerator<string> {
  const body = await sink.get(key)
  if (!body) throw new ArchiveObjectError(`Archive object '${key}' is missing`)
  const gunzip = createGunzip()
  const piped = pipeline(body, gunzip)
  piped.catch(() => {}) // a failure surfaces through the line reader below
  try {
    for await (const line of createInterface({ input: gunzip, crlfDelay: Number.POSITIVE_INFINITY })) {
      if (line !== '') yield line
    }
    await piped
  } finally {
    body.destroy()
    gunzip.destroy()
  }
}
