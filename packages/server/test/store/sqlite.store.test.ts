import { hostname } from 'node:os'
import { join } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
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
function harness(file: string, removeDir = false, writerThread = false): StoreHarness {
  return {
    async open() {
      const store = SqliteStore.open({ file: join(dir.path, file), writerThread })
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
// The same contracts with ingest batches written on the writer thread's own connection.
storeContract('SQLite, writer thread', harness('contract-thread.db', false, true))
metricsContract('SQLite, writer thread', harness('metrics-thread.db', false, true))
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
