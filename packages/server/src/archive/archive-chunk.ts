import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import type { ArchivableRow } from '../store/archive-store.js'
import { eachLimited } from './each-limited.js'
import { startOfUtcDay, utcDay } from './archive-keys.js'
import { archiveLine } from './archive-record.js'
import { PartBuilder, type PartStats } from './part-builder.js'

/** Members compressing at once per chunk; past this the reader waits, so memory stays flat. */
const MAX_IN_FLIGHT = 4

/** Past this many objects a chunk is committed, so open files and objects per transaction stay bounded. */
export const MAX_PARTS = 256
const PARALLEL_FINISH = 8

export interface StagedPart {
  /** '' for interactions without a type. */
  type: string
  /** YYYY-MM-DD (UTC) of every interaction in it. */
  day: string
  /** The staged object; undefined in a dry run. */
  file: string | undefined
  stats: PartStats
}

/**
 * Interactions of one tenant that are archived together, in one transaction: one object per type and
 * UTC day they cover.
 */
export class ArchiveChunk {
  readonly ids: string[] = []
  records = 0
  /** The latest ts in the chunk. */
  lastTs = Number.NEGATIVE_INFINITY
  private readonly parts = new Map<string, { type: string; day: string; builder: PartBuilder }>()
  private readonly inFlight: Promise<void>[] = []

  constructor(
    private readonly tenantId: string,
    /** Where objects are staged; undefined for a dry run, which only measures. */
    private readonly stagingDir: string | undefined,
    private readonly gzipLevel: number,
  ) {}

  /** Whether the row needs an object the chunk has no room for. */
  full(row: ArchivableRow): boolean {
    return this.parts.size >= MAX_PARTS && !this.parts.has(partKey(row))
  }

  /** Answers a promise to await when too much is compressing at once. */
  add(row: ArchivableRow): Promise<void> | undefined {
    const key = partKey(row)
    let part = this.parts.get(key)
    if (!part) {
      const builder = new PartBuilder(this.stagingDir && join(this.stagingDir, `${randomUUID()}.jsonl.gz`), this.gzipLevel)
      part = { type: row.type ?? '', day: utcDay(row.ts), builder }
      this.parts.set(key, part)
    }
    this.records += 1
    if (row.ts > this.lastTs) this.lastTs = row.ts
    this.ids.push(row.id)
    const compressing = part.builder.add(archiveLine(this.tenantId, row), row.ts, row.user_id)
    if (!compressing) return undefined
    this.inFlight.push(compressing)
    return this.inFlight.length > MAX_IN_FLIGHT ? this.inFlight.shift() : undefined
  }

  async finish(): Promise<StagedPart[]> {
    const parts = [...this.parts.values()].sort((a, b) => a.day.localeCompare(b.day) || a.type.localeCompare(b.type))
    const staged: StagedPart[] = []
    await eachLimited(parts, PARALLEL_FINISH, async ({ type, day, builder }) => {
      staged.push({ type, day, file: builder.file, stats: await builder.finish() })
    })
    return staged.sort((a, b) => a.day.localeCompare(b.day) || a.type.localeCompare(b.type))
  }
}

const partKey = (row: ArchivableRow) => `${row.type ?? ''}\u0000${startOfUtcDay(row.ts)}`
