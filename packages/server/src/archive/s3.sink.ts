import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, type StorageClass } from '@aws-sdk/client-s3'
import { eachLimited, PARALLEL_OBJECTS } from './each-limited.js'
import type { ArchiveSink, SinkBody } from './archive-sink.js'

export interface S3SinkOptions {
  bucket: string
  region: string
  /** For R2, MinIO and other S3-compatible stores; AWS when absent. */
  endpoint?: string
  accessKeyId?: string
  secretAccessKey?: string
  /** Put in front of every key ('' for none); a trailing '/' is added. */
  prefix: string
  /** Path-style URLs (`endpoint/bucket/key`), as MinIO and s3rver need. */
  forcePathStyle: boolean
  storageClass: string
}

const isMissing = (error: unknown) => {
  const name = (error as { name?: string }).name
  return name === 'NoSuchKey' || name === 'NotFound' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404
}

/**
 * Objects in an S3-compatible bucket through the official client. Checksums are our own (SHA-256 in
 * the manifest, verified by reading back), so the client's extra CRC headers are only sent where the
 * API requires them: several S3-compatible stores reject them.
 */
export class S3Sink implements ArchiveSink {
  readonly target = 's3' as const
  readonly keyPrefix: string
  readonly storageClass: string
  private readonly client: S3Client
  private readonly bucket: string

  constructor(options: S3SinkOptions) {
    this.bucket = options.bucket
    this.storageClass = options.storageClass
    const prefix = options.prefix.replace(/^\/+|\/+$/g, '')
    this.keyPrefix = prefix === '' ? '' : `${prefix}/`
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle,
      credentials:
        options.accessKeyId && options.secretAccessKey ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } : undefined,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    })
  }

  async putAll(entries: { key: string; body: SinkBody }[]): Promise<void> {
    await eachLimited(entries, PARALLEL_OBJECTS, ({ key, body }) => this.put(key, body))
  }

  private async put(key: string, body: SinkBody): Promise<void> {
    const [content, length] = Buffer.isBuffer(body) ? [body, body.length] : [createReadStream(body.file), (await stat(body.file)).size]
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: content,
        ContentLength: length,
        ContentType: key.endsWith('.json') ? 'application/json' : 'application/gzip',
        StorageClass: this.storageClass as StorageClass,
      }),
    )
  }

  async get(key: string): Promise<Readable | undefined> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }))
      return object.Body as Readable
    } catch (error) {
      if (isMissing(error)) return undefined
      throw error
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }))
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = []
    let token: string | undefined
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }))
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key)
      token = page.IsTruncated ? page.NextContinuationToken : undefined
    } while (token)
    return keys.sort()
  }
}
