import { join } from 'node:path'
import { SqliteStore } from '../../src/store/sqlite/sqlite.store.js'
import { tempDir } from '../support/databases.js'
import { exportContract } from './export.contract.js'
import { metricsContract } from './metrics.contract.js'
import { storeContract, type StoreHarness } from './store.contract.js'

const dir = tempDir()

/** A fresh database file per suite; the last suite's cleanup removes the directory. */
const harness = (file: string, cleanup = async () => {}): StoreHarness => ({
  async open() {
    const store = SqliteStore.open({ file: join(dir.path, file) })
    await store.migrate()
    return store
  },
  cleanup,
})

storeContract('SQLite', harness('contract.db'))
metricsContract('SQLite', harness('metrics.db'))
exportContract('SQLite', harness('export.db', async () => dir.remove()))
