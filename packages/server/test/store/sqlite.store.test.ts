import { join } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import { SqliteStore } from '../../src/store/sqlite/sqlite.store.js'
import { tempDir } from '../support/databases.js'
import { exportContract } from './export.contract.js'
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
flowsContract('SQLite', harness('flows.db'))
trainingContract('SQLite', harness('training.db'))
exportContract('SQLite', harness('export.db'))

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
