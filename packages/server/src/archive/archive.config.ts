import { join } from 'node:path'
import type { ArchiveTarget } from '@interlog/schema'
import type { Config } from '../config/config.js'
import type { ArchiveSinkOptions } from './archive-sink.js'
import type { ArchiveServiceOptions } from './archive.service.js'

export interface ArchiveSetup {
  sinks: ArchiveSinkOptions
  defaultTarget: ArchiveTarget
  service: ArchiveServiceOptions
}

/**
 * Chunks of 20,000 interactions keep each SQLite write transaction (which holds up ingest meanwhile)
 * to about 1.4 s of CPU with a million hot rows (measured; larger chunks cost fewer page writes per row
 * but pause ingest longer).
 */
const CHUNKING = { chunkRecords: 20_000, pageRows: 2_000 }

/** The archive's part of the configuration. */
export function archiveSetupFrom(config: Config): ArchiveSetup {
  return {
    sinks: {
      directory: config.archiveDir ?? join(config.dataDir, 'archive'),
      s3: config.archiveS3Bucket
        ? {
            bucket: config.archiveS3Bucket,
            region: config.archiveS3Region,
            endpoint: config.archiveS3Endpoint,
            accessKeyId: config.archiveS3AccessKeyId,
            secretAccessKey: config.archiveS3SecretAccessKey,
            prefix: config.archiveS3Prefix,
            forcePathStyle: config.archiveS3ForcePathStyle,
            storageClass: config.archiveS3StorageClass,
          }
        : undefined,
    },
    defaultTarget: config.archiveTarget,
    service: {
      stagingDir: join(config.dataDir, 'archive-staging'),
      prices: { hotGbMonthUsd: config.archiveHotGbMonthUsd, coldGbMonthUsd: config.archiveColdGbMonthUsd },
      settings: { ...CHUNKING, gzipLevel: config.archiveGzipLevel },
      lockWaitMs: 60_000,
    },
  }
}
