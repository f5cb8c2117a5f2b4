import type {
  Feedback,
  FeedbackInput,
  Interaction,
  InteractionList,
  MetricsReport as MetricsReportSchema,
  MetricTotals as MetricTotalsSchema,
  Scope,
  Session,
  ToolCall,
} from '@interlog/schema'
import type { z } from 'zod'

/** Wire types come from the schema package, as types only: no runtime code of it reaches the bundle. */
export type { Feedback, FeedbackInput, Interaction, InteractionList, Scope, Session, ToolCall }
export type MetricsReport = z.infer<typeof MetricsReportSchema>
export type MetricTotals = z.infer<typeof MetricTotalsSchema>

export interface Thread {
  thread_id: string
  interactions: Interaction[]
  returned_count: number
}

interface Page {
  total_count: number
  returned_count: number
  limit: number
  offset: number
  next_cursor: string | null
}

export interface FailureView {
  id: string
  timestamp: string
  type: string | null
  model: string | null
  user_id: string | null
  thread_id: string | null
  error_type: string | null
  error_message: string | null
  error_details: unknown
  input: { user_message: string | null; rendered_prompt: string | null; input_variables: Record<string, unknown> | null }
  context: { prompt_id: string | null; prompt_version: string | null; latency_ms: number | null; failed_tool_calls: ToolCall[] }
}

export interface FailuresReport extends Page {
  failures: FailureView[]
  by_error_type: { error_type: string | null; count: number }[]
}

export interface DataQualityReport extends Page {
  with_required_variables: number
  all_variables_present: number
  all_variables_present_rate: number | null
  variables: { variable: string; missing_count: number }[]
  interactions: {
    id: string
    timestamp: string
    type: string | null
    prompt_id: string | null
    prompt_version: string | null
    missing_variables: string[]
    required_variables: string[]
    input_variables: Record<string, unknown>
  }[]
}
