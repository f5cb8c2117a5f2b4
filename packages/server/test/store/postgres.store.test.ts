import { PostgresStore } from '../../src/store/postgres/postgres.store.js'
import { TEST_DATABASE_URL, uniqueSchema } from '../support/databases.js'
import { flowsContract } from './flows.contract.js'
import { metricsContract } from './metrics.contract.js'
import { storeContract, type StoreHarness } from './store.contract.js'
import { trainingContract } from './training.contract.js'

/** Each suite on a schema of its own. */
function harness(label: string): StoreHarness {
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
flowsContract('PostgreSQL', harness('flows'))
trainingContract('PostgreSQL', harness('training'))
