import { join } from 'node:path'
import { SqliteStore } from '../../src/store/sqlite/sqlite.store.js'
import { tempDir } from '../support/databases.js'
import { exportContract } from './export.contract.js'
import { metricsContract } from './metrics.contract.js'
import { storeContract } from './store.contract.js'

const dir = tempDir()

storeContract('SQLite', {
  async open() {
    const store = SqliteStore.open({ file: join(dir.path, 'contract.db') })
    await store.migrate()
    return store
  },
  async cleanup() {
    dir.remove()
  },
})

metricsContract('SQLite', {
  async open() {
    const store = SqliteStore.open({ file: join(dir.path, 'metrics.db') })
    await store.migrate()
    return store
  },
  async cleanup() {},
})

exportContract('SQLite', {
  async open() {
    const store = SqliteStore.open({ file: join(dir.path, 'export.db') })
    await store.migrate()
    return store
  },
  async cleanup() {},
})
