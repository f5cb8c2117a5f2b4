/**
 * npm run bench:query — loads 1,000,000 realistic interactions (3 tenants, 6 models, 5 types,
 * 90 days, feedback on 1 in 20) into SQLite and into PostgreSQL, starts the server on each, and prints
 * p50/p95 of the dashboard's reads (metrics, list filters and sorts, cursors, search) against the
 * goals; then times the interactions page in Chromium. Env: BENCH_ROWS (default 1000000),
 * BENCH_SAMPLES (30), BENCH_STORES (sqlite,postgres), BENCH_BROWSER (1; 0 skips Chromium),
 * BENCH_REUSE_SCHEMA (a PostgreSQL schema loaded by an earlier run), BENCH_REUSE_DIR (an SQLite data
 * directory loaded by an earlier run), BENCH_KEEP (1: keep what this run loads, to measure it again
 * later on a quiet machine), INTERLOG_TEST_DATABASE_URL.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { loadConfig } from '../packages/server/dist/config/config.js'
import { startServer } from '../packages/server/dist/server.js'
import { openStore } from '../packages/server/dist/store/create-store.js'
import { uuidv7Ids } from '../packages/server/dist/runtime/clock.js'
import { timeInteractionsPage, type BrowserTiming } from './query/dashboard-browser.js'
import { seedFeedback, withCost } from './query/dashboard-data.js'
import { analyze, dropSchema, loadRealistic } from './query/load-store.js'
import { MID_FREQUENCY_WORD, seededRandom } from './query/realistic-data.js'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 30)
const STORES = (process.env.BENCH_STORES ?? 'sqlite,postgres').split(',')
const PG_URL = process.env.INTERLOG_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const ADMIN_KEY = 'il_bench_admin_key_0123456789abcdefghij'
const END = Date.parse('2026-11-01T00:00:00Z')
const BROWSER = process.env.BENCH_BROWSER !== '0'
/** A PostgreSQL schema an earlier run loaded (and kept): measure again without loading again. */
const REUSE_SCHEMA = process.env.BENCH_REUSE_SCHEMA
const REUSE_DIR = process.env.BENCH_REUSE_DIR
const KEEP = process.env.BENCH_KEEP === '1'
const GOALS_MS: Record<string, number> = {
  metrics: 150,
  list: 20,
  cursor: 20,
  search: 100,
  feedback: 20,
  quality: 20,
  confidence: 20,
  handoff: 20,
  oldest: 20,
  slowest: 20,
  costliest: 20,
  'slowest cursor': 20,
  'sorted filter': 50,
  readiness: 50,
  'readiness type': 50,
  'readiness category': 50,
  'readiness type+category': 50,
}
/** Curated examples of the big tenant, some of them quality examples, for the readiness count. */
const EXAMPLES = Number(process.env.BENCH_EXAMPLES ?? 5000)
/** The interactions page in the browser: what a person waits for. */
const BROWSER_GOAL_MS = 500


async function addExamples(store: Awaited<ReturnType<typeof openStore>>, tenantId: string) {
  const random = seededRandom(7)
  for (let i = 0; i < EXAMPLES; i++) {
    const example = {
      id: uuidv7Ids.next(),
      interaction_id: null,
      user_id: null,
      input: { user_message: `question ${i}` },
      output: { assistant_response: `answer ${i}` },
      quality_score: Math.round(random() * 100),
      type: ['support_chat', 'outline_generation', 'summarize', 'classify', 'agent_step'][i % 5]!,
      category: ['web', 'mobile', 'api'][i % 3]!,
      tags: i % 4 === 0 ? ['gold'] : [],
      metadata: null,
      usage_count: 0,
      last_used_at: null,
      created_at: new Date(END - i * 60_000).toISOString(),
    }
    await store.examples.insert(tenantId, example, {})
  }
}


async function time(label: string, request: () => Promise<Response>) {
  const durations: number[] = []
  for (let i = 0; i < SAMPLES + 3; i++) {
    const start = performance.now()
    const response = await request()
    await response.arrayBuffer()
    if (!response.ok) throw new Error(`${label}: HTTP ${response.status}`)
    if (i >= 3) durations.push(performance.now() - start) // the first runs warm caches
  }
  durations.sort((a, b) => a - b)
  const pick = (q: number) => durations[Math.max(0, Math.ceil(q * durations.length) - 1)]!
  return { label, p50: pick(0.5), p95: pick(0.95) }
}

async function benchStore(kind: string) {
  const reused = kind === 'postgres' ? REUSE_SCHEMA : REUSE_DIR
  const dataDir = kind === 'sqlite' && reused ? reused : mkdtempSync(join(tmpdir(), 'interlog-bench-query-'))
  const schema = kind === 'postgres' ? (reused ?? `bench_query_${Date.now().toString(36)}`) : undefined
  const databaseUrl = kind === 'postgres' ? PG_URL : undefined
  let tenantIds: string[]
  if (reused) {
    console.log(`\n${kind}: reusing the interactions loaded in ${reused}`)
    const store = await openStore({ dataDir, databaseUrl, postgresSchema: schema })
    tenantIds = [(await store.tenants.getByName('bench-a'))!.id]
    await store.close()
  } else {
    console.log(`\n${kind}: loading ${ROWS.toLocaleString()} interactions`)
    const loaded = await loadRealistic({ dataDir, databaseUrl, postgresSchema: schema }, ROWS, END, withCost)
    tenantIds = loaded.tenantIds
    await addExamples(loaded.store, tenantIds[0]!)
    console.log(`  loaded in ${loaded.seconds.toFixed(1)} s (${Math.round(ROWS / loaded.seconds).toLocaleString()} rows/s, with rollups and search index)`)
    await loaded.store.close()
    const rated = await seedFeedback({ sqliteFile: join(dataDir, 'interlog.db'), pgUrl: PG_URL, schema })
    console.log(`  feedback on ${rated.toLocaleString()} interactions`)
  }
  await analyze({ dataDir, databaseUrl, postgresSchema: schema }, PG_URL)

  const config = { ...loadConfig({}), port: 0, adminKey: ADMIN_KEY, rateLimitPerMinute: 0, dataDir, databaseUrl, databaseSchema: schema }
  const server = await startServer(config, { logger: pino({ level: 'warn' }) })
  try {
    const admin = { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' }
    const keyResponse = await fetch(`${server.url}/v1/admin/keys`, { method: 'POST', headers: admin, body: JSON.stringify({ tenant_id: tenantIds[0], scopes: ['read', 'analytics:view', 'export'] }) })
    const { key } = (await keyResponse.json()) as { key: string }
    const get = (path: string) => () => fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${key}` } })

    // A cursor 20 pages deep into a filtered list.
    let cursor = ''
    for (let page = 0; page < 20; page++) {
      const body = (await (await get(`/v1/interactions?type=support_chat&limit=50${cursor ? `&cursor=${cursor}` : ''}`)()).json()) as { next_cursor: string }
      cursor = body.next_cursor
    }
    let slowCursor = ''
    for (let page = 0; page < 20; page++) {
      const body = (await (await get(`/v1/interactions?sort=slowest&limit=50${slowCursor ? `&cursor=${slowCursor}` : ''}`)()).json()) as { next_cursor: string }
      slowCursor = body.next_cursor
    }
    const from = new Date(END - 30 * 86_400_000).toISOString()
    const results = [
      await time('metrics', get(`/v1/metrics?from=${from}&to=${new Date(END).toISOString()}&group_by=model`)),
      await time('list', get('/v1/interactions?type=support_chat&status=failure&limit=50')),
      await time('cursor', get(`/v1/interactions?type=support_chat&limit=50&cursor=${cursor}`)),
      await time('search', get(`/v1/interactions?q=${MID_FREQUENCY_WORD}&limit=50`)),
      // The dashboard's filters and sorts (each page with its exact total_count).
      await time('feedback', get('/v1/interactions?feedback_kind=thumbs_down&limit=50')),
      await time('quality', get('/v1/interactions?min_quality_score=90&limit=50')),
      await time('confidence', get('/v1/interactions?max_confidence=0.2&limit=50')),
      await time('handoff', get('/v1/interactions?handoff=true&limit=50')),
      await time('oldest', get('/v1/interactions?sort=oldest&limit=50')),
      await time('slowest', get('/v1/interactions?sort=slowest&limit=50')),
      await time('costliest', get('/v1/interactions?sort=costliest&limit=50')),
      await time('slowest cursor', get(`/v1/interactions?sort=slowest&limit=50&cursor=${slowCursor}`)),
      await time('sorted filter', get('/v1/interactions?type=support_chat&feedback_kind=any&sort=costliest&limit=50')),
      await time('readiness', get('/v1/readiness')),
      await time('readiness type', get('/v1/readiness?type=support_chat')),
      await time('readiness category', get('/v1/readiness?category=web')),
      await time('readiness type+category', get('/v1/readiness?type=support_chat&category=web')),
    ]
    const browser = BROWSER ? await timeInteractionsPage(server.url, key, 5) : []
    return { http: results.map((r) => ({ store: kind, ...r })), browser: browser.map((b) => ({ store: kind, ...b })) }
  } finally {
    await server.close()
    if (KEEP || reused) {
      console.log(`  kept: ${kind === 'postgres' ? `BENCH_REUSE_SCHEMA=${schema}` : `BENCH_REUSE_DIR=${dataDir}`}`)
    } else {
      rmSync(dataDir, { recursive: true, force: true })
      if (schema) await dropSchema(PG_URL, schema)
    }
  }
}

const rows = []
const browserRows: (BrowserTiming & { store: string })[] = []
for (const kind of STORES) {
  const result = await benchStore(kind)
  rows.push(...result.http)
  browserRows.push(...result.browser)
}
console.log(`\nquery latency over HTTP, ${ROWS.toLocaleString()} interactions, ${SAMPLES} samples each\n`)
console.log(`${'store'.padEnd(9)} ${'query'.padEnd(24)} p50 ms   p95 ms   goal p95   ratio to goal   result`)
for (const r of rows) {
  const goal = GOALS_MS[r.label]!
  console.log(
    `${r.store.padEnd(9)} ${r.label.padEnd(24)} ${r.p50.toFixed(1).padStart(6)}   ${r.p95.toFixed(1).padStart(6)}   ${String(goal).padStart(8)}   ${(r.p95 / goal).toFixed(2).padStart(13)}   ${r.p95 <= goal ? 'meets goal' : 'MISSES goal'}`,
  )
}
if (browserRows.length > 0) {
  console.log(`\nthe interactions page in Chromium, ${ROWS.toLocaleString()} interactions (each of 5 rounds, ms)\n`)
  console.log('store     step                 median   max      goal   ratio to goal   result')
  for (const b of browserRows) {
    const sorted = [...b.ms].sort((x, y) => x - y)
    const median = sorted[Math.floor(sorted.length / 2)]!
    const max = sorted.at(-1)!
    console.log(
      `${b.store.padEnd(9)} ${b.label.padEnd(20)} ${median.toFixed(0).padStart(6)}   ${max.toFixed(0).padStart(6)}   ${String(BROWSER_GOAL_MS).padStart(4)}   ${(max / BROWSER_GOAL_MS).toFixed(2).padStart(13)}   ${max <= BROWSER_GOAL_MS ? 'meets goal' : 'MISSES goal'}`,
    )
  }
}
