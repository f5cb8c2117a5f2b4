import { join } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import { SqliteStore } from '../../src/store/sqlite/sqlite.store.js'
import { tempDir } from '../support/databases.js'
import { metricsContract } from './metrics.contract.js'
import { privacyContract } from './privacy.contract.js'
import { storeContract } from './store.contract.js'

const dir = tempDir()

/** Each contract gets a database file of its own. */
const inFile = (file: string) => async () => {
  const store = SqliteStore.open({ file })
  await store.migrate()
  return store
}

storeContract('SQLite', {
  open: inFile(join(dir.path, 'contract.db')),
  async cleanup() {
    dir.remove()
  },
})
metricsContract('SQLite', { open: inFile(join(dir.path, 'metrics.db')), async cleanup() {} })

const privacyFile = join(dir.path, 'privacy.db')

privacyContract('SQLite', {
  open: inFile(privacyFile),
  async cleanup() {},
  async storedBytes(tenantId, id) {
    const raw = new SqliteDatabase(privacyFile, { readonly: true })
    try {
      const row = raw.prepare('SELECT length(CAST(data AS BLOB)) AS data, length(payload) AS payload FROM interactions WHERE tenant_id = ? AND id = ?').get(tenantId, id)
      return row as { data: number; payload: number | null }
    } finally {
      raw.close()
    }
  },
})
