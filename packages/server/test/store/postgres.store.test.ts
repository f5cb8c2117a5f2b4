import { PostgresStore } from '../../src/store/postgres/postgres.store.js'
import { TEST_DATABASE_URL, uniqueSchema } from '../support/databases.js'
import { exportContract } from './export.contract.js'
import { metricsContract } from './metrics.contract.js'
import { storeContract, type StoreHarness } from './store.contract.js'

/** A schema of its own per suite; the global teardown drops the run's schemas. */
const harness = (label: string): StoreHarness => {
  const schema = uniqueSchema(label)
  return {
    async open() {
      const store = PostgresStore.open({ connectionString: TEST_DATABASE_URL, schema })
      await store.migrate()
      return store
    },
    async cleanup() {},
  }
}

storeContract('PostgreSQL', harness('contract'))
metricsContract('PostgreSQL', harness('metrics'))
exportContract('PostgreSQL', harness('export'))
