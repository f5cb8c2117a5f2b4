import type { Kysely, Migration } from 'kysely'
import type { ColumnTypes } from './dialect-types.js'

/**
 * OTLP ingest: which model call requested which tool call id, the `execute_tool` spans, and the GenAI
 * log events, so each joins its interaction whichever arrives first. All are read by trace.
 */
export function otlpJoinsMigration(types: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('otlp_requested_tool_calls')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('trace_id', 'text', (c) => c.notNull())
        .addColumn('tool_call_id', 'text', (c) => c.notNull())
        .addColumn('interaction_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('otlp_requested_tool_calls_pk', ['tenant_id', 'trace_id', 'tool_call_id'])
        .execute()

      await db.schema
        .createTable('otlp_tool_spans')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('trace_id', 'text', (c) => c.notNull())
        .addColumn('span_id', 'text', (c) => c.notNull())
        .addColumn('parent_span_id', 'text')
        .addColumn('tool_call_id', 'text')
        .addColumn('tool_call', 'text', (c) => c.notNull())
        .addColumn('received_ts', types.bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('otlp_tool_spans_pk', ['tenant_id', 'trace_id', 'span_id'])
        .execute()

      await db.schema
        .createTable('otlp_log_events')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('trace_id', 'text', (c) => c.notNull())
        .addColumn('span_id', 'text', (c) => c.notNull())
        .addColumn('event_key', 'text', (c) => c.notNull())
        .addColumn('event_name', 'text', (c) => c.notNull())
        .addColumn('time_ms', types.double, (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        // JSON text in both dialects: a body may be a bare JSON string, which JSONB would hand back decoded.
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('attributes', 'text', (c) => c.notNull())
        .addColumn('received_ts', types.bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('otlp_log_events_pk', ['tenant_id', 'trace_id', 'span_id', 'event_key'])
        .execute()
    },
  }
}
