import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import type { ArchivableRow } from '../store/archive-store.js'
import { archiveLine, fingerprint } from './archive-record.js'
import { PartBuilder, type PartStats } from './part-builder.js'

/** Members compressing at once per chunk; past this the reader waits, so memory stays flat. */
const MAX_IN_FLIGHT = 4

export interface StagedPart {
  /** '' for interactions without a type. */
  type: string
  /** The staged object; undefined in a dry run. */
  file: string | undefined
  stats: PartStats
}

/**
 * The interactions of one tenant and day that are archived together: one object per type, committed
 * in one transaction. Keeps each row's fingerprint, so the commit can tell whether a row changed
 * between being read and being deleted.
 */
export class ArchiveChunk {
  readonly ids: string[] = []
  records = 0
  private readonly fingerprints = new Map<string, string>()
  private readonly parts = new Map<string, PartBuilder>()
  private readonly inFlight: Promise<void>[] = []

  constructor(
    private readonly tenantId: string,
    /** Where objects are staged; undefined for a dry run, which only measures. */
    private readonly stagingDir: string | undefined,
    private readonly gzipLevel: number,
  ) {}

  /** Answers a promise to await when too much is compressing at once. */
  add(row: ArchivableRow): Promise<void> | undefined {
    const type = row.type ?? ''
    let part = this.parts.get(type)
    if (!part) {
      part = new PartBuilder(this.stagingDir && join(this.stagingDir, `${randomUUID()}.jsonl.gz`), this.gzipLevel)
      this.parts.set(type, part)
    }
    this.records += 1
    if (this.stagingDir !== undefined) {
      this.ids.push(row.id)
      this.fingerprints.set(row.id, fingerprint(row))
    }
    const compressing = part.add(archiveLine(this.tenantId, row), row.ts, row.user_id)
    if (!compressing) return undefined
    this.inFlight.push(compressing)
    return this.inFlight.length > MAX_IN_FLIGHT ? this.inFlight.shift() : undefined
  }

  async finish(): Promise<StagedPart[]> {
    const types = [...this.parts.keys()].sort()
    return Promise.all(types.map(async (type) => ({ type, file: this.parts.get(type)!.file, stats: await this.parts.get(type)!.finish() })))
  }

  /** Whether the rows, as they are now, are the ones that were archived. */
  unchanged(rows: ArchivableRow[]): boolean {
    return rows.every((row) => this.fingerprints.get(row.id) === fingerprint(row))
  }
}
