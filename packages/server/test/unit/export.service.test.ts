import { ExportQuery } from '@interlog/schema'
import { describe, expect, it } from 'vitest'
import type { AuthContext } from '../../src/auth/auth-context.js'
import { ForbiddenError, ValidationError } from '../../src/errors/errors.js'
import type { ExportRecord, ExportSource } from '../../src/export/export-record.js'
import { ExportService, type ExportFinished } from '../../src/export/export.service.js'
import type { ExportFilter } from '../../src/store/store.js'
import { aRecord } from './export-formats.support.js'

const auth = (userId?: string): AuthContext => ({ keyId: 'k1', tenantId: 'acme', scopes: new Set(['export']), isRoot: false, ...(userId ? { userId } : {}) })
const clock = { now: () => new Date('2026-03-04T05:06:07.890Z') }
const query = (raw: Record<string, string> = {}) => ExportQuery.parse(raw)

/** A source that serves fixed pages and remembers what it was asked and told. */
class FakeSource implements ExportSource {
  readonly name = 'interactions'
  filters: ExportFilter[] = []
  views: string[] = []
  writtenIds: string[][] = []
  pagesServed = 0

  constructor(
    private readonly pageList: ExportRecord[][],
    private readonly failOnPage?: number,
  ) {}

  async *pages(_tenantId: string, filter: ExportFilter, view: string) {
    this.filters.push(filter)
    this.views.push(view)
    for (const [index, page] of this.pageList.entries()) {
      if (index === this.failOnPage) throw new Error('database went away')
      this.pagesServed += 1
      yield page
    }
  }

  async count() {
    return this.pageList.flat().length
  }

  async written(_tenantId: string, ids: string[]) {
    this.writtenIds.push(ids)
  }
}

function serviceWith(source: FakeSource) {
  const finished: ExportFinished[] = []
  const service = new ExportService([source], clock, { exportFinished: (event) => void finished.push(event) })
  return { service, finished }
}

const collect = async (chunks: AsyncIterable<string>) => {
  let text = ''
  for await (const chunk of chunks) text += chunk
  return text
}

const chats = (n: number) => Array.from({ length: n }, (_, i) => aRecord({ user_message: `q${i}`, assistant_response: `a${i}` }))

describe('ExportService', () => {
  it('streams every page in the format, names the file, and reports once it completes', async () => {
    const pages = [chats(2), [aRecord({ user_message: 'no answer' }), ...chats(1)]]
    const source = new FakeSource(pages)
    const { service, finished } = serviceWith(source)
    const run = await service.open(auth(), query({ format: 'openai-chat', type: 'chat' }))
    expect(run).toMatchObject({ filename: 'interlog-openai-chat-2026-03-04T05-06-07Z.jsonl', mediaType: 'application/x-ndjson; charset=utf-8' })
    expect(finished).toEqual([])
    const text = await collect(run.chunks)
    expect(text.trim().split('\n')).toHaveLength(3)
    expect(source.views).toEqual(['conversation'])
    expect(source.filters).toEqual([{ type: 'chat' }])
    expect(source.writtenIds).toEqual([[pages[0]![0]!.id, pages[0]![1]!.id], [pages[1]![1]!.id]])
    expect(finished).toHaveLength(1)
    expect(finished[0]).toMatchObject({ outcome: 'completed', dryRun: false, source: 'interactions', summary: { records_read: 4, rows_written: 3, skipped: { no_assistant_message: 1 } } })
  })

  it('reads only as far as the consumer pulls', async () => {
    const source = new FakeSource([chats(2), chats(2), chats(2)])
    const { service, finished } = serviceWith(source)
    const run = await service.open(auth(), query({ format: 'jsonl' }))
    for await (const _ of run.chunks) break
    expect(source.pagesServed).toBe(1)
    expect(finished.map((event) => event.outcome)).toEqual(['aborted'])
  })

  it('stops at max_rows and says so', async () => {
    const { service } = serviceWith(new FakeSource([chats(3), chats(3)]))
    const run = await service.open(auth(), query({ format: 'json', max_rows: '4' }))
    expect(JSON.parse(await collect(run.chunks))).toHaveLength(4)
    expect(run.summary()).toMatchObject({ rows_written: 4, records_read: 4, truncated: true })
    // Reached at the end of a page: truncated when another page follows, not when none does.
    const atBoundary = await service.open(auth(), query({ format: 'jsonl', max_rows: '3' }))
    await collect(atBoundary.chunks)
    expect(atBoundary.summary()).toMatchObject({ rows_written: 3, truncated: true })
    const { service: single } = serviceWith(new FakeSource([chats(3)]))
    const exact = await single.open(auth(), query({ format: 'jsonl', max_rows: '3' }))
    await collect(exact.chunks)
    expect(exact.summary()).toMatchObject({ rows_written: 3, truncated: false })
  })

  it('a dry run counts without producing text', async () => {
    const { service, finished } = serviceWith(new FakeSource([chats(2), [aRecord({ assistant_response: 'orphan' })]]))
    const summary = await service.summarize(auth(), query({ format: 'trl' }))
    expect(summary).toEqual({ format: 'trl', records_read: 3, rows_written: 2, skipped_count: 1, skipped: { no_input: 1 }, truncated: false })
    expect(finished[0]).toMatchObject({ dryRun: true, outcome: 'completed' })
  })

  it("narrows a user-bound key to its user and refuses another user's rows", async () => {
    const source = new FakeSource([chats(1)])
    const { service } = serviceWith(source)
    await collect((await service.open(auth('u7'), query({ format: 'jsonl', with_feedback_only: 'true' }))).chunks)
    expect(source.filters).toEqual([{ user_id: 'u7', with_feedback_only: true }])
    await expect(service.open(auth('u7'), query({ user_id: 'u8' }))).rejects.toBeInstanceOf(ForbiddenError)
  })

  it('rejects a malformed search before anything is sent, naming q', async () => {
    const { service } = serviceWith(new FakeSource([chats(1)]))
    const error = await service.open(auth(), query({ q: '"unclosed' })).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).issues[0]!.path).toBe('q')
  })

  it('fails in open() when the first read fails, and ends the stream with the error on a later one', async () => {
    const { service: broken } = serviceWith(new FakeSource([chats(1)], 0))
    await expect(broken.open(auth(), query())).rejects.toThrow('database went away')
    const { service, finished } = serviceWith(new FakeSource([chats(1), chats(1)], 1))
    const run = await service.open(auth(), query())
    await expect(collect(run.chunks)).rejects.toThrow('database went away')
    expect(finished.map((event) => event.outcome)).toEqual(['failed'])
  })

  it('accepts and ignores the list paging parameters', () => {
    expect(query({ limit: '50', offset: '0', cursor: 'abc', sort: 'newest', format: 'csv' })).toMatchObject({ format: 'csv' })
    expect(ExportQuery.safeParse({ format: 'xml' }).success).toBe(false)
    expect(ExportQuery.safeParse({ formt: 'csv' }).success).toBe(false)
  })
})
