import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'

/** The PostgreSQL the Postgres tests use. Unreachable means failing tests, never skipped ones. */
export const TEST_DATABASE_URL = process.env.INTERLOG_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

export function tempDir(prefix = 'interlog-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}

/** A fresh schema name per test run, so parallel runs and reruns never see each other's rows. */
export const uniqueSchema = (label: string) =>
  `t_${label}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`.toLowerCase()

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL })
  await client.connect()
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  } finally {
    await client.end()
  }
}

export type StoreKind = 'sqlite' | 'postgres'
export const STORE_KINDS: StoreKind[] = ['sqlite', 'postgres']

/** Config for a server or store on a fresh database of the given kind, and how to throw it away. */
export function freshDatabase(kind: StoreKind, label: string) {
  const dir = tempDir()
  const schema = kind === 'postgres' ? uniqueSchema(label) : undefined
  return {
    dataDir: dir.path,
    databaseUrl: kind === 'postgres' ? TEST_DATABASE_URL : undefined,
    databaseSchema: schema,
    async cleanup() {
      dir.remove()
      if (schema) await dropSchema(schema)
    },
  }
}
