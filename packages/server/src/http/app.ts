import cookie from '@fastify/cookie'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import { adminRoutes } from '../admin/admin.routes.js'
import { analyticsRoutes } from '../analytics/analytics.routes.js'
import { archiveRoutes } from '../archive/archive.routes.js'
import { dashboardRoutes } from '../dashboard/dashboard.routes.js'
import { auditRoutes } from '../audit/audit.routes.js'
import { interactionRoutes } from '../interactions/interactions.routes.js'
import { exportRoutes } from '../export/export.routes.js'
import { feedbackRoutes } from '../feedback/feedback.routes.js'
import { extractionRoutes } from '../flows/extraction.routes.js'
import { flowsRoutes } from '../flows/flows.routes.js'
import { pricesRoutes } from '../pricing/prices.routes.js'
import { otlpRoutes } from '../otlp/otlp.routes.js'
import { exampleRoutes } from '../examples/examples.routes.js'
import { readinessRoutes } from '../readiness/readiness.routes.js'
import { storageRoutes } from '../storage/storage.routes.js'
import { trainingRunRoutes } from '../training-runs/training-runs.routes.js'
import { validationRoutes } from '../validations/validations.routes.js'
import { sessionRoutes } from '../session/session.routes.js'
import { privacyRoutes } from '../privacy/privacy.routes.js'
import type { Services } from '../services.js'
import type { Store } from '../store/store.js'
import { registerAuth } from './auth.hook.js'
import { answerFrameworkError, registerErrorHandler } from './error-handler.js'
import { healthRoutes } from './health.routes.js'
import { registerOpenApi } from './openapi.js'
import { registerRateLimit } from './rate-limit.js'
import { zodValidatorCompiler } from './zod-validation.js'

/** What the routes need: every service but the writer, which only the ingest service talks to. */
export type AppServices = Omit<Services, 'writer' | 'store' | 'flowTracers'> & { store: Pick<Store, 'ping'> }

export interface AppOptions {
  logger: FastifyBaseLogger
  bodyLimitBytes: number
  rateLimitPerMinute: number
  version: string
  isDraining: () => boolean
  /** Trust X-Forwarded-* from a proxy in front (so the session cookie is Secure behind a TLS proxy). */
  trustProxy?: boolean
  /** The built dashboard to serve at `/`; undefined: none (the API only). */
  dashboardDir?: string
}

/** The HTTP API: plugins, the error mapping and every route, wired to injected services. */
export async function buildApp(services: AppServices, options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimitBytes,
    // Per-request logs would dominate at ingest rates; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    // Proxies in front of us terminate slow clients; keep our own timeouts generous but bounded.
    requestTimeout: 120_000,
    return503OnClosing: true,
    trustProxy: options.trustProxy ?? false,
    // Ids of up to 128 and thread ids of up to 256 characters, each up to 12 when percent-encoded
    // (a 4-byte UTF-8 character); Fastify's default of 100 left long ones unreachable.
    maxParamLength: 256 * 12,
    frameworkErrors: answerFrameworkError,
  })
  app.setValidatorCompiler(zodValidatorCompiler)
  // Responses are built from typed objects; plain JSON.stringify keeps large pages fast.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data))
  registerErrorHandler(app)
  // While draining, answer in-flight requests with Connection: close, so keep-alive clients let go
  // and shutdown does not wait for their idle timeout.
  app.addHook('onSend', async (_request, reply) => {
    if (options.isDraining()) reply.header('connection', 'close')
  })
  await registerOpenApi(app, options.version)
  await app.register(cookie)
  registerAuth(app, services.auth, services.sessions)
  await registerRateLimit(app, options.rateLimitPerMinute)

  healthRoutes(app, services.store, options.isDraining)
  adminRoutes(app, services.tenants, services.keys)
  interactionRoutes(app, services.interactions)
  analyticsRoutes(app, services.metrics, services.failures, services.dataQuality)
  pricesRoutes(app, services.prices)
  feedbackRoutes(app, services.feedback)
  validationRoutes(app, services.validations)
  exampleRoutes(app, services.examples)
  trainingRunRoutes(app, services.trainingRuns)
  readinessRoutes(app, services.readiness)
  storageRoutes(app, services.storageStats)
  exportRoutes(app, services.exports)
  archiveRoutes(app, services.retention, services.archive, services.archiveMaintenance)
  privacyRoutes(app, services.privacySettings, services.erasure)
  auditRoutes(app, services.audit)
  flowsRoutes(app, services.flows)
  extractionRoutes(app, services.extraction)
  await otlpRoutes(app, services.otlp, { bodyLimitBytes: options.bodyLimitBytes })
  sessionRoutes(app, services.sessions)
  await dashboardRoutes(app, options.dashboardDir)
  return app
}
