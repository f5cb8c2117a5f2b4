import pg from 'pg'
import { describe, expect, it, vi } from 'vitest'
import { PostgresStore } from '../../src/store/postgres/postgres.store.js'
import { TEST_DATABASE_URL, uniqueSchema } from '../support/databases.js'
import { exportContract } from './export.contract.js'
import { archiveContract } from './archive.contract.js'
import { dashboardContract } from './dashboard.contract.js'
import { flowsContract } from './flows.contract.js'
import { metricsContract } from './metrics.contract.js'
import { privacyContract } from './privacy.contract.js'
import { storeContract, type StoreHarness } from './store.contract.js'
import { trainingContract } from './training.contract.js'

/** Each suite on a schema of its own. */
function harness(schema: string): StoreHarness {
  return {
    async open() {
      const store = PostgresStore.open({ connectionString: TEST_DATABASE_URL, schema })
      await store.migrate()
      return store
    },
    async cleanup() {},
  }
}

storeContract('PostgreSQL', harness(uniqueSchema('contract')))
metricsContract('PostgreSQL', harness(uniqueSchema('metrics')))
dashboardContract('PostgreSQL', harness(uniqueSchema('dashboard')))
flowsContract('PostgreSQL', harness(uniqueSchema('flows')))
trainingContract('PostgreSQL', harness(uniqueSchema('training')))
exportContract('PostgreSQL', harness(uniqueSchema('export')))
archiveContract('PostgreSQL', harness(uniqueSchema('archive')))

const privacySchema = uniqueSchema('privacy')

privacyContract('PostgreSQL', {
  ...harness(privacySchema),
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

describe('PostgreSQL archive locks', () => {
  it('hold no pooled connection: more holders than the pool has connections still get work done', async () => {
    const schema = uniqueSchema('locks')
    const store = PostgresStore.open({ connectionString: TEST_DATABASE_URL, schema, poolSize: 2 })
    try {
      await store.migrate()
      // Exports of archived data for three tenants at once, each holding its tenant's lock while it reads.
      const holders = ['t1', 't2', 't3'].map((tenantId) => store.archive.withTenantLock(tenantId, () => store.tenants.list()))
      const stuck = new Promise((resolve) => setTimeout(() => resolve('pool exhausted'), 5_000).unref())
      expect(await Promise.race([Promise.all(holders), stuck])).toEqual([{ value: [] }, { value: [] }, { value: [] }])
      expect(await store.archive.withTenantLock('t1', async () => 'released')).toEqual({ value: 'released' })
    } finally {
      await store.close()
    }
  })

  it('opens no connection to be refused while another process holds the lock', async () => {
    const schema = uniqueSchema('locks')
    const holder = PostgresStore.open({ connectionString: TEST_DATABASE_URL, schema })
    const waiter = PostgresStore.open({ connectionString: TEST_DATABASE_URL, schema, poolSize: 1 })
    try {
      await holder.migrate()
      await waiter.tenants.list() // the pool's one connection, open before counting
      let release!: () => void
      const released = new Promise<void>((resolve) => (release = resolve))
      const held = holder.archive.withTenantLock('t1', () => released)
      await new Promise((resolve) => setTimeout(resolve, 100))
      const connects = vi.spyOn(pg.Client.prototype, 'connect')
      try {
        for (let poll = 0; poll < 10; poll++) expect(await waiter.archive.withTenantLock('t1', async () => 'taken')).toBeUndefined()
        expect(connects).not.toHaveBeenCalled()
        expect(await waiter.archive.withTenantLock('t2', async () => 'another tenant')).toEqual({ value: 'another tenant' })
        release()
        await held
        expect(await waiter.archive.withTenantLock('t1', async () => 'taken')).toEqual({ value: 'taken' })
        expect(connects).toHaveBeenCalledTimes(2)
      } finally {
        connects.mockRestore()
      }
    } finally {
      await Promise.all([holder.close(), waiter.close()])
    }
  })
})
