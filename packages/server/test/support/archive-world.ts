import { gunzipSync } from 'node:zlib'
import type { ArchiveTarget, Interaction, InteractionInput } from '@interlog/schema'
import { archiveSetupFrom } from '../../src/archive/archive.config.js'
import { parseLine, type ArchivedRecord } from '../../src/archive/archive-record.js'
import type { ArchiveSink } from '../../src/archive/archive-sink.js'
import { loadConfig } from '../../src/config/config.js'
import { normalizeInteraction } from '../../src/interactions/interaction.normalize.js'
import { uuidv7Ids } from '../../src/runtime/clock.js'
import { createServices, type Services } from '../../src/services.js'
import { openStore } from '../../src/store/create-store.js'
import { freshDatabase, STORE_KINDS, type StoreKind } from './databases.js'
import type { S3Server } from './s3-server.js'

/** Every store with every archive target: the filesystem, and an S3-compatible server over HTTP. */
export const ARCHIVE_COMBINATIONS = STORE_KINDS.flatMap((kind) => (['filesystem', 's3'] as ArchiveTarget[]).map((target) => [kind, target] as const))

/** "Now" for archive tests: 30 days before it is 2026-02-13, so February's first ten days are old. */
export const NOW = Date.parse('2026-03-15T12:00:00.000Z')
export const OLD_DAYS = Array.from({ length: 10 }, (_, i) => `2026-02-${String(i + 1).padStart(2, '0')}`)
const USERS = ['ann', 'bob', 'cat']
const TYPES = ['chat', 'outline', undefined]

/** Four interactions a day over the old days, spread over users and types (some untyped), plus three recent ones. */
export function archiveFixture(): InteractionInput[] {
  const old = OLD_DAYS.flatMap((day, d) =>
    Array.from({ length: 4 }, (_, i): InteractionInput => ({
      id: `${day}-${i}`,
      timestamp: `${day}T${String(3 + i * 5).padStart(2, '0')}:00:00.000Z`,
      user_id: USERS[(d + i) % 3],
      type: TYPES[i % 3],
      thread_id: `thread-${d}`,
      tags: i === 0 ? ['first'] : [],
      model: 'gpt-4o-mini',
      provider: 'openai',
      user_message: `question ${day} ${i} about invoices`,
      assistant_response: `answer ${i}`,
      prompt_tokens: 10 + i,
      completion_tokens: 5,
      latency_ms: 100 + i,
      metadata: { day, n: i },
      // One large field, which the store keeps compressed beside the row's JSON.
      ...(day === '2026-02-03' && i === 2 ? { raw_response: { choices: [{ text: 'long answer '.repeat(2000) }] } } : {}),
    })),
  )
  const recent = [0, 1, 2].map((i): InteractionInput => ({ id: `recent-${i}`, timestamp: `2026-03-14T0${i}:00:00.000Z`, user_id: 'ann', type: 'chat' }))
  return [...old, ...recent]
}

export interface ArchiveWorld {
  services: Services
  tenantId: string
  clock: { now: () => Date; set(iso: string): void }
  sink: ArchiveSink
  /** Every interaction of the tenant as the API showed it before anything was archived. */
  original: Map<string, Interaction>
  /** The records in an object, as stored. */
  records(key: string): Promise<ArchivedRecord[]>
  close(): Promise<void>
}

/** Reads an object whole (tests only: objects here are small). */
export async function objectRecords(sink: ArchiveSink, key: string): Promise<ArchivedRecord[]> {
  const body = await sink.get(key)
  if (!body) throw new Error(`no object ${key}`)
  const chunks: Buffer[] = []
  for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(chunk)
  return gunzipSync(Buffer.concat(chunks)).toString('utf8').split('\n').filter(Boolean).map(parseLine)
}

/**
 * A real store (SQLite or PostgreSQL) with the services over it, archiving to the filesystem or to an
 * S3-compatible server, with small chunks and pages so that runs span many of both.
 */
export async function archiveWorld(kind: StoreKind, target: ArchiveTarget, s3: S3Server | undefined, label: string): Promise<ArchiveWorld> {
  const database = freshDatabase(kind, label)
  const config = { ...loadConfig({}), dataDir: database.dataDir, databaseUrl: database.databaseUrl, databaseSchema: database.databaseSchema }
  const setup = archiveSetupFrom(config)
  setup.defaultTarget = target
  if (target === 's3') setup.sinks.s3 = s3!.sinkOptions(`${label}-${Math.random().toString(36).slice(2, 8)}`)
  setup.service.settings = { chunkRecords: 7, pageRows: 3, gzipLevel: 5 }
  setup.service.lockWaitMs = 200
  let now = NOW
  const clock = { now: () => new Date(now), set: (iso: string) => void (now = Date.parse(iso)) }
  const store = await openStore({ dataDir: database.dataDir, databaseUrl: database.databaseUrl, postgresSchema: database.databaseSchema, poolSize: 4 })
  const services = createServices(store, { writerBatchRows: 500, archive: setup, clock, ids: uuidv7Ids })
  const tenantId = `tenant-${label}`
  await store.tenants.create({ id: tenantId, name: label, created_at: new Date(NOW).toISOString() })
  const rows = archiveFixture().map((input) => normalizeInteraction(input, { tenantId, clock, ids: uuidv7Ids }))
  await store.interactions.insertGroups([{ tenantId, rows }])
  const feedback = { id: 'fb-1', interaction_id: '2026-02-03-1', kind: 'modified' as const, sentiment: 4, quality_score: 55, comment: 'close', correction: 'the right answer', categories: ['tone'], edit_distance: 7, created_at: '2026-02-04T00:00:00.000Z' }
  await store.feedback.add(tenantId, feedback, {})
  const original = new Map<string, Interaction>()
  for (const row of rows) original.set(row.interaction.id, (await store.interactions.get(tenantId, row.interaction.id, {}))!)
  const sink = await services.archive.deps.sinks.get(target)
  return {
    services,
    tenantId,
    clock,
    sink,
    original,
    records: (key) => objectRecords(sink, key),
    async close() {
      await store.close()
      await database.cleanup()
    },
  }
}
