import { AuditLogQuery, ExportQuery, type Feedback, type InteractionInput, type Validation } from '@interlog/schema'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { localRootContext } from '../../src/auth/auth-context.js'
import { ARCHIVE_COMBINATIONS, archiveWorld, OLD_DAYS, type ArchiveWorld } from '../support/archive-world.js'
import { startS3Server, type S3Server } from '../support/s3-server.js'

let s3: S3Server
beforeAll(async () => {
  s3 = await startS3Server()
})
afterAll(async () => {
  await s3?.stop()
})

/** Besides the world's fixture: a failure, flagged and rated interactions, two corrections, and a preference pair across the tiers. */
const EXTRA: InteractionInput[] = [
  { id: 'old-failure', timestamp: '2026-02-07T10:00:00.000Z', user_id: 'bob', type: 'chat', user_message: 'why', error_type: 'Timeout', error_message: 'boom' },
  { id: 'old-pair', timestamp: '2026-02-09T10:00:00.000Z', user_id: 'cat', user_message: 'same question', assistant_response: 'bad answer' },
  { id: 'hot-pair', timestamp: '2026-03-14T10:00:00.000Z', user_id: 'cat', user_message: 'same question', assistant_response: 'good answer' },
]
const feedback = (id: string, interaction_id: string, kind: Feedback['kind'], quality_score: number | null, correction: unknown, created_at: string): Feedback =>
  ({ id, interaction_id, kind, sentiment: null, quality_score, comment: null, correction, categories: [], edit_distance: null, created_at }) as Feedback
const FEEDBACK = [
  feedback('fb-down', '2026-02-06-2', 'thumbs_down', 10, null, '2026-02-07T00:00:00.000Z'),
  feedback('fb-up', '2026-02-08-3', 'thumbs_up', 90, null, '2026-02-09T00:00:00.000Z'),
  feedback('fb-fix-1', '2026-02-05-1', 'modified', 60, 'first fix', '2026-02-06T01:00:00.000Z'),
  feedback('fb-fix-2', '2026-02-05-1', 'modified', 70, 'second fix', '2026-02-06T02:00:00.000Z'),
  feedback('fb-pair-bad', 'old-pair', 'thumbs_down', 5, null, '2026-02-10T00:00:00.000Z'),
  feedback('fb-pair-good', 'hot-pair', 'thumbs_up', 95, null, '2026-03-14T11:00:00.000Z'),
]
/** A validated old interaction (rated too): its latest validation is exported the same from either tier. */
const VALIDATION: Validation = {
  id: 'val-1',
  interaction_id: '2026-02-05-1',
  passed: true,
  score: 88,
  errors: [],
  warnings: ['short'],
  duration_ms: 3,
  original: 'draft',
  edited: null,
  diff: null,
  user_edited: false,
  created_at: '2026-02-06T03:00:00.000Z',
}

/** Every format, and the list and training filters: each must write the same rows from the archive as it did from the hot store. */
const QUERIES: Record<string, string>[] = [
  { format: 'jsonl' },
  { format: 'json' },
  { format: 'csv' },
  { format: 'openai-chat' },
  { format: 'openai-dpo' },
  { format: 'trl' },
  { format: 'jsonl', user_id: 'bob', type: 'chat' },
  { format: 'jsonl', tag: 'first', from: '2026-02-03T00:00:00.000Z', to: '2026-02-08T00:00:00.000Z' },
  { format: 'jsonl', min_latency_ms: '102', max_latency_ms: '102' },
  { format: 'openai-chat', with_feedback_only: 'true' },
  { format: 'openai-chat', success_only: 'true', user_id: 'bob' },
  { format: 'jsonl', min_quality: '50' },
  { format: 'jsonl', exclude_flagged: 'true', type: 'outline' },
  { format: 'jsonl', feedback_kind: 'thumbs_down' },
  { format: 'trl', max_quality_score: '65' },
]

/**
 * `include_archived=true` on real stores and real archive targets: archived interactions come back as
 * the very rows the hot store exported before they were archived (each once, after the hot ones),
 * with every filter and format, and nothing can move a row between the tiers while an export runs.
 */
describe.each(ARCHIVE_COMBINATIONS)('exports with archived interactions on %s, %s target', (kind, target) => {
  let world: ArchiveWorld
  let counter = 0
  beforeEach(async () => {
    world = await archiveWorld(kind, target, s3, `exp_${kind}_${target}_${++counter}`)
    await world.services.interactions.ingestMany(localRootContext(world.tenantId), EXTRA)
    for (const item of FEEDBACK) expect(await world.services.store.feedback.add(world.tenantId, item, {})).toBeDefined()
    expect(await world.services.store.validations.add(world.tenantId, VALIDATION, {})).toBeDefined()
  })
  afterEach(async () => {
    await world?.close()
  })

  const auth = () => localRootContext(world.tenantId)
  const archive = async () => {
    const summary = await world.services.archive.run({ actor: auth(), tenantIds: [world.tenantId], dryRun: false })
    expect(summary.totals.records).toBe(OLD_DAYS.length * 4 + 2)
  }
  /** The export's rows (lines, array items or CSV records) and its summary. */
  const exported = async (raw: Record<string, string>) => {
    const run = await world.services.exports.open(auth(), ExportQuery.parse(raw))
    let text = ''
    for await (const chunk of run.chunks) text += chunk
    return { rows: rowsOf(raw.format!, text), summary: run.summary() }
  }
  const ids = (rows: string[]) => rows.map((row) => (JSON.parse(row) as { id: string }).id)

  it('writes each archived interaction once, after the hot ones, as the hot store wrote it, in every format and with every filter', async () => {
    const before = []
    for (const query of QUERIES) before.push(await exported(query))
    await archive()
    expect(ids((await exported({ format: 'jsonl' })).rows)).toEqual(['hot-pair', 'recent-2', 'recent-1', 'recent-0'])

    for (const [index, query] of QUERIES.entries()) {
      const after = await exported({ ...query, include_archived: 'true' })
      expect({ query, summary: after.summary }).toEqual({ query, summary: before[index]!.summary })
      expect(after.rows.sort()).toEqual(before[index]!.rows.sort())
    }

    // Hot first (newest first), then archived, newest object first; each id once.
    const all = (await exported({ format: 'jsonl', include_archived: 'true' })).rows.map((row) => JSON.parse(row) as { id: string; timestamp: string })
    expect(all.slice(0, 4).map((row) => row.id)).toEqual(['hot-pair', 'recent-2', 'recent-1', 'recent-0'])
    expect(new Set(all.map((row) => row.id)).size).toBe(all.length)
    expect(all.length).toBe(world.original.size + EXTRA.length)
    const days = all.slice(4).map((row) => row.timestamp.slice(0, 10))
    expect([days[0], days.at(-1)]).toEqual(['2026-02-10', '2026-02-01'])

    // The latest correction wins, from the archived feedback history as from the hot one.
    const chat = (await exported({ format: 'openai-chat', include_archived: 'true', with_feedback_only: 'true' })).rows.map((row) => JSON.parse(row))
    const answers = chat.map((row: { messages: { role: string; content: string }[] }) => row.messages.at(-1)!.content)
    expect(answers).toEqual(expect.arrayContaining(['second fix', 'the right answer']))
    expect(answers).not.toContain('first fix')
    // A preference pair whose halves sit in different tiers.
    const dpo = (await exported({ format: 'openai-dpo', include_archived: 'true' })).rows.map((row) => JSON.parse(row))
    expect(dpo).toContainEqual(expect.objectContaining({ preferred_output: [{ role: 'assistant', content: 'good answer' }], non_preferred_output: [{ role: 'assistant', content: 'bad answer' }] }))
  })

  it('counts archived records in dry runs and progress totals, stops at max_rows, and records include_archived in the audit log', async () => {
    await archive()
    const query = ExportQuery.parse({ format: 'openai-chat', include_archived: 'true' })
    const total = world.original.size + EXTRA.length
    expect(await world.services.exports.summarize(auth(), query)).toMatchObject({ records_read: total, skipped: { no_assistant_message: 4 } })
    expect(await world.services.exports.count(auth(), query)).toBeGreaterThanOrEqual(total)
    // A key bound to an end user reads only that user's archived rows too.
    const bobs = [...world.original.values(), ...EXTRA].filter((i) => i.user_id === 'bob').length
    expect(await world.services.exports.summarize({ ...auth(), userId: 'bob' }, ExportQuery.parse({ format: 'jsonl', include_archived: 'true' }))).toMatchObject({ records_read: bobs })

    const limited = await exported({ format: 'jsonl', include_archived: 'true', max_rows: '6' })
    expect(limited.summary).toMatchObject({ rows_written: 6, truncated: true })
    expect(ids(limited.rows).slice(0, 4)).toEqual(['hot-pair', 'recent-2', 'recent-1', 'recent-0'])

    const log = await world.services.audit.list(auth(), AuditLogQuery.parse({ action: 'data.export' }))
    expect(log.entries).toHaveLength(1) // the dry run is not there
    expect(log.entries[0]!.details).toMatchObject({ include_archived: true, rows_written: 6, filter: {} })
    expect(log.entries[0]!.details.filter).not.toHaveProperty('include_archived')
  })

  it('refuses what cannot reach the archive, naming the field, before anything is sent', async () => {
    await archive()
    const refused = (raw: Record<string, string>, options: { source?: string } = {}) => world.services.exports.open(auth(), ExportQuery.parse(raw), options)
    await expect(refused({ format: 'jsonl', include_archived: 'true', q: 'invoices' })).rejects.toMatchObject({ status: 400, details: { issues: [{ path: 'q' }] } })
    await expect(refused({ format: 'jsonl', include_archived: 'true' }, { source: 'examples' })).rejects.toMatchObject({
      status: 400,
      details: { issues: [{ path: 'include_archived' }] },
    })
    // The lock was never taken: a restore goes ahead at once.
    expect((await world.services.archiveMaintenance.restore(auth(), world.tenantId, { from: '2026-02-01', to: '2026-02-02' })).restored).toBe(4)
  })

  it('holds the archive still while it runs: a restore waits for it, an archive run skips the tenant, and neither duplicates a row', async () => {
    await archive()
    world.services.archive.deps.options.lockWaitMs = 20_000
    const run = await world.services.exports.open(auth(), ExportQuery.parse({ format: 'jsonl', include_archived: 'true' }))
    const iterator = run.chunks[Symbol.asyncIterator]()
    let text = (await iterator.next()).value as string
    let restoreDone = false
    const restore = world.services.archiveMaintenance.restore(auth(), world.tenantId, { from: '2026-02-01', to: '2026-03-01' }).then((result) => {
      restoreDone = true
      return result
    })
    expect((await world.services.archive.run({ actor: auth(), tenantIds: [world.tenantId], dryRun: false, olderThanDays: 0 })).locked_tenants).toEqual([world.tenantId])
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(restoreDone).toBe(false)
    for (let step = await iterator.next(); !step.done; step = await iterator.next()) text += step.value
    const exportedIds = ids(rowsOf('jsonl', text))
    expect(new Set(exportedIds).size).toBe(exportedIds.length)
    expect(exportedIds.length).toBe(world.original.size + EXTRA.length)
    expect((await restore).restored).toBe(OLD_DAYS.length * 4 + 2)
    // Everything is hot again; an export of both tiers still has each once.
    const again = ids((await exported({ format: 'jsonl', include_archived: 'true' })).rows)
    expect(again.sort()).toEqual(exportedIds.sort())
  })

  it('lets go of the lock when the export is given up, started or not', async () => {
    await archive()
    const query = ExportQuery.parse({ format: 'jsonl', include_archived: 'true' })
    const unstarted = await world.services.exports.open(auth(), query)
    await unstarted.chunks[Symbol.asyncIterator]().return?.(undefined)
    const started = (await world.services.exports.open(auth(), query)).chunks[Symbol.asyncIterator]()
    await started.next()
    await started.return?.(undefined)
    expect((await world.services.archiveMaintenance.restore(auth(), world.tenantId, { from: '2026-02-01', to: '2026-02-02' })).restored).toBe(4)
  })

  it('writes an id that was sent again after it was archived once, in its hot version', async () => {
    await archive()
    await world.services.interactions.ingestMany(auth(), [{ id: '2026-02-04-1', timestamp: '2026-02-04T08:00:00.000Z', user_message: 'sent again', assistant_response: 'anew' }])
    const rows = (await exported({ format: 'jsonl', include_archived: 'true' })).rows.map((row) => JSON.parse(row) as { id: string; user_message: string })
    const copies = rows.filter((row) => row.id === '2026-02-04-1')
    expect(copies.map((row) => row.user_message)).toEqual(['sent again'])
    expect(rows.length).toBe(world.original.size + EXTRA.length)
  })
})

/** A format's rows: JSON array items, CSV records (without the header) or lines. */
function rowsOf(format: string, text: string): string[] {
  if (format === 'json') return (JSON.parse(text) as unknown[]).map((item) => JSON.stringify(item))
  const lines = text.split('\n').filter(Boolean)
  return format === 'csv' ? lines.slice(1) : lines
}
