import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SqliteDatabase from 'better-sqlite3'

/**
 * A connection to the database file with the settings every connection of the store uses (the
 * store's own and its writer thread's).
 */
export function openSqliteConnection(file: string, options: { busyTimeoutMs?: number } = {}): SqliteDatabase.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const raw = new SqliteDatabase(file)
  raw.pragma('journal_mode = WAL')
  // FULL: a commit is on disk before we acknowledge it. Group commit keeps the fsync cost shared.
  raw.pragma('synchronous = FULL')
  raw.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`)
  raw.pragma('foreign_keys = ON')
  raw.pragma('cache_size = -65536')
  raw.pragma('temp_store = MEMORY')
  // Checkpoint every ~40 MB of WAL rather than 4 MB: far fewer page rewrites under sustained ingest.
  raw.pragma('wal_autocheckpoint = 10000')
  return raw
}
