import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { TEST_DATABASE_URL } from './databases.js'

declare module 'vitest' {
  export interface ProvidedContext {
    testRunId: string
  }
}

/**
 * PostgreSQL schemas made by this run are named after a run id and dropped here, once every worker is
 * done: dropping one while another worker's server migrates would break that server's catalogue reads.
 */
export default function setup(project: TestProject) {
  const runId = randomBytes(3).toString('hex')
  project.provide('testRunId', runId)
  return async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL })
    await client.connect()
    try {
      const { rows } = await client.query<{ nspname: string }>("SELECT nspname FROM pg_namespace WHERE nspname LIKE $1", [`t\\_${runId}\\_%`])
      for (const { nspname } of rows) await client.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`)
    } finally {
      await client.end()
    }
  }
}
