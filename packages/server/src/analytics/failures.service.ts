import type { Interaction, InteractionListQuery } from '@interlog/schema'
import type { AuthContext } from '../auth/auth-context.js'
import type { InteractionsService } from '../interactions/interactions.service.js'
import type { MetricsStore } from '../store/store.js'

/** What a person debugging a failure needs: the error, what went in, and the context around it. */
const failureView = (it: Interaction) => ({
  id: it.id,
  timestamp: it.timestamp,
  type: it.type ?? null,
  model: it.model ?? null,
  provider: it.provider ?? null,
  user_id: it.user_id ?? null,
  thread_id: it.thread_id ?? null,
  session_id: it.session_id ?? null,
  error_type: it.error_type ?? null,
  error_message: it.error_message ?? null,
  error_details: it.error_details ?? null,
  input: {
    user_message: it.user_message ?? null,
    messages: it.messages ?? null,
    rendered_prompt: it.rendered_prompt ?? null,
    input_variables: it.input_variables ?? null,
  },
  context: {
    prompt_id: it.prompt_id ?? null,
    prompt_version: it.prompt_version ?? null,
    latency_ms: it.latency_ms ?? null,
    failed_tool_calls: (it.tool_calls ?? []).filter((call) => call.status === 'failure' || call.error !== undefined),
    metadata: it.metadata ?? null,
  },
})

export class FailuresService {
  constructor(
    private readonly interactions: InteractionsService,
    private readonly metrics: MetricsStore,
  ) {}

  async latest(auth: AuthContext, query: InteractionListQuery) {
    const { limit, offset, cursor: _cursor, ...filter } = query
    const page = await this.interactions.list(auth, { ...query, status: 'failure' })
    const byErrorType = await this.metrics.errorTypes(auth.tenantId, { ...filter, user_id: auth.userId ?? filter.user_id }, 20)
    return {
      failures: page.interactions.map(failureView),
      total_count: page.total_count,
      returned_count: page.returned_count,
      limit,
      offset,
      next_cursor: page.next_cursor,
      by_error_type: byErrorType,
    }
  }
}
