/** Benchmark settings, read once from the environment (all optional). */
export interface BenchConfig {
  stores: StoreKind[]
  /** Measured time per store and per mode (HTTP, baseline). */
  durationMs: number
  /** Time before measuring starts, so JIT and caches warm up; its rows are stored but not counted in rates. */
  warmupMs: number
  batchSize: number
  /** Requests in flight at once from the load generator. */
  concurrency: number
  databaseUrl: string
  /** Extra node flags for the server process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof". */
  serverNodeArgs: string[]
  /** Whether the benchmark tenant redacts every built-in kind at ingest (BENCH_REDACTION=1). */
  redaction: boolean
}

export type StoreKind = 'sqlite' | 'postgres'

/** Interactions per second each store should sustain over HTTP, durably. */
export const GOALS: Record<StoreKind, number> = { sqlite: 20_000, postgres: 8_000 }

const number = (env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number => {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number of at least ${min}, got '${raw}'`)
  return value
}

const storeKinds = (raw: string): StoreKind[] =>
  raw.split(',').map((name) => {
    const kind = name.trim()
    if (kind !== 'sqlite' && kind !== 'postgres') throw new Error(`BENCH_STORES: unknown store '${kind}'`)
    return kind
  })

export function loadBenchConfig(env: NodeJS.ProcessEnv): BenchConfig {
  return {
    stores: storeKinds(env.BENCH_STORES || 'sqlite,postgres'),
    durationMs: number(env, 'BENCH_DURATION_S', 10, 0.1) * 1000,
    warmupMs: number(env, 'BENCH_WARMUP_S', 1, 0) * 1000,
    batchSize: Math.trunc(number(env, 'BENCH_BATCH_SIZE', 100)),
    concurrency: Math.trunc(number(env, 'BENCH_CONCURRENCY', 8)),
    databaseUrl: env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test',
    serverNodeArgs: (env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean),
    redaction: ['1', 'true', 'on'].includes((env.BENCH_REDACTION ?? '').toLowerCase()),
  }
}
