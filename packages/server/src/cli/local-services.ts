import { DEFAULT_TENANT } from '../admin/bootstrap.js'
import { archiveSetupFrom } from '../archive/archive.config.js'
import { localRootContext, type AuthContext } from '../auth/auth-context.js'
import type { Config } from '../config/config.js'
import { flowSettingsFrom } from '../flows/flow-settings.js'
import { createServices, type Services } from '../services.js'
import { openStore } from '../store/create-store.js'

export interface LocalSession {
  services: Services
  /** The CLI has direct database access, so it acts as root. */
  actor: AuthContext
  close(): Promise<void>
}

/**
 * Opens the store directly, so admin commands work whether or not a server is running
 * (SQLite in WAL mode and PostgreSQL both allow a second process).
 */
export async function openLocalSession(config: Config): Promise<LocalSession> {
  const store = await openStore({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    postgresSchema: config.databaseSchema,
    poolSize: 2,
    compressThresholdBytes: config.compressThresholdBytes,
  })
  const services = createServices(store, { writerBatchRows: config.writerBatchRows, archive: archiveSetupFrom(config), flows: flowSettingsFrom(config) })
  const tenant = await services.tenants.ensure(DEFAULT_TENANT)
  return {
    services,
    actor: localRootContext(tenant.id),
    close: async () => {
      await services.flowTracers.close()
      await services.writer.drain()
      await store.close()
    },
  }
}

export async function withLocalSession<T>(config: Config, run: (session: LocalSession) => Promise<T>): Promise<T> {
  const session = await openLocalSession(config)
  try {
    return await run(session)
  } finally {
    await session.close()
  }
}
