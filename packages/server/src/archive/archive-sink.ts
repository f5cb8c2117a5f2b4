import type { Readable } from 'node:stream'
import type { ArchiveTarget } from '@interlog/schema'
import { ValidationError } from '../errors/errors.js'
import { FilesystemSink } from './filesystem.sink.js'
import type { S3SinkOptions } from './s3.sink.js'

/** A body to store: a finished local file (streamed, never read whole into memory) or a small buffer. */
export type SinkBody = { file: string } | Buffer

/**
 * Where archived objects live. Keys are relative paths with '/' separators; every call is idempotent
 * (putting a key again replaces it, deleting a missing key succeeds).
 */
export interface ArchiveSink {
  readonly target: ArchiveTarget
  /** '' or a prefix ending with '/', put in front of every key the archive writes. */
  readonly keyPrefix: string
  /** What GET /v1/archive/batches reports (the S3 storage class, or `filesystem`). */
  readonly storageClass: string
  /** Stores the bodies durably before resolving (a staged file may be moved into place). */
  putAll(entries: { key: string; body: SinkBody }[]): Promise<void>
  /** The object's bytes as a stream; undefined when there is no such object. */
  get(key: string): Promise<Readable | undefined>
  delete(key: string): Promise<void>
  /** Every key under the prefix, sorted. */
  list(prefix: string): Promise<string[]>
}

export interface ArchiveSinkOptions {
  /** Root directory of the filesystem target. */
  directory: string
  /** The S3-compatible target; absent when not configured. */
  s3?: S3SinkOptions
}

/** The configured targets, each created on first use (the S3 client is only loaded when S3 is used). */
export class ArchiveSinks {
  private readonly created = new Map<ArchiveTarget, Promise<ArchiveSink>>()

  constructor(private readonly options: ArchiveSinkOptions) {}

  has(target: ArchiveTarget): boolean {
    return target === 'filesystem' || this.options.s3 !== undefined
  }

  get(target: ArchiveTarget): Promise<ArchiveSink> {
    let sink = this.created.get(target)
    if (!sink) {
      sink = this.create(target)
      this.created.set(target, sink)
    }
    return sink
  }

  private async create(target: ArchiveTarget): Promise<ArchiveSink> {
    if (target === 'filesystem') return new FilesystemSink(this.options.directory)
    const s3 = this.options.s3
    if (!s3) throw new ValidationError(unconfigured, [{ path: 'target', message: unconfigured }])
    const { S3Sink } = await import('./s3.sink.js')
    return new S3Sink(s3)
  }
}

const unconfigured = 'The s3 archive target is not configured on this server (set INTERLOG_ARCHIVE_S3_BUCKET and its companions)'
