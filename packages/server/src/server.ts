import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { bootstrapAdmin } from './admin/bootstrap.js'
import { archiveSetupFrom } from './archive/archive.config.js'
import { ArchiveScheduler } from './archive/archive.scheduler.js'
import type { Config } from './config/config.js'
import { defaultDashboardDir } from './dashboard/dashboard.routes.js'
import { buildApp } from './http/app.js'
import { systemClock, type Clock, type IdGenerator } from './runtime/clock.js'
import { VERSION } from './runtime/version.js'
import { flowSettingsFrom } from './flows/flow-settings.js'
import { createServices, type Services } from './services.js'
import { openStore } from './store/create-store.js'

export interface RunningServer {
  app: FastifyInstance
  url: string
  /** Stops accepting requests, lets in-flight ones finish, writes what is queued, closes the store. */
  close(): Promise<void>
}

export interface StartOptions {
  logger: Logger
  clock?: Clock
  ids?: IdGenerator
  /** Where the one-time generated admin key is shown. */
  announceAdminKey?: (key: string) => void
}

const announceOnStdout = (key: string) =>
  process.stdout.write(
    `\ninterlog generated a root admin key. It is shown only this once; keep it safe:\n\n  ${key}\n\n` +
      'Use it as "Authorization: Bearer <key>" or set INTERLOG_ADMIN_KEY to choose your own.\n\n',
  )

export async function startServer(config: Config, options: StartOptions): Promise<RunningServer> {
  const { logger } = options
  const store = await openStore({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    postgresSchema: config.databaseSchema,
    poolSize: config.pgPoolSize,
    compressThresholdBytes: config.compressThresholdBytes,
  })
  const services = createServices(store, {
    writerBatchRows: config.writerBatchRows,
    archive: archiveSetupFrom(config),
    sessionTtlMs: config.sessionTtlHours * 3_600_000,
    flows: flowSettingsFrom(config),
    clock: options.clock,
    ids: options.ids,
  })
  const boot = await bootstrapAdmin(store, services.tenants, services.keys, options.clock ?? systemClock, config.adminKey)
  if (boot.generatedAdminKey) (options.announceAdminKey ?? announceOnStdout)(boot.generatedAdminKey)

  let draining = false
  const app = await buildApp(services, {
    logger,
    bodyLimitBytes: config.bodyLimitBytes,
    rateLimitPerMinute: config.rateLimitPerMinute,
    version: VERSION,
    isDraining: () => draining,
    trustProxy: config.trustProxy,
    dashboardDir: config.dashboardDir ?? defaultDashboardDir(),
  })
  const address = await app.listen({ port: config.port, host: config.host })
  logger.info({ url: address, store: store.dialect, version: VERSION }, 'listening')
  const scheduler = config.archiveEvery > 0 ? new ArchiveScheduler((signal) => scheduledArchive(services, signal, logger), config.archiveEvery) : undefined
  scheduler?.start()

  let closing: Promise<void> | undefined
  const close = () =>
    (closing ??= (async () => {
      draining = true
      await app.close()
      await scheduler?.stop()
      await services.flowTracers.close()
      await services.writer.drain()
      await store.close()
      logger.info('stopped')
    })())
  return { app, url: address, close }
}

/** One scheduled archive run, logged; a failure is logged and the schedule goes on. */
async function scheduledArchive(services: Services, signal: AbortSignal, logger: Logger): Promise<void> {
  try {
    const summary = await services.archive.runScheduled(signal)
    if (!summary) return logger.debug('scheduled archive skipped: another replica is running it')
    const { records, bytes_before, bytes_after } = summary.totals
    const expired = summary.tenants.reduce((sum, tenant) => sum + tenant.expired_batches, 0)
    const fields = { run_id: summary.run_id, records, bytes_before, bytes_after, expired_batches: expired, locked_tenants: summary.locked_tenants }
    // Most runs find nothing to do: those are not worth a line at info level.
    if (summary.failed_tenants.length > 0) logger.error({ ...fields, failed_tenants: summary.failed_tenants }, 'scheduled archive run failed for some tenants')
    else if (records > 0 || expired > 0) logger.info(fields, 'scheduled archive run finished')
    else logger.debug(fields, 'scheduled archive run finished')
  } catch (error) {
    logger.error({ err: error }, 'scheduled archive run failed')
  }
}
