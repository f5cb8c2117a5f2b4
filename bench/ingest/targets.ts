import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import type { StoreKind } from './bench-config.js'

/** A fresh, empty database for one run: a temp directory for SQLite, a new schema for PostgreSQL. */
export interface Target {
  dataDir: string
  databaseUrl?: string
  databaseSchema?: string
  dispose(): Promise<void>
}

export async function createTarget(kind: StoreKind, databaseUrl: string): Promise<Target> {
  // SQLite needs the directory; PostgreSQL runs get one too, as the server requires a data dir.
  const dataDir = await mkdtemp(join(tmpdir(), 'interlog-bench-'))
  const removeDir = () => rm(dataDir, { recursive: true, force: true })
  if (kind === 'sqlite') return { dataDir, dispose: removeDir }
  // The store creates the schema on open; the benchmark only has to drop it.
  const databaseSchema = `bench_${randomBytes(6).toString('hex')}`
  return {
    dataDir,
    databaseUrl,
    databaseSchema,
    dispose: async () => {
      await dropSchema(databaseUrl, databaseSchema)
      await removeDir()
    },
  }
}

async function withClient<T>(databaseUrl: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    return await use(client)
  } finally {
    await client.end()
  }
}

async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  await withClient(databaseUrl, (client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`))
}

/** An acknowledged write is durable only if the store flushes its log at commit. */
export async function durabilityOf(kind: StoreKind, databaseUrl: string): Promise<{ durable: boolean; note: string }> {
  // The SQLite store sets journal_mode=WAL and synchronous=FULL itself on open.
  if (kind === 'sqlite') return { durable: true, note: 'SQLite WAL, synchronous=FULL' }
  const { rows } = await withClient(databaseUrl, (client) =>
    client.query<{ name: string; setting: string }>(
      "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit')",
    ),
  )
  const settings = Object.fromEntries(rows.map((row) => [row.name, row.setting]))
  return {
    durable: settings.fsync === 'on' && settings.synchronous_commit !== 'off',
    note: `PostgreSQL fsync=${settings.fsync}, synchronous_commit=${settings.synchronous_commit}`,
  }
}
