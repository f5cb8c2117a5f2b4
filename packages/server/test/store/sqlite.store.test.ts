import { statSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { normalizeInteraction } from '../../src/interactions/interaction.normalize.js'
import { SqliteStore } from '../../src/store/sqlite/sqlite.store.js'
import { tempDir } from '../support/databases.js'
import { exportContract } from './export.contract.js'
import { archiveContract } from './archive.contract.js'
import { dashboardContract } from './dashboard.contract.js'
import { flowsContract } from './flows.contract.js'
import { metricsContract } from './metrics.contract.js'
import { privacyContract } from './privacy.contract.js'
import { storeContract, type StoreHarness } from './store.contract.js'
import { trainingContract } from './training.contract.js'

const dir = tempDir()

/** Each suite on a database file of its own; the folder goes when the last suite is done. */
function harness(file: string, removeDir = false): StoreHarness {
  return {
    async open() {
      const store = SqliteStore.open({ file: join(dir.path, file) })
      await store.migrate()
      return store
    },
    async cleanup() {
      if (removeDir) dir.remove()
    },
  }
}

storeContract('SQLite', harness('contract.db'))
metricsContract('SQLite', harness('metrics.db'))
dashboardContract('SQLite', harness('dashboard.db'))
flowsContract('SQLite', harness('flows.db'))
trainingContract('SQLite', harness('training.db'))
exportContract('SQLite', harness('export.db'))
archiveContract('SQLite', harness('archive.db'))

describe('SQLite archive lock leases', () => {
  it('takes over the lease of a process that died, but not of a live one', async () => {
    const store = await harness('leases.db').open()
    const raw = new SqliteDatabase(join(dir.path, 'leases.db'))
    try {
      const lease = raw.prepare('INSERT OR REPLACE INTO archive_locks (name, owner, heartbeat_ts) VALUES (?, ?, ?)')
      // pid 2^22 + 1 is above Linux's pid limit: no such process can run.
      lease.run('archive:dead', `${hostname()}:4194305:old-run`, Date.now())
      expect(await store.archive.withTenantLock('dead', async () => 'taken over')).toEqual({ value: 'taken over' })
      lease.run('archive:live', `${hostname()}:${process.pid}:other-run`, Date.now())
      expect(await store.archive.withTenantLock('live', async () => 'stolen')).toBeUndefined()
      lease.run('archive:silent', `${hostname()}:${process.pid}:hung-run`, Date.now() - 120_000)
      expect(await store.archive.withTenantLock('silent', async () => 'expired lease')).toEqual({ value: 'expired lease' })
      expect(raw.prepare("SELECT count(*) AS n FROM archive_locks WHERE name IN ('archive:dead', 'archive:silent')").get()).toEqual({ n: 0 })
    } finally {
      raw.close()
      await store.close()
    }
  })
})

describe('SQLite search index upkeep around an archive run', () => {
  it('lets tombstones accumulate while a run deletes, then merges them away and restores the default', async () => {
    const store = await harness('upkeep.db').open()
    const raw = new SqliteDatabase(join(dir.path, 'upkeep.db'))
    const ftsBytes = () => (raw.prepare("SELECT sum(length(block)) AS n FROM interactions_fts_data").get() as { n: number }).n
    const deleteMerge = () => raw.prepare("SELECT v FROM interactions_fts_config WHERE k = 'deletemerge'").get()
    try {
      await store.tenants.create({ id: 't', name: 't', created_at: new Date(0).toISOString() })
      const inputs = Array.from({ length: 3000 }, (_, i) => ({ id: `i${i}`, timestamp: new Date(i * 1000).toISOString(), user_message: `word${i} shared text ${i % 7}` }))
      for (let start = 0; start < inputs.length; start += 500) {
        const rows = inputs.slice(start, start + 500).map((input) => normalizeInteraction(input, { tenantId: 't', clock: { now: () => new Date(0) }, ids: { next: () => 'unused' } }))
        await store.interactions.insertGroups([{ tenantId: 't', rows }])
      }
      const full = ftsBytes()
      await store.archive.deferSearchUpkeep(true)
      expect(deleteMerge()).toEqual({ v: 0 })
      // Five of every six rows, in five commits, as chunks do: every index segment keeps some rows.
      const ids = inputs.filter((_, i) => i % 6 !== 0).map((input) => input.id)
      await store.archive.watchChanges('t', true)
      for (let start = 0; start < ids.length; start += 500) {
        expect(await store.archive.commitArchive('t', { batchIds: [], ids: ids.slice(start, start + 500), archivedBefore: 1, at: new Date(0).toISOString() })).toBe(true)
      }
      await store.archive.watchChanges('t', false)
      const withTombstones = ftsBytes()
      await store.archive.deferSearchUpkeep(false)
      expect(deleteMerge()).toEqual({ v: 10 })
      // Deferred, the deleted rows' entries stayed; now they are gone from the index, not only marked deleted.
      expect(withTombstones).toBeGreaterThan(full / 2)
      expect(ftsBytes()).toBeLessThan(full / 3)
      const page = await store.interactions.list('t', { q: 'shared' }, { limit: 1, offset: 0 })
      expect(page.total).toBe(500)
    } finally {
      raw.close()
      await store.close()
    }
  })
})

describe('SQLite checkpoints', () => {
  it('copies committed pages into the database file on a thread of their own, not in the commit', async () => {
    const file = join(dir.path, 'checkpoint.db')
    const store = await harness('checkpoint.db').open()
    const dbBytes = () => statSync(file).size
    try {
      await store.tenants.create({ id: 't', name: 't', created_at: new Date(0).toISOString() })
      checkpointNow(file) // what the migrations wrote, so the file's size before is the baseline
      const before = dbBytes()
      // ~6 MB of WAL: far below the writer's own checkpoint limit, which alone would leave it all in the WAL.
      for (let start = 0; start < 4000; start += 500) {
        const rows = Array.from({ length: 500 }, (_, i) =>
          normalizeInteraction({ id: `c${start + i}`, user_message: `text ${'x'.repeat(900)} ${start + i}` }, { tenantId: 't', clock: { now: () => new Date(0) }, ids: { next: () => 'unused' } }),
        )
        await store.interactions.insertGroups([{ tenantId: 't', rows }])
      }
      await expect.poll(dbBytes, { timeout: 5_000 }).toBeGreaterThan(before + 4_000_000)
      expect((await store.interactions.list('t', {}, { limit: 1, offset: 0 })).total).toBe(4000)
    } finally {
      await store.close()
    }
    // Closed (thread stopped, connection closed), the file holds every row.
    const raw = new SqliteDatabase(file, { readonly: true })
    try {
      expect(raw.prepare('SELECT count(*) AS n FROM interactions').get()).toEqual({ n: 4000 })
    } finally {
      raw.close()
    }
  })
})

/** Copies what the WAL holds into the database file, from a throwaway connection. */
function checkpointNow(file: string): void {
  const raw = new SqliteDatabase(file)
  try {
    raw.pragma('wal_checkpoint(PASSIVE)')
  } finally {
    raw.close()
  }
}

privacyContract('SQLite', {
  ...harness('privacy.db', true),
  async storedBytes(tenantId, id) {
    const raw = new SqliteDatabase(join(dir.path, 'privacy.db'), { readonly: true })
    try {
      const row = raw.prepare('SELECT length(CAST(data AS BLOB)) AS data, length(payload) AS payload FROM interactions WHERE tenant_id = ? AND id = ?').get(tenantId, id)
      return row as { data: number; payload: number | null }
    } finally {
      raw.close()
    }
  },
})
