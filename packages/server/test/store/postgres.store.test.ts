import { PostgresStore } from '../../src/store/postgres/postgres.store.js'
import { TEST_DATABASE_URL, uniqueSchema } from '../support/databases.js'
import { archiveContract } from './archive.contract.js'
import { metricsContract } from './metrics.contract.js'
import { storeContract, type StoreHarness } from './store.contract.js'

/** A store on a schema of its own; every open() of one harness reaches the same schema. */
function postgresHarness(label: string): StoreHarness {
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

storeContract('PostgreSQL', postgresHarness('contract'))
metricsContract('PostgreSQL', postgresHarness('metrics'))
archiveContract('PostgreSQL', postgresHarness('archive'))
