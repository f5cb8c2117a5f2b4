import { pino } from 'pino'
import { loadConfig, type Config } from '../../src/config/config.js'
import { startServer, type RunningServer } from '../../src/server.js'
import { freshDatabase, type StoreKind } from './databases.js'
import { TEST_ADMIN_KEY } from './server-process.js'

/** A real server listening on a free port, on a fresh database of the given kind. */
export async function startTestServer(kind: StoreKind, label: string, overrides: Partial<Config> = {}) {
  const database = freshDatabase(kind, label)
  const config = {
    ...loadConfig({}),
    port: 0,
    adminKey: TEST_ADMIN_KEY,
    rateLimitPerMinute: 0,
    dataDir: database.dataDir,
    databaseUrl: database.databaseUrl,
    databaseSchema: database.databaseSchema,
    ...overrides,
  }
  const server: RunningServer = await startServer(config, { logger: pino({ level: 'silent' }) })
  return {
    url: server.url,
    server,
    async stop() {
      await server.close()
      await database.cleanup()
    },
  }
}
