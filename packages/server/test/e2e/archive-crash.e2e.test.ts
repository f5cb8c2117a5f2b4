import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ArchiveTarget, Interaction } from '@interlog/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { archiveSetupFrom } from '../../src/archive/archive.config.js'
import { tenantPrefix } from '../../src/archive/archive-keys.js'
import type { ArchiveStep } from '../../src/archive/archive-batch.js'
import { loadConfig } from '../../src/config/config.js'
import { normalizeInteraction } from '../../src/interactions/interaction.normalize.js'
import { uuidv7Ids } from '../../src/runtime/clock.js'
import { createServices, type Services } from '../../src/services.js'
import { openStore } from '../../src/store/create-store.js'
import { objectRecords } from '../support/archive-world.js'
import { freshDatabase, STORE_KINDS } from '../support/databases.js'
import { anInteraction } from '../support/fixtures.js'
import { startS3Server, type S3Server } from '../support/s3-server.js'

const CHILD = fileURLToPath(new URL('../support/archive-crash-child.mjs', import.meta.url))
const STEPS: ArchiveStep[] = ['staged', 'recorded', 'uploaded', 'manifested', 'verified', 'committed']
const COMBINATIONS = STORE_KINDS.flatMap((kind) => (['filesystem', 's3'] as ArchiveTarget[]).map((target) => [kind, target] as const))
const OLD = 40

let s3: S3Server
beforeAll(async () => {
  s3 = await startS3Server()
})
afterAll(async () => {
  await s3?.stop()
})

/** Runs the child until it kills itself; answers the signal that ended it. */
function crashAt(step: ArchiveStep, tenantId: string, env: Record<string, string | undefined>): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, step, '2', tenantId], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.once('error', reject)
    child.once('exit', (code, signal) => (signal ? resolve(signal) : reject(new Error(`child exited with ${code}:\n${output}`))))
  })
}

/**
 * The proof that a run is crash-safe and idempotent: a real process running the archive is killed
 * (SIGKILL) at each step of its second chunk — staged, metadata recorded, objects uploaded, manifests
 * uploaded, objects verified, rows deleted — and a run afterwards finishes the job: every interaction
 * is then either hot or archived, exactly once, unchanged, and the target holds nothing but the live
 * objects and their manifests.
 */
describe.each(COMBINATIONS)('archive killed at each step, on %s with the %s target', (kind, target) => {
  const database = freshDatabase(kind, `crash_${target}`)
  const env: Record<string, string | undefined> = {
    INTERLOG_DATA_DIR: database.dataDir,
    INTERLOG_DATABASE_URL: database.databaseUrl,
    INTERLOG_DATABASE_SCHEMA: database.databaseSchema,
    INTERLOG_ARCHIVE_EVERY: '0',
  }
  let services: Services
  let close: () => Promise<void>

  beforeAll(async () => {
    if (target === 's3') Object.assign(env, s3.env(`crash-${kind}-${Math.random().toString(36).slice(2, 8)}`))
    const config = loadConfig(env)
    const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, postgresSchema: config.databaseSchema, poolSize: 3 })
    const setup = archiveSetupFrom(config)
    setup.service.settings = { chunkRecords: 10, pageRows: 5, gzipLevel: 5 }
    services = createServices(store, { writerBatchRows: 100, archive: setup })
    close = async () => {
      await store.close()
      await database.cleanup()
    }
  })
  afterAll(async () => {
    await close?.()
  })

  it.each(STEPS)('killed after "%s": the next run finishes with nothing lost and nothing twice', async (step) => {
    const tenantId = `t-${step}`
    await services.store.tenants.create({ id: tenantId, name: tenantId, created_at: new Date().toISOString() })
    const clock = { now: () => new Date() }
    const inputs = [
      ...Array.from({ length: OLD }, (_, i) => anInteraction({ id: `old-${i}`, timestamp: new Date(Date.parse('2026-01-01T00:00:00Z') + i * 3_600_000).toISOString(), type: i % 3 ? 'chat' : undefined })),
      anInteraction({ id: 'recent' }),
    ]
    await services.store.interactions.insertGroups([{ tenantId, rows: inputs.map((input) => normalizeInteraction(input, { tenantId, clock, ids: uuidv7Ids })) }])
    const original = new Map<string, Interaction>()
    for (const { id } of inputs) original.set(id!, (await services.store.interactions.get(tenantId, id!, {}))!)

    expect(await crashAt(step, tenantId, env)).toBe('SIGKILL')
    // PostgreSQL lets go of the dead process's advisory lock once it sees the connection closed (a
    // moment); SQLite sees at once that the lease's process is gone. Until then the tenant is skipped.
    for (let attempt = 0; ; attempt++) {
      const summary = await services.archive.run({ actor: 'test', tenantIds: [tenantId], dryRun: false })
      if (summary.locked_tenants.length === 0) break
      expect(attempt).toBeLessThan(50)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }

    const store = services.store.archive
    const live = (await store.batches(tenantId, { order: 'time' })).batches
    expect(live.every((batch) => batch.status === 'archived')).toBe(true)
    const sink = await services.archive.deps.sinks.get(target)
    const archived: Interaction[] = []
    for (const batch of live) {
      const records = await objectRecords(sink, batch.object_key)
      expect(records.length).toBe(batch.record_count)
      archived.push(...records.map((record) => record.interaction))
    }
    const archivedIds = archived.map((interaction) => interaction.id)
    expect(new Set(archivedIds).size).toBe(archivedIds.length)
    expect(archivedIds.sort()).toEqual([...original.keys()].filter((id) => id !== 'recent').sort())
    for (const interaction of archived) expect(interaction).toEqual(original.get(interaction.id))
    expect(await services.store.metrics.rowSums(tenantId, {}, ['n'], { from: -8.64e15, to: 8.64e15 }).then((sums) => sums.n)).toBe(1)
    expect(await services.store.interactions.get(tenantId, 'recent', {})).toEqual(original.get('recent'))
    const keys = await sink.list(tenantPrefix(sink.keyPrefix, tenantId))
    expect(keys).toEqual(live.flatMap((batch) => [batch.object_key, batch.manifest_key]).sort())
    expect(existsSync(join(database.dataDir, 'archive-staging', tenantId))).toBe(false)
  })
})
