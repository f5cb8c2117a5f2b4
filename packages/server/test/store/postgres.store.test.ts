import pg from 'pg'
import { PostgresStore } from '../../src/store/postgres/postgres.store.js'
import { TEST_DATABASE_URL, uniqueSchema } from '../support/databases.js'
import { metricsContract } from './metrics.contract.js'
import { privacyContract } from './privacy.contract.js'
import { storeContract } from './store.contract.js'

/** Each contract gets a fresh schema of its own. */
const inSchema = (schema: string) => async () => {
  const store = PostgresStore.open({ connectionString: TEST_DATABASE_URL, schema })
  await store.migrate()
  return store
}

storeContract('PostgreSQL', { open: inSchema(uniqueSchema('contract')), async cleanup() {} })
metricsContract('PostgreSQL', { open: inSchema(uniqueSchema('metrics')), async cleanup() {} })

const privacySchema = uniqueSchema('privacy')

privacyContract('PostgreSQL', {
  open: inSchema(privacySchema),
  async cleanup() {},
  async storedBytes(tenantId, id) {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL })
    await client.connect()
    try {
      const { rows } = await client.query<{ data: number; payload: number | null }>(
        `SELECT octet_length(data::text) AS data, octet_length(payload) AS payload FROM "${privacySchema}".interactions WHERE tenant_id = $1 AND id = $2`,
        [tenantId, id],
      )
      return rows[0]!
    } finally {
      await client.end()
    }
  },
})
