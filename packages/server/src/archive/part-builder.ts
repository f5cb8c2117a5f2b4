import { createHash } from 'node:crypto'
import { open, type FileHandle } from 'node:fs/promises'
import { promisify } from 'node:util'
import { gzip as gzipCallback } from 'node:zlib'
import { bloomOf } from './bloom.js'

const gzip = promisify(gzipCallback)

/**
 * Lines are compressed in gzip members of about this size: many times the 32 KB compression window
 * (so the ratio hardly suffers), small enough that compressing starts while rows are still being read.
 */
const MEMBER_CHARS = 256 * 1024

export interface PartStats {
  records: number
  /** Uncompressed JSON lines. */
  rawBytes: number
  compressedBytes: number
  /** Of the compressed bytes, as stored. */
  sha256: string
  fromTs: number
  toTs: number
  usersBloom: string
}

/**
 * One archive object being built: JSON lines go in, gzip members (concatenated, as gzip allows and every
 * gzip reader reads) come out to a staging file — or nowhere, for a dry run that only measures. Members
 * compress on libuv's thread pool while the caller goes on reading rows; appends stay in order.
 */
export class PartBuilder {
  records = 0
  private lines: string[] = []
  private pendingChars = 0
  private rawBytes = 0
  private compressedBytes = 0
  private fromTs = Number.POSITIVE_INFINITY
  private toTs = Number.NEGATIVE_INFINITY
  private readonly users = new Set<string>()
  private readonly hash = createHash('sha256')
  private written: Promise<void> = Promise.resolve()
  private handle?: Promise<FileHandle>

  constructor(
    /** Staging file; undefined for a dry run. */
    readonly file: string | undefined,
    private readonly level: number,
  ) {}

  /** Answers a promise when a member started compressing; awaiting some of them bounds memory. */
  add(line: string, ts: number, userId: string | null): Promise<void> | undefined {
    this.lines.push(line)
    this.pendingChars += line.length + 1
    this.records += 1
    if (ts < this.fromTs) this.fromTs = ts
    if (ts > this.toTs) this.toTs = ts
    if (userId !== null) this.users.add(userId)
    return this.pendingChars >= MEMBER_CHARS ? this.flush() : undefined
  }

  private flush(): Promise<void> {
    if (this.lines.length === 0) return this.written
    this.lines.push('') // for the last line's newline, without copying the joined text again
    const raw = Buffer.from(this.lines.join('\n'))
    this.lines = []
    this.pendingChars = 0
    this.rawBytes += raw.length
    const compressed = gzip(raw, { level: this.level })
    compressed.catch(() => {}) // awaited below, in order; this only stops an early failure being "unhandled"
    this.written = this.written.then(async () => {
      const bytes = await compressed
      this.hash.update(bytes)
      this.compressedBytes += bytes.length
      if (this.file) await (await this.fileHandle()).write(bytes)
    })
    this.written.catch(() => {})
    return this.written
  }

  private fileHandle(): Promise<FileHandle> {
    this.handle ??= open(this.file!, 'w')
    return this.handle
  }

  async finish(): Promise<PartStats> {
    this.flush()
    try {
      await this.written
    } finally {
      if (this.handle) await (await this.handle).close()
    }
    return {
      records: this.records,
      rawBytes: this.rawBytes,
      compressedBytes: this.compressedBytes,
      sha256: this.hash.digest('hex'),
      fromTs: this.fromTs,
      toTs: this.toTs,
      usersBloom: bloomOf(this.users),
    }
  }
}
