import { LlmClient, OfflineExtractor, LlmExtractor } from '@interlog/flows'
import { KeysService } from './admin/keys.service.js'
import { ArchiveMaintenance } from './archive/archive-maintenance.service.js'
import { ArchiveSinks } from './archive/archive-sink.js'
import type { ArchiveSetup } from './archive/archive.config.js'
import { ArchiveService } from './archive/archive.service.js'
import { RetentionService } from './archive/retention.service.js'
import { TenantsService } from './admin/tenants.service.js'
import { DataQualityService } from './analytics/data-quality.service.js'
import { FailuresService } from './analytics/failures.service.js'
import { MetricsService } from './analytics/metrics.service.js'
import { AuditService } from './audit/audit.service.js'
import { AuthService } from './auth/auth.service.js'
import { ExamplesService } from './examples/examples.service.js'
import { auditedExports } from './export/export.audit.js'
import { ExportService } from './export/export.service.js'
import { ExamplesExportSource } from './export/examples.source.js'
import { InteractionsExportSource } from './export/interactions.source.js'
import { TieredInteractionsSource } from './export/tiered.source.js'
import { FeedbackService } from './feedback/feedback.service.js'
import { ExtractionService } from './flows/extraction.service.js'
import { DEFAULT_FLOW_SETTINGS, type FlowSettings } from './flows/flow-settings.js'
import { FlowTracers } from './flows/flow-tracers.js'
import { FlowsService } from './flows/flows.service.js'
import { CachedTenantPriceLookup } from './pricing/cached-tenant-price-lookup.js'
import { BundledPriceTable } from './pricing/price-table.js'
import { PricesService } from './pricing/prices.service.js'
import { PricingService } from './pricing/pricing.service.js'
import { ErasureService } from './privacy/erasure.service.js'
import { PrivacySettingsService } from './privacy/privacy-settings.service.js'
import { TenantPrivacy } from './privacy/tenant-privacy.js'
import { GroupCommitWriter } from './ingest/group-commit.writer.js'
import { InteractionsService } from './interactions/interactions.service.js'
import { OtlpJoins } from './otlp/otlp.joins.js'
import { OtlpService } from './otlp/otlp.service.js'
import { ReadinessService } from './readiness/readiness.service.js'
import { StorageStatsService } from './storage/storage-stats.service.js'
import { TrainingRunsService } from './training-runs/training-runs.service.js'
import { ValidationsService } from './validations/validations.service.js'
import { SessionService } from './session/session.service.js'
import { systemClock, uuidv7Ids, type Clock, type IdGenerator } from './runtime/clock.js'
import type { Store } from './store/store.js'

export interface Services {
  store: Store
  writer: GroupCommitWriter
  auth: AuthService
  tenants: TenantsService
  keys: KeysService
  interactions: InteractionsService
  metrics: MetricsService
  failures: FailuresService
  dataQuality: DataQualityService
  prices: PricesService
  feedback: FeedbackService
  validations: ValidationsService
  examples: ExamplesService
  trainingRuns: TrainingRunsService
  readiness: ReadinessService
  storageStats: StorageStatsService
  otlp: OtlpService
  exports: ExportService
  retention: RetentionService
  archive: ArchiveService
  archiveMaintenance: ArchiveMaintenance
  sessions: SessionService
  audit: AuditService
  privacySettings: PrivacySettingsService
  erasure: ErasureService
  flows: FlowsService
  extraction: ExtractionService
  /** Records flow steps through the SDK into this server's own ingest; closed before the writer drains. */
  flowTracers: FlowTracers
}

export interface ServiceOptions {
  writerBatchRows: number
  archive: ArchiveSetup
  /** How long a dashboard session lasts. */
  sessionTtlMs?: number
  flows?: FlowSettings
  clock?: Clock
  ids?: IdGenerator
}

const DEFAULT_SESSION_TTL_MS = 12 * 3_600_000

/** Measured on 2 cores: three overlapping transactions roughly double PostgreSQL ingest over one. */
const POSTGRES_WRITES_IN_FLIGHT = 3

/** The composition root: every service gets only what it uses. Shared by the server and the CLI. */
export function createServices(store: Store, options: ServiceOptions): Services {
  const clock = options.clock ?? systemClock
  const ids = options.ids ?? uuidv7Ids
  const writer = new GroupCommitWriter(store.interactions, {
    maxBatchRows: options.writerBatchRows,
    maxInFlight: store.dialect === 'postgres' ? POSTGRES_WRITES_IN_FLIGHT : 1,
  })
  const audit = new AuditService(store.audit, clock, ids)
  const privacy = new TenantPrivacy(store.settings, { clock })
  const tenants = new TenantsService(store.tenants, clock, ids, audit)
  const priceLookup = new CachedTenantPriceLookup(store.prices, { clock })
  const pricing = new PricingService(new BundledPriceTable(), priceLookup)
  const metrics = new MetricsService(store.metrics, clock)
  const auth = new AuthService(store.keys)
  const interactions = new InteractionsService(
    store.interactions,
    writer,
    clock,
    ids,
    pricing,
    (tenantId, filter) => metrics.countFromRollups(tenantId, filter),
    privacy,
    audit,
  )
  const sinks = new ArchiveSinks(options.archive.sinks)
  const retention = new RetentionService(store.archive, sinks, options.archive.defaultTarget, clock, audit)
  const archive = new ArchiveService({ store: store.archive, tenants: store.tenants, sinks, retention, audit, clock, ids, options: options.archive.service })
  const archiveMaintenance = new ArchiveMaintenance(archive)
  const hotInteractions = new InteractionsExportSource(store.exports)
  const flowSettings = options.flows ?? DEFAULT_FLOW_SETTINGS
  const llm = flowSettings.llm && new LlmClient(flowSettings.llm)
  const offline = new OfflineExtractor({ defaultRegion: flowSettings.phoneRegion })
  const flowTracers = new FlowTracers(interactions)
  const readiness = new ReadinessService(metrics, store.examples, store.readinessSettings, clock, audit)
  return {
    store,
    writer,
    auth,
    tenants,
    keys: new KeysService(store.keys, tenants, clock, ids, audit),
    interactions,
    metrics,
    failures: new FailuresService(interactions, store.metrics),
    dataQuality: new DataQualityService(interactions, metrics),
    prices: new PricesService(store.prices, priceLookup, clock, audit),
    feedback: new FeedbackService(store.feedback, store.interactions, clock, ids, privacy),
    validations: new ValidationsService(store.validations, store.interactions, clock, ids, privacy),
    examples: new ExamplesService(store.examples, store.interactions, clock, ids, privacy, audit),
    trainingRuns: new TrainingRunsService(store.trainingRuns, clock, ids),
    readiness,
    storageStats: new StorageStatsService({
      store: store.storage,
      archive,
      readinessOf: async (auth, type) => {
        const { score, ready } = await readiness.report(auth, type === null ? {} : { type })
        return { score, ready }
      },
      prices: options.archive.service.prices,
    }),
    otlp: new OtlpService(interactions, new OtlpJoins(store, clock), clock, privacy),
    audit,
    privacySettings: new PrivacySettingsService(store.settings, privacy, audit, clock),
    erasure: new ErasureService(store.interactions, archiveMaintenance, audit),
    sessions: new SessionService(auth, store.sessions, store.tenants, clock, options.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS),
    flows: new FlowsService(store.flows, flowTracers, llm ? new LlmExtractor(llm) : offline, clock, flowSettings, llm),
    extraction: new ExtractionService(interactions, offline, llm),
    flowTracers,
    exports: new ExportService([hotInteractions, new ExamplesExportSource(store.examples, clock)], clock, auditedExports(audit), new TieredInteractionsSource(hotInteractions, archive, store.exports)),
    retention,
    archive,
    archiveMaintenance,
  }
}
