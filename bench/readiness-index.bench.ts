/**
 * npm run bench:readiness-index — what the readiness index (interactions_readiness, migration
 * 007-training) costs ingest. Two fresh stores of one kind, one with the index dropped, take the same
 * realistic interactions (with categories, so every row enters the index) through the store's own
 * insert path in 2,000-row transactions, alternating round by round so both see the same machine load.
 * Prints rows/s of each and the ratio. Env: BENCH_ROWS (default 200000), BENCH_STORES (sqlite,postgres),
 * INTERLOG_TEST_DATABASE_URL.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { InteractionInput } from '@interlog/schema'
import Database from 'better-sqlite3'
import pg from 'pg'
import { normalizeInteraction } from '../packages/server/dist/interactions/interaction.normalize.js'
import { openStore } from '../packages/server/dist/store/create-store.js'
import { uuidv7Ids } from '../packages/server/dist/runtime/clock.js'
import { realisticInteractions } from './query/realistic-data.js'

const ROWS = Number(process.env.BENCH_ROWS ?? 200_000)
const STORES = (process.env.BENCH_STORES ?? 'sqlite,postgres').split(',')
const PG_URL = process.env.INTERLOG_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const BATCH = 2000
const END = Date.parse('2026-11-01T00:00:00Z')

type Store = Awaited<ReturnType<typeof openStore>>

async function open(kind: string, label: string) {
  const dataDir = mkdtempSync(join(tmpdir(), `interlog-bench-${label}-`))
  const schema = kind === 'postgres' ? `bench_ri_${label}_${Date.now().toString(36)}` : undefined
  const store = await openStore({ dataDir, databaseUrl: kind === 'postgres' ? PG_URL : undefined, postgresSchema: schema })
  const tenantId = uuidv7Ids.next()
  await store.tenants.create({ id: tenantId, name: label, created_at: new Date().toISOString() })
  /** Runs SQL on the store's database over a connection of its own. */
  const exec = async (statement: string) => {
    if (!schema) {
      const db = new Database(join(dataDir, 'interlog.db'))
      db.exec(statement)
      db.close()
      return
    }
    const client = new pg.Client({ connectionString: PG_URL })
    await client.connect()
    await client.query(`SET search_path = "${schema}"; ${statement}`)
    await client.end()
  }
  return {
    store,
    tenantId,
    exec,
    async cleanup() {
      await store.close()
      rmSync(dataDir, { recursive: true, force: true })
      if (schema) await exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    },
  }
}

async function benchStore(kind: string) {
  const withIndex = await open(kind, 'with')
  const without = await open(kind, 'without')
  await without.exec('DROP INDEX interactions_readiness')
  const seconds = { with: 0, without: 0 }
  const clock = { now: () => new Date(END) }
  try {
    let batch: InteractionInput[] = []
    let round = 0
    const flush = async () => {
      // Alternate which store goes first, so neither always meets a warmer cache.
      const order = round++ % 2 === 0 ? (['with', 'without'] as const) : (['without', 'with'] as const)
      for (const which of order) {
        const target = which === 'with' ? withIndex : without
        const rows = batch.map((input) => normalizeInteraction(structuredClone(input), { tenantId: target.tenantId, clock, ids: uuidv7Ids }))
        const started = performance.now()
        await target.store.interactions.insertGroups([{ tenantId: target.tenantId, rows }])
        seconds[which] += (performance.now() - started) / 1000
      }
      batch = []
    }
    for (const { input } of realisticInteractions(ROWS, END, 90)) {
      batch.push(input)
      if (batch.length === BATCH) await flush()
    }
    if (batch.length > 0) await flush()
  } finally {
    await withIndex.cleanup()
    await without.cleanup()
  }
  return { kind, withIndex: ROWS / seconds.with, without: ROWS / seconds.without }
}

const results = []
for (const kind of STORES) results.push(await benchStore(kind))
console.log(`\ningest with and without the readiness index, ${ROWS.toLocaleString()} realistic interactions each, in-process, ${BATCH}-row transactions\n`)
console.log('store      rows/s with index   rows/s without   with / without')
for (const r of results) {
  console.log(`${r.kind.padEnd(10)} ${Math.round(r.withIndex).toLocaleString().padStart(17)}   ${Math.round(r.without).toLocaleString().padStart(14)}   ${(r.withIndex / r.without).toFixed(3).padStart(14)}`)
}
