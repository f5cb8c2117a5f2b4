import { PostgresStore } from '../../src/store/postgres/postgres.store.js'
import { TEST_DATABASE_URL, uniqueSchema } from '../support/databases.js'
import { exportContract } from './export.contract.js'
import { metricsContract } from './metrics.contract.js'
import { storeContract } from './store.contract.js'

const schema = uniqueSchema('contract')

storeContract('PostgreSQL', {
  async open() {
    const store = PostgresStore.open({ connectionString: TEST_DATABASE_URL, schema })
    await store.migrate()
    return store
  },
  async cleanup() {},
})

const metricsSchema = uniqueSchema('metrics')

metricsContract('PostgreSQL', {
  async open() {
    const store = PostgresStore.open({ connectionString: TEST_DATABASE_URL, schema: metricsSchema })
    await store.migrate()
    return store
  },
  async cleanup() {},
})

const exportSchema = uniqueSchema('export')

exportContract('PostgreSQL', {
  async open() {
    const store = PostgresStore.open({ connectionString: TEST_DATABASE_URL, schema: exportSchema })
    await store.migrate()
    return store
  },
  async cleanup() {},
})
