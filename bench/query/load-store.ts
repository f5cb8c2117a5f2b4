import { join } from 'node:path'
import type { InteractionInput } from '@interlog/schema'
import Database from 'better-sqlite3'
import pg from 'pg'
import { normalizeInteraction } from '../../packages/server/dist/interactions/interaction.normalize.js'
import { openStore } from '../../packages/server/dist/store/create-store.js'
import { uuidv7Ids } from '../../packages/server/dist/runtime/clock.js'
import { realisticInteractions } from './realistic-data.js'

export interface LoadTarget {
  dataDir: string
  databaseUrl?: string
  postgresSchema?: string
}

/**
 * Loads `rows` realistic interactions (3 tenants, 90 days before `end`) through the store's own insert
 * path, in 2,000-row transactions, so rollups and the search index are maintained as in production.
 * `prepare` may change each input first (the dashboard bench adds costs).
 */
export async function loadRealistic(target: LoadTarget, rows: number, end: number, prepare: (input: InteractionInput) => InteractionInput = (input) => input) {
  const store = await openStore(target)
  const tenantIds: string[] = []
  for (const name of ['bench-a', 'bench-b', 'bench-c']) {
    const id = uuidv7Ids.next()
    await store.tenants.create({ id, name, created_at: new Date().toISOString() })
    tenantIds.push(id)
  }
  const started = performance.now()
  const clock = { now: () => new Date(end) }
  let batch: Map<number, ReturnType<typeof normalizeInteraction>[]> = new Map()
  let pending = 0
  const flush = async () => {
    await store.interactions.insertGroups([...batch.entries()].map(([tenant, rows]) => ({ tenantId: tenantIds[tenant]!, rows })))
    batch = new Map()
    pending = 0
  }
  let loaded = 0
  for (const { tenant, input } of realisticInteractions(rows, end, 90)) {
    const row = normalizeInteraction(prepare(input), { tenantId: tenantIds[tenant]!, clock, ids: uuidv7Ids })
    if (!batch.has(tenant)) batch.set(tenant, [])
    batch.get(tenant)!.push(row)
    if (++pending === 2000) await flush()
    if (++loaded % 100_000 === 0) process.stdout.write(`  loaded ${loaded.toLocaleString()} (${Math.round(loaded / ((performance.now() - started) / 1000)).toLocaleString()}/s)\n`)
  }
  if (pending > 0) await flush()
  const seconds = (performance.now() - started) / 1000
  return { store, tenantIds, seconds }
}

/**
 * A database that has been running holds planner statistics (PostgreSQL's autovacuum gathers them as
 * tables grow); one bulk-loaded a moment ago does not, and would be planned blind. Gather them once.
 * PostgreSQL's autovacuum also keeps the visibility map, without which no index-only scan (the
 * readiness count by category) is possible; so vacuum once too.
 */
export async function analyze(target: LoadTarget, databaseUrl: string) {
  const schema = target.postgresSchema
  if (schema) {
    const client = new pg.Client({ connectionString: databaseUrl })
    await client.connect()
    // Table by table, in this schema only (the database may hold others'); each VACUUM on its own,
    // as VACUUM cannot run inside the transaction a multi-statement query opens.
    const { rows } = await client.query<{ tablename: string }>('SELECT tablename FROM pg_tables WHERE schemaname = $1', [schema])
    for (const { tablename } of rows) await client.query(`VACUUM ANALYZE "${schema}"."${tablename}"`)
    await client.end()
    return
  }
  const db = new Database(join(target.dataDir, 'interlog.db'))
  db.exec('ANALYZE')
  db.close()
}

export async function dropSchema(databaseUrl: string, schema: string) {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  await client.end()
}
