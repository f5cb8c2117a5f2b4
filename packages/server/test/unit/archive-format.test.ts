import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { manifestKeyOf, objectKey, pathSegment, utcDay } from '../../src/archive/archive-keys.js'
import { archiveLine, metricSourceOfRecord, parseLine, restoredFrom } from '../../src/archive/archive-record.js'
import { bloomMayContain, bloomOf } from '../../src/archive/bloom.js'
import { PartBuilder } from '../../src/archive/part-builder.js'
import { fromStoredRow, METRIC_COLUMNS, metricSourceOf, toInteractionColumns, type MetricColumns } from '../../src/store/kysely/interaction.rows.js'
import { PayloadCodec } from '../../src/store/kysely/payload-codec.js'
import { normalizeInteraction } from '../../src/interactions/interaction.normalize.js'
import type { ArchivableRow } from '../../src/store/archive-store.js'

describe('archive object keys', () => {
  it('lays objects out as <prefix><tenant>/<type>/<yyyy>/<mm>/<dd>/part-<n>.jsonl.gz with the manifest beside', () => {
    const key = objectKey('logs/', 'tenant-1', 'chat', '2026-03-07', 2)
    expect(key).toBe('logs/tenant-1/chat/2026/03/07/part-2.jsonl.gz')
    expect(manifestKeyOf(key)).toBe('logs/tenant-1/chat/2026/03/07/part-2.manifest.json')
    expect(objectKey('', 't', '', '2026-03-07', 1)).toBe('t/_untyped/2026/03/07/part-1.jsonl.gz')
  })

  it('escapes anything that is not a plain path segment, so no type can climb out or pose as another', () => {
    expect(pathSegment('outline_generation')).toBe('outline_generation')
    expect(pathSegment('a/b')).toBe('a%2Fb')
    expect(pathSegment('..')).toBe('%2E.')
    expect(pathSegment('_untyped')).toBe('%5Funtyped')
    expect(pathSegment('résumé ok')).toBe('r%C3%A9sum%C3%A9%20ok')
    expect(new Set(['a b', 'a%20b', 'a_b', 'a-b'].map(pathSegment)).size).toBe(4)
  })

  it('names the UTC day of a timestamp', () => {
    expect(utcDay(Date.parse('2026-03-07T23:59:59.999Z'))).toBe('2026-03-07')
    expect(utcDay(Date.parse('2026-03-08T00:00:00.000Z'))).toBe('2026-03-08')
  })
})

describe('archive lines', () => {
  const stored = normalizeInteraction(
    { id: 'i-1', type: 'chat', user_id: 'ann', user_message: 'héllo "quoted"', tags: ['a'], prompt_tokens: 3, metadata: { deep: [1, null] } },
    { tenantId: 't1', clock: { now: () => new Date('2026-03-07T10:00:00Z') }, ids: { next: () => 'unused' } },
  )
  const codec = new PayloadCodec(0)
  const encoded = codec.encode(stored.interaction)
  const json = encoded.data
  const feedback = { id: 'f1', interaction_id: 'i-1', kind: 'thumbs_up' as const, sentiment: null, quality_score: 80, comment: null, correction: 'better', categories: ['x'], edit_distance: 3, created_at: '2026-03-07T11:00:00.000Z' }
  const validation = {
    id: 'v1',
    interaction_id: 'i-1',
    passed: false,
    score: 40,
    errors: ['missing title', { path: 'items[2]', message: 'too long' }],
    warnings: [],
    duration_ms: 12,
    original: { title: null },
    edited: { title: 'Fixed' },
    diff: { added: [], removed: [], modified: ['title'], truncated: false },
    user_edited: true,
    created_at: '2026-03-07T12:00:00.000Z',
  }
  const row = (over: Partial<ArchivableRow> = {}): ArchivableRow => ({
    id: 'i-1',
    ts: stored.ts,
    type: 'chat',
    user_id: 'ann',
    data: json,
    size_bytes: Buffer.byteLength(json),
    feedback_kind: 'thumbs_up',
    feedback_quality_score: 80,
    feedback: [feedback],
    validation_passed: false,
    validation_score: 40,
    validation_user_edited: true,
    validations: [validation],
    ...over,
  })

  it('hold the interaction exactly as the API shows it, plus its feedback and validation histories', () => {
    const columns = { tenant_id: 't1', data: json, payload: null, size_bytes: Buffer.byteLength(json), feedback_kind: 'thumbs_up', feedback_quality_score: 80 }
    const hot = fromStoredRow({ ...columns, validation_passed: 0, validation_score: 40, validation_user_edited: 1 }, codec)
    const record = parseLine(archiveLine('t1', row()))
    expect(record.interaction).toEqual(hot)
    expect(record.interaction).toMatchObject({ validation_passed: false, validation_score: 40, validation_user_edited: true })
    expect(record.feedback).toEqual([feedback])
    expect(record.validations).toEqual([validation])
  })

  it('leave out feedback and validation fields an interaction does not have, and read PostgreSQL JSON text alike', () => {
    const pgText = JSON.stringify(JSON.parse(json), null, 1)
    const never = { validation_passed: null, validation_score: null, validation_user_edited: null, validations: [] }
    const record = parseLine(archiveLine('t1', row({ data: pgText, feedback_kind: null, feedback_quality_score: null, feedback: [], ...never })))
    expect(record.feedback).toEqual([])
    expect(record.validations).toEqual([])
    expect(record.interaction).not.toHaveProperty('feedback_kind')
    expect(record.interaction).not.toHaveProperty('validation_passed')
    expect(record.interaction.user_message).toBe('héllo "quoted"')
  })

  it('turn back into the row the hot store had, counted in metrics the same way', () => {
    const record = parseLine(archiveLine('t1', row()))
    const restored = restoredFrom(record)
    expect(restored.row).toEqual({ ...stored, interaction: { ...stored.interaction } })
    expect(restored.feedback_kind).toBe('thumbs_up')
    expect(restored).toMatchObject({ validation_passed: false, validation_score: 40, validation_user_edited: true, validations: [validation] })
    const columns = { ...toInteractionColumns('t1', stored, encoded), feedback_kind: 'thumbs_up', feedback_quality_score: 80 }
    const metricColumns = Object.fromEntries(METRIC_COLUMNS.map((column) => [column, columns[column]])) as MetricColumns
    expect(metricSourceOfRecord('t1', record)).toEqual(metricSourceOf(metricColumns))
  })
})

describe('part builder', () => {
  it('measures lines, time range, users and the sha256 of what it would write, in concatenated gzip members', async () => {
    const builder = new PartBuilder(undefined, 5)
    const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ id: `r${i}`, text: 'x'.repeat(200 + (i % 50)) }))
    for (const [i, line] of lines.entries()) await builder.add(line, 1000 + i, i % 2 ? 'ann' : null)
    const stats = await builder.finish()
    expect(stats).toMatchObject({ records: 3000, fromTs: 1000, toTs: 3999, rawBytes: Buffer.byteLength(`${lines.join('\n')}\n`) })
    expect(bloomMayContain(stats.usersBloom, 'ann')).toBe(true)
    expect(stats.compressedBytes).toBeLessThan(stats.rawBytes / 5)
  })

  it('writes a file every gzip reader takes whole', async () => {
    const { tempDir } = await import('../support/databases.js')
    const { readFileSync } = await import('node:fs')
    const { createHash } = await import('node:crypto')
    const dir = tempDir()
    try {
      const builder = new PartBuilder(`${dir.path}/part.jsonl.gz`, 5)
      const lines = Array.from({ length: 2500 }, (_, i) => JSON.stringify({ id: `r${i}`, pad: 'y'.repeat(300) }))
      for (const line of lines) await builder.add(line, 1, null)
      const stats = await builder.finish()
      const bytes = readFileSync(`${dir.path}/part.jsonl.gz`)
      expect(bytes.length).toBe(stats.compressedBytes)
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(stats.sha256)
      expect(gunzipSync(bytes).toString()).toBe(`${lines.join('\n')}\n`)
    } finally {
      dir.remove()
    }
  })
})

describe('user Bloom filter', () => {
  it('always finds a member and rules out nearly every other value', () => {
    const users = Array.from({ length: 2000 }, (_, i) => `user-${i}`)
    const bloom = bloomOf(users)
    expect(users.every((user) => bloomMayContain(bloom, user))).toBe(true)
    const strangers = Array.from({ length: 10_000 }, (_, i) => `stranger-${i}`).filter((user) => bloomMayContain(bloom, user))
    expect(strangers.length).toBeLessThan(300)
    expect(bloomMayContain(bloomOf([]), 'anyone')).toBe(false)
  })
})
