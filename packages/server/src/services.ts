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
import { AuthService } from './auth/auth.service.js'
import { FeedbackService } from './feedback/feedback.service.js'
import { CachedTenantPriceLookup } from './pricing/cached-tenant-price-lookup.js'
import { BundledPriceTable } from './pricing/price-table.js'
import { PricesService } from './pricing/prices.service.js'
import { PricingService } from './pricing/pricing.service.js'
import { GroupCommitWriter } from './ingest/group-commit.writer.js'
import { InteractionsService } from './interactions/interactions.service.js'
import { OtlpJoins } from './otlp/otlp.joins.js'
import { OtlpService } from './otlp/otlp.service.js'
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
  otlp: OtlpService
  retention: RetentionService
  archive: ArchiveService
  archiveMaintenance: ArchiveMaintenance
}

export interface ServiceOptions {
  writerBatchRows: number
  archive: ArchiveSetup
  clock?: Clock
  ids?: IdGenerator
}

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
  const tenants = new TenantsService(store.tenants, clock, ids)
  const priceLookup = new CachedTenantPriceLookup(store.prices, { clock })
  const pricing = new PricingService(new BundledPriceTable(), priceLookup)
  const metrics = new MetricsService(store.metrics, clock)
  const interactions = new InteractionsService(store.interactions, writer, clock, ids, pricing, (tenantId, filter) =>
    metrics.countFromRollups(tenantId, filter),
  )
  const sinks = new ArchiveSinks(options.archive.sinks)
  const retention = new RetentionService(store.archive, sinks, options.archive.defaultTarget, clock)
  const archive = new ArchiveService({ store: store.archive, tenants: store.tenants, sinks, retention, clock, ids, options: options.archive.service })
  return {
    store,
    writer,
    auth: new AuthService(store.keys),
    tenants,
    keys: new KeysService(store.keys, tenants, clock, ids),
    interactions,
    metrics,
    failures: new FailuresService(interactions, store.metrics),
    dataQuality: new DataQualityService(interactions, metrics),
    prices: new PricesService(store.prices, priceLookup, clock),
    feedback: new FeedbackService(store.feedback, store.interactions, clock, ids),
    otlp: new OtlpService(interactions, new OtlpJoins(store, clock), clock),
    retention,
    archive,
    archiveMaintenance: new ArchiveMaintenance(archive),
  }
}
