/**
 * One shape for an OTLP export request, whatever its encoding (JSON or protobuf, gzip or not):
 * ids as lower-case hex, times as epoch milliseconds, attributes as plain JS values.
 */

/** An attribute value as JSON can hold it (bytes become base64 strings). */
export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue }
export type Attributes = Record<string, AttributeValue>

export const STATUS_CODE_ERROR = 2

export interface SpanEvent {
  name: string
  timeMs: number
  attributes: Attributes
}

export interface OtlpSpan {
  /** 32 hex digits for a valid id; anything else is rejected span by span. */
  traceId: string
  /** 16 hex digits for a valid id. */
  spanId: string
  /** Empty for a root span. */
  parentSpanId: string
  name: string
  kind: number
  startMs: number
  endMs: number
  attributes: Attributes
  events: SpanEvent[]
  status: { code: number; message: string }
}

export interface InstrumentationScope {
  name: string
  version?: string
}

/** A span with the resource and scope it was reported under. */
export interface ReceivedSpan {
  span: OtlpSpan
  resource: Attributes
  scope: InstrumentationScope
}

export interface ExportTraceRequest {
  spans: ReceivedSpan[]
}

/** A log record; GenAI instrumentations emit events (`gen_ai.user.message`, `gen_ai.choice`...) as these. */
export interface OtlpLogRecord {
  traceId: string
  spanId: string
  timeMs: number
  /** The record's `event_name` field (OTLP 1.5); older senders put it in the `event.name` attribute. */
  eventName: string
  body: AttributeValue
  attributes: Attributes
}

export interface ExportLogsRequest {
  records: OtlpLogRecord[]
}
