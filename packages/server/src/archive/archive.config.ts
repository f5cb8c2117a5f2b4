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
 * but pause ingest longer). gzip level 5: on interaction JSON, level 6 compressed only ~3% smaller at less
 * than half the speed (measured; see docs/benchmarks.md).
 */
export const DEFAULT_ARCHIVER_SETTINGS = { chunkRecords: 20_000, pageRows: 2_000, gzipLevel: 5 }

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
      settings: DEFAULT_ARCHIVER_SETTINGS,
      lockWaitMs: 60_000,
    },
  }
}
