import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SqliteDatabase from 'better-sqlite3'

/**
 * A connection to the database file with the settings every connection uses (the server's, and
 * the CLI's when it works on the same file while the server runs).
 */
export function openSqliteConnection(file: string): SqliteDatabase.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const raw = new SqliteDatabase(file)
  raw.pragma('journal_mode = WAL')
  // FULL: a commit is on disk before we acknowledge it. Group commit keeps the fsync cost shared.
  raw.pragma('synchronous = FULL')
  raw.pragma('busy_timeout = 5000')
  raw.pragma('foreign_keys = ON')
  raw.pragma('cache_size = -65536')
  raw.pragma('temp_store = MEMORY')
  return raw
}
