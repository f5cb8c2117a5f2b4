import S3rver from 's3rver'
import type { S3SinkOptions } from '../../src/archive/s3.sink.js'
import { tempDir } from './databases.js'

export const TEST_BUCKET = 'interlog-archive'

/** An S3-compatible server (s3rver) on a free local port, with one bucket; spoken to over HTTP. */
export async function startS3Server() {
  const dir = tempDir('interlog-s3rver-')
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir.path, configureBuckets: [{ name: TEST_BUCKET }] })
  const { port } = await server.run()
  const endpoint = `http://127.0.0.1:${port}`
  return {
    endpoint,
    /** Sink options for this server; s3rver takes any credentials. */
    sinkOptions(prefix = 'archive'): S3SinkOptions {
      return { bucket: TEST_BUCKET, region: 'us-east-1', endpoint, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', prefix, forcePathStyle: true, storageClass: 'STANDARD' }
    },
    /** The same as INTERLOG_* variables, for a server or CLI process. */
    env(prefix = 'archive'): Record<string, string> {
      return {
        INTERLOG_ARCHIVE_TARGET: 's3',
        INTERLOG_ARCHIVE_S3_BUCKET: TEST_BUCKET,
        INTERLOG_ARCHIVE_S3_ENDPOINT: endpoint,
        INTERLOG_ARCHIVE_S3_REGION: 'us-east-1',
        INTERLOG_ARCHIVE_S3_ACCESS_KEY_ID: 'S3RVER',
        INTERLOG_ARCHIVE_S3_SECRET_ACCESS_KEY: 'S3RVER',
        INTERLOG_ARCHIVE_S3_PREFIX: prefix,
        INTERLOG_ARCHIVE_S3_FORCE_PATH_STYLE: 'true',
      }
    },
    async stop() {
      await server.close()
      dir.remove()
    },
  }
}

export type S3Server = Awaited<ReturnType<typeof startS3Server>>
