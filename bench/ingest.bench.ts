/**
 * `npm run bench:ingest`: interactions/s over HTTP into SQLite and PostgreSQL, with request latency,
 * against an in-process baseline that writes the same rows straight into the same kind of store.
 *
 * Settings (environment, all optional): BENCH_STORES=sqlite,postgres  BENCH_DURATION_S=10
 * BENCH_WARMUP_S=1  BENCH_BATCH_SIZE=100  BENCH_CONCURRENCY=8
 * BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test
 * BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" (to profile the server).
 * BENCH_REDACTION=1: the benchmark tenant redacts every built-in kind of PII at ingest.
 * It always exits 0 once it has run: it is a report; each goal is marked PASS or FAIL.
 */
import { loadavg } from 'node:os'
import { runBaseline } from './ingest/baseline.js'
import { loadBenchConfig, type StoreKind } from './ingest/bench-config.js'
import { runHttp } from './ingest/http-run.js'
import { makeInteractions, stamped, toBatches } from './ingest/interactions.js'
import { redactionMicrosPerItem } from './ingest/redaction-cost.js'
import { printReport, type StoreReport } from './ingest/report.js'
import { createTarget, durabilityOf, type Target } from './ingest/targets.js'

/** Distinct batches cycled through; enough variety for realistic index inserts, cheap to hold. */
const DISTINCT_BATCHES = 20

const loadBefore = loadavg()[0]!
const config = loadBenchConfig(process.env)
const interactions = makeInteractions(config.batchSize * DISTINCT_BATCHES)
const batches = toBatches(interactions, config.batchSize)
const itemBytes = interactions.reduce((sum, item) => sum + Buffer.byteLength(JSON.stringify(stamped(item))), 0) / interactions.length

/** Each run gets a fresh, empty database, removed afterwards. */
async function withTarget<T>(kind: StoreKind, run: (target: Target) => Promise<T>): Promise<T> {
  const target = await createTarget(kind, config.databaseUrl)
  try {
    return await run(target)
  } finally {
    await target.dispose()
  }
}

const run = { batches, warmupMs: config.warmupMs, durationMs: config.durationMs }
const reports: StoreReport[] = []
for (const store of config.stores) {
  console.log(`${store}: HTTP run…`)
  const http = await withTarget(store, (target) =>
    runHttp({ ...run, target, concurrency: config.concurrency, serverNodeArgs: config.serverNodeArgs, redaction: config.redaction }),
  )
  console.log(`${store}: in-process baseline…`)
  const baseline = await withTarget(store, (target) => runBaseline({ ...run, target }))
  reports.push({ store, http, baseline, durability: await durabilityOf(store, config.databaseUrl) })
}
printReport(reports, config, itemBytes, loadBefore)
if (config.redaction) {
  console.log(`redaction alone, in-process on the same data set, every built-in kind: ${redactionMicrosPerItem(interactions).toFixed(1)} µs CPU per interaction`)
}
