import type { InteractionListQuery } from '@interlog/schema'
import type { AuthContext } from '../auth/auth-context.js'
import type { InteractionsService } from '../interactions/interactions.service.js'
import type { MetricsService } from './metrics.service.js'

/** Interactions whose prompt was rendered with required variables missing, and which variables go missing most. */
export class DataQualityService {
  constructor(
    private readonly interactions: InteractionsService,
    private readonly metrics: MetricsService,
  ) {}

  async report(auth: AuthContext, query: InteractionListQuery) {
    const { limit, offset, cursor: _cursor, ...filter } = query
    const [page, aggregate] = await Promise.all([
      this.interactions.list(auth, { ...query, incomplete_variables: true }),
      this.metrics.aggregate(auth, filter),
    ])
    const variables = Object.entries(aggregate.missing_vars)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([variable, missing_count]) => ({ variable, missing_count }))
    return {
      with_required_variables: aggregate.vars_n,
      all_variables_present: aggregate.vars_complete_n,
      all_variables_present_rate: aggregate.vars_n > 0 ? aggregate.vars_complete_n / aggregate.vars_n : null,
      variables,
      interactions: page.interactions.map((it) => ({
        id: it.id,
        timestamp: it.timestamp,
        type: it.type ?? null,
        prompt_id: it.prompt_id ?? null,
        prompt_version: it.prompt_version ?? null,
        missing_variables: it.missing_variables ?? [],
        required_variables: it.required_variables ?? [],
        input_variables: it.input_variables ?? {},
      })),
      total_count: page.total_count,
      returned_count: page.returned_count,
      limit,
      offset,
      next_cursor: page.next_cursor,
    }
  }
}
