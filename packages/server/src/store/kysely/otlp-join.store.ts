import type { ToolCall } from '@interlog/schema'
import type { Kysely } from 'kysely'
import type { LogEventRecord, OtlpJoinStore, RequestedToolCall, ToolSpanRecord } from '../store.js'
import { chunks } from './chunks.js'
import type { Database } from './database.js'

/** JSON columns come back parsed from PostgreSQL (JSONB) and as text from SQLite. */
const json = (value: string): unknown => JSON.parse(value)

/** The OTLP join tables: identical in both dialects. */
export class KyselyOtlpJoinStore implements OtlpJoinStore {
  constructor(private readonly db: Kysely<Database>) {}

  async saveRequestedCalls(tenantId: string, calls: RequestedToolCall[]): Promise<void> {
    for (const chunk of chunks(calls)) {
      await this.db
        .insertInto('otlp_requested_tool_calls')
        .values(chunk.map((call) => ({ ...call, tenant_id: tenantId })))
        .onConflict((oc) => oc.columns(['tenant_id', 'trace_id', 'tool_call_id']).doNothing())
        .execute()
    }
  }

  async requestedCallsOfTraces(tenantId: string, traceIds: string[]): Promise<RequestedToolCall[]> {
    const found: RequestedToolCall[] = []
    for (const chunk of chunks([...new Set(traceIds)])) {
      found.push(
        ...(await this.db
          .selectFrom('otlp_requested_tool_calls')
          .select(['trace_id', 'tool_call_id', 'interaction_id'])
          .where('tenant_id', '=', tenantId)
          .where('trace_id', 'in', chunk)
          .execute()),
      )
    }
    return found
  }

  async saveToolSpans(tenantId: string, spans: ToolSpanRecord[]): Promise<void> {
    for (const chunk of chunks(spans)) {
      await this.db
        .insertInto('otlp_tool_spans')
        .values(chunk.map((span) => ({ ...span, tenant_id: tenantId, tool_call: JSON.stringify(span.tool_call) })))
        .onConflict((oc) => oc.columns(['tenant_id', 'trace_id', 'span_id']).doNothing())
        .execute()
    }
  }

  async toolSpansOfTraces(tenantId: string, traceIds: string[]): Promise<ToolSpanRecord[]> {
    const found: ToolSpanRecord[] = []
    for (const chunk of chunks([...new Set(traceIds)])) {
      const rows = await this.db
        .selectFrom('otlp_tool_spans')
        .select(['trace_id', 'span_id', 'parent_span_id', 'tool_call_id', 'tool_call', 'received_ts'])
        .where('tenant_id', '=', tenantId)
        .where('trace_id', 'in', chunk)
        .orderBy('received_ts')
        .orderBy('span_id')
        .execute()
      for (const row of rows) {
        found.push({ ...row, tool_call: json(row.tool_call) as ToolCall, received_ts: Number(row.received_ts) })
      }
    }
    return found
  }

  async saveLogEvents(tenantId: string, events: LogEventRecord[]): Promise<void> {
    for (const chunk of chunks(events)) {
      await this.db
        .insertInto('otlp_log_events')
        .values(chunk.map((event) => ({ ...event, tenant_id: tenantId, body: JSON.stringify(event.body), attributes: JSON.stringify(event.attributes) })))
        .onConflict((oc) => oc.columns(['tenant_id', 'trace_id', 'span_id', 'event_key']).doNothing())
        .execute()
    }
  }

  async logEventsOfTraces(tenantId: string, traceIds: string[]): Promise<LogEventRecord[]> {
    const found: LogEventRecord[] = []
    for (const chunk of chunks([...new Set(traceIds)])) {
      const rows = await this.db
        .selectFrom('otlp_log_events')
        .select(['trace_id', 'span_id', 'event_key', 'event_name', 'time_ms', 'seq', 'body', 'attributes', 'received_ts'])
        .where('tenant_id', '=', tenantId)
        .where('trace_id', 'in', chunk)
        .orderBy('time_ms')
        .orderBy('received_ts')
        .orderBy('seq')
        .execute()
      for (const row of rows) {
        found.push({
          ...row,
          time_ms: Number(row.time_ms),
          received_ts: Number(row.received_ts),
          body: json(row.body),
          attributes: json(row.attributes) as Record<string, unknown>,
        })
      }
    }
    return found
  }
}
