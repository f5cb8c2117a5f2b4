import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { bootstrapAdmin } from './admin/bootstrap.js'
import type { Config } from './config/config.js'
import { buildApp } from './http/app.js'
import { systemClock, type Clock, type IdGenerator } from './runtime/clock.js'
import { VERSION } from './runtime/version.js'
import { flowSettingsFrom } from './flows/flow-settings.js'
import { createServices } from './services.js'
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
  const services = createServices(store, { writerBatchRows: config.writerBatchRows, flows: flowSettingsFrom(config), clock: options.clock, ids: options.ids })
  const boot = await bootstrapAdmin(store, services.tenants, services.keys, options.clock ?? systemClock, config.adminKey)
  if (boot.generatedAdminKey) (options.announceAdminKey ?? announceOnStdout)(boot.generatedAdminKey)

  let draining = false
  const app = await buildApp(services, {
    logger,
    bodyLimitBytes: config.bodyLimitBytes,
    rateLimitPerMinute: config.rateLimitPerMinute,
    version: VERSION,
    isDraining: () => draining,
  })
  const address = await app.listen({ port: config.port, host: config.host })
  logger.info({ url: address, store: store.dialect, version: VERSION }, 'listening')

  let closing: Promise<void> | undefined
  const close = () =>
    (closing ??= (async () => {
      draining = true
      await app.close()
      await services.flowTracers.close()
      await services.writer.drain()
      await store.close()
      logger.info('stopped')
    })())
  return { app, url: address, close }
}
