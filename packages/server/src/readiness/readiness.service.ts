import { DEFAULT_READINESS_THRESHOLDS, ReadinessSettingsInput, type Readiness, type ReadinessQuery, type ReadinessSettings } from '@interlog/schema'
import type { MetricsService } from '../analytics/metrics.service.js'
import type { AuditService } from '../audit/audit.service.js'
import type { AuthContext } from '../auth/auth-context.js'
import { parseOrThrow } from '../errors/zod-issues.js'
import type { Clock } from '../runtime/clock.js'
import type { ExampleStore, ReadinessSettingsStore } from '../store/store.js'
import { scoreReadiness } from './readiness.scoring.js'

/**
 * Whether a tenant has enough good data to fine-tune. Interaction counts come from the metric
 * rollups when the filter allows (type alone), else from an index that holds category, type, status
 * and feedback; examples count as quality examples from the tenant's quality_example_min_score on.
 */
export class ReadinessService {
  constructor(
    private readonly metrics: Pick<MetricsService, 'sums'>,
    private readonly examples: Pick<ExampleStore, 'count'>,
    private readonly settings: ReadinessSettingsStore,
    private readonly clock: Clock,
    private readonly audit: Pick<AuditService, 'record'>,
  ) {}

  async report(auth: AuthContext, query: ReadinessQuery): Promise<Readiness> {
    const thresholds = await this.getSettings(auth)
    const user = auth.userId === undefined ? {} : { user_id: auth.userId }
    const [sums, qualityExamples] = await Promise.all([
      this.metrics.sums(auth.tenantId, { ...query, ...user }, ['n', 'success_n', 'feedback_n']),
      this.examples.count(auth.tenantId, { ...query, ...user, min_quality: thresholds.quality_example_min_score }),
    ])
    return scoreReadiness(thresholds, { interactions: sums.n, successful: sums.success_n, with_feedback: sums.feedback_n, quality_examples: qualityExamples }, query)
  }

  /** The tenant's thresholds, defaults where it set none. */
  async getSettings(auth: AuthContext): Promise<ReadinessSettings> {
    const stored = await this.settings.get(auth.tenantId)
    return { ...DEFAULT_READINESS_THRESHOLDS, ...stored?.thresholds, updated_at: stored?.updated_at ?? null }
  }

  /** Replaces the tenant's thresholds: what the body leaves out goes back to its default. */
  async putSettings(auth: AuthContext, body: unknown): Promise<ReadinessSettings> {
    const thresholds = parseOrThrow(ReadinessSettingsInput, body, 'readiness settings')
    const updated_at = this.clock.now().toISOString()
    await this.settings.put(auth.tenantId, { thresholds, updated_at })
    await this.audit.record(auth.tenantId, { actor: auth, action: 'settings.readiness.update', details: thresholds })
    return { ...DEFAULT_READINESS_THRESHOLDS, ...thresholds, updated_at }
  }
}
