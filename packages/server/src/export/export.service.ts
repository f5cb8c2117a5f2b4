import type { ExportFormat, ExportQuery, ExportSummary } from '@interlog/schema'
import type { AuthContext } from '../auth/auth-context.js'
import { ForbiddenError, ValidationError } from '../errors/errors.js'
import type { Clock } from '../runtime/clock.js'
import { parseSearchQuery } from '../search/search-query.js'
import type { ExportFilter } from '../store/store.js'
import type { ExportRecord, ExportSource } from './export-record.js'
import { ExportTally } from './export-tally.js'
import { EXPORT_FORMAT_SPECS } from './formats/formats.js'

export type ExportOutcome = 'completed' | 'failed' | 'aborted'

/** What the audit log (and anything else that watches exports) learns when an export ends. */
export interface ExportFinished {
  auth: AuthContext
  source: string
  filter: ExportFilter
  summary: ExportSummary
  /** `aborted`: the consumer stopped reading (a client that hung up). */
  outcome: ExportOutcome
  dryRun: boolean
  /** Whether archived interactions were read too (include_archived). */
  includeArchived: boolean
}

export interface ExportObserver {
  exportFinished(event: ExportFinished): Promise<void> | void
}

export const ignoreExports: ExportObserver = { exportFinished() {} }

/** A started export: pull `chunks` (once) to produce the file; `summary()` says how far it got. */
export interface ExportRun {
  format: ExportFormat
  filename: string
  mediaType: string
  chunks: AsyncIterable<string>
  summary(): ExportSummary
}

export interface ExportOptions {
  /** Count what would be written and skipped, without producing the text. */
  dryRun?: boolean
  /** Which record source to read; the default is interactions. */
  source?: string
}

const fileTime = (date: Date) => date.toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-')

/**
 * Dataset exports: reads the matching records of a source page by page and writes them in a format,
 * pulling the next page only when the previous one has been consumed, so memory stays flat and a
 * slow reader slows the export rather than filling memory.
 */
export class ExportService {
  private readonly sources: Map<string, ExportSource>

  constructor(
    sources: ExportSource[],
    private readonly clock: Clock,
    private readonly observer: ExportObserver = ignoreExports,
    /** Interactions of the hot store and the archive together, for include_archived. */
    private readonly bothTiers?: ExportSource,
  ) {
    this.sources = new Map(sources.map((source) => [source.name, source]))
  }

  /**
   * Starts an export. Bad input and a failing first read throw here, before anything is sent; a
   * later failure ends the chunks with an error (the HTTP response is then cut off, never completed).
   */
  async open(auth: AuthContext, query: ExportQuery, options: ExportOptions = {}): Promise<ExportRun> {
    const source = this.sourceOf(query, options.source)
    const filter = this.filterOf(auth, query)
    const spec = EXPORT_FORMAT_SPECS[query.format]
    const tally = new ExportTally(query.format, query.max_rows ?? Number.POSITIVE_INFINITY, !options.dryRun)
    const pages = source.pages(auth.tenantId, filter, spec.view)[Symbol.asyncIterator]()
    const first = await pages.next()
    const includeArchived = query.include_archived ?? false
    const finished = (outcome: ExportOutcome) =>
      this.observer.exportFinished({ auth, source: source.name, filter, summary: tally.summary(), outcome, dryRun: options.dryRun ?? false, includeArchived })

    async function* chunks(): AsyncGenerator<string> {
      const writer = spec.create()
      let outcome: ExportOutcome = 'aborted'
      try {
        writer.start(tally)
        for (let step = first; !step.done; step = await pages.next()) {
          // max_rows was reached on the previous page and more records follow.
          if (tally.full) {
            tally.truncated = true
            break
          }
          const written = writePage(step.value)
          // A dry run writes nothing, so nothing was used.
          if (source.written && written.length > 0 && !options.dryRun) await source.written(auth.tenantId, written)
          yield* tally.take()
        }
        writer.end(tally)
        yield* tally.take()
        outcome = 'completed'
      } catch (error) {
        outcome = 'failed'
        throw error
      } finally {
        await pages.return?.()
        // The one place an export ends, however it ends: the audit log hooks in here.
        await finished(outcome)
      }

      /** Writes a page's records until max_rows; answers the ids of those that became rows. */
      function writePage(records: ExportRecord[]): string[] {
        const written: string[] = []
        for (const record of records) {
          if (tally.full) {
            tally.truncated = true
            break
          }
          const before = tally.rowsWritten
          tally.recordsRead += 1
          writer.write(record, tally)
          if (tally.rowsWritten > before) written.push(record.id)
        }
        return written
      }
    }

    return {
      format: query.format,
      filename: `interlog-${query.format}-${fileTime(this.clock.now())}.${spec.extension}`,
      mediaType: spec.mediaType,
      chunks: closingPages(chunks(), pages),
      summary: () => tally.summary(),
    }
  }

  /** Runs the export without producing the file and answers what it would write and skip. */
  async summarize(auth: AuthContext, query: ExportQuery, options: Omit<ExportOptions, 'dryRun'> = {}): Promise<ExportSummary> {
    const run = await this.open(auth, query, { ...options, dryRun: true })
    for await (const _ of run.chunks);
    return run.summary()
  }

  /** How many records match the filters, before any is skipped (for progress bars). */
  count(auth: AuthContext, query: ExportQuery, options: Pick<ExportOptions, 'source'> = {}): Promise<number> {
    return this.sourceOf(query, options.source).count(auth.tenantId, this.filterOf(auth, query))
  }

  /**
   * include_archived reads interactions of both tiers. Examples are never archived, and full-text
   * search has no index in the archive: asking for either with it is refused, naming the field,
   * rather than quietly exporting less than asked.
   */
  private sourceOf(query: ExportQuery, name: string | undefined): ExportSource {
    const source = this.source(name)
    if (!query.include_archived) return source
    if (source.name !== 'interactions' || !this.bothTiers) {
      throw new ValidationError(`Invalid export query: include_archived: only interactions are archived, not ${source.name}`, [
        { path: 'include_archived', code: 'invalid_combination', message: `not with source=${source.name}` },
      ])
    }
    if (query.q !== undefined) {
      throw new ValidationError('Invalid export query: q: full-text search does not reach archived interactions; leave out q or include_archived', [
        { path: 'q', code: 'invalid_combination', message: 'not with include_archived' },
      ])
    }
    return this.bothTiers
  }

  private source(name = 'interactions'): ExportSource {
    const source = this.sources.get(name)
    if (!source) {
      throw new ValidationError(`Unknown export source '${name}'`, [{ path: 'source', code: 'invalid_value', message: `one of ${[...this.sources.keys()].join(', ')}` }])
    }
    return source
  }

  /** A user-bound key exports only its user's rows; asking for another user is refused, as in the list. */
  private filterOf(auth: AuthContext, query: ExportQuery): ExportFilter {
    const { format: _format, max_rows: _max, limit: _limit, offset: _offset, cursor: _cursor, sort: _sort, source: _source, include_archived: _archived, ...filter } = query
    if (filter.q !== undefined) parseSearchQuery(filter.q)
    if (auth.userId === undefined) return filter
    if (filter.user_id !== undefined && filter.user_id !== auth.userId) {
      throw new ForbiddenError(`This key may only export interactions of user '${auth.userId}'`)
    }
    return { ...filter, user_id: auth.userId }
  }
}

/**
 * The export's chunks, closing the source's pages even when the chunks are given up before the first
 * is pulled (returning a generator that never started skips its `finally`): the first page has been
 * read, and a source may hold a lock until its pages are closed.
 */
function closingPages(chunks: AsyncGenerator<string>, pages: AsyncIterator<ExportRecord[]>): AsyncGenerator<string> {
  const giveUp = chunks.return.bind(chunks)
  chunks.return = async (value) => {
    try {
      return await giveUp(value)
    } finally {
      await pages.return?.()
    }
  }
  return chunks
}
