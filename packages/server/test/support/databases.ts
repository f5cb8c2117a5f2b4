import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inject } from 'vitest'

/** The PostgreSQL the Postgres tests use. Unreachable means failing tests, never skipped ones. */
export const TEST_DATABASE_URL = process.env.INTERLOG_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

export function tempDir(prefix = 'interlog-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}

/**
 * A fresh schema name per use, so parallel tests and reruns never see each other's rows. It carries the
 * run id: the global teardown (support/global-setup.ts) drops the run's schemas once all tests are done.
 */
export const uniqueSchema = (label: string) =>
  `t_${inject('testRunId')}_${label}_${process.pid}_${Math.random().toString(36).slice(2, 7)}`.toLowerCase()

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
    },
  }
}
