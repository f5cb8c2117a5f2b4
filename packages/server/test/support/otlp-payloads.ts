import { gzipSync } from 'node:zlib'
import { otlpProtos } from '../../src/otlp/otlp.proto.js'

/** OTLP/JSON AnyValue of a JS value (the shapes instrumentations send). */
export function anyValue(value: unknown): Record<string, unknown> {
  if (typeof value === 'string') return { stringValue: value }
  if (typeof value === 'boolean') return { boolValue: value }
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value }
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } }
  if (value && typeof value === 'object') return { kvlistValue: { values: keyValues(value as Record<string, unknown>) } }
  return {}
}

export const keyValues = (attributes: Record<string, unknown>) =>
  Object.entries(attributes).map(([key, value]) => ({ key, value: anyValue(value) }))

export interface SpanSpec {
  traceId: string
  spanId: string
  parentSpanId?: string
  name?: string
  attributes?: Record<string, unknown>
  startMs?: number
  durationMs?: number
  status?: { code: number; message?: string }
  events?: { name: string; attributes: Record<string, unknown> }[]
}

const nanos = (ms: number) => (BigInt(Math.round(ms * 1000)) * 1000n).toString()

/** An OTLP/JSON span, the way the OTel JS exporter writes one (hex ids, int64 as strings). */
export function jsonSpan(spec: SpanSpec) {
  const start = spec.startMs ?? Date.parse('2026-03-01T10:00:00Z')
  return {
    traceId: spec.traceId,
    spanId: spec.spanId,
    ...(spec.parentSpanId ? { parentSpanId: spec.parentSpanId } : {}),
    name: spec.name ?? 'chat gpt-4o-mini',
    kind: 3,
    startTimeUnixNano: nanos(start),
    endTimeUnixNano: nanos(start + (spec.durationMs ?? 420)),
    attributes: keyValues(spec.attributes ?? {}),
    events: (spec.events ?? []).map((event) => ({ name: event.name, timeUnixNano: nanos(start + 1), attributes: keyValues(event.attributes) })),
    status: spec.status ?? { code: 0 },
  }
}

/** An ExportTraceServiceRequest in OTLP/JSON. */
export function jsonRequest(spans: SpanSpec[], resource: Record<string, unknown> = { 'service.name': 'fixture-app' }) {
  return {
    resourceSpans: [{ resource: { attributes: keyValues(resource) }, scopeSpans: [{ scope: { name: 'fixture', version: '1.0.0' }, spans: spans.map(jsonSpan) }] }],
  }
}

/** The same request in binary protobuf: the JSON mapping's hex ids become bytes. */
export function protobufRequest(spans: SpanSpec[], resource?: Record<string, unknown>): Buffer {
  const json = jsonRequest(spans, resource)
  const bytes = (hex: string | undefined) => (hex ? Buffer.from(hex, 'hex') : undefined)
  for (const span of json.resourceSpans[0]!.scopeSpans[0]!.spans as Record<string, unknown>[]) {
    span.traceId = bytes(span.traceId as string)
    span.spanId = bytes(span.spanId as string)
    span.parentSpanId = bytes(span.parentSpanId as string | undefined)
  }
  const type = otlpProtos().exportTraceServiceRequest
  return Buffer.from(type.encode(type.fromObject(json)).finish())
}

export const gzip = (body: Buffer | string) => gzipSync(body)

let counter = 0
/** A fresh valid trace id (32 hex digits) and span id (16 hex digits). */
export const freshTraceId = () => (++counter).toString(16).padStart(8, '0') + 'a'.repeat(16) + Date.now().toString(16).slice(-8).padStart(8, '0')
export const freshSpanId = () => (++counter).toString(16).padStart(16, '0')

export interface LogSpec {
  traceId?: string
  spanId?: string
  eventName?: string
  body?: unknown
  attributes?: Record<string, unknown>
  timeMs?: number
}

/** An ExportLogsServiceRequest in OTLP/JSON. */
export function jsonLogsRequest(records: LogSpec[]) {
  return {
    resourceLogs: [
      {
        resource: { attributes: keyValues({ 'service.name': 'fixture-app' }) },
        scopeLogs: [
          {
            scope: { name: 'fixture' },
            logRecords: records.map((record) => ({
              timeUnixNano: nanos(record.timeMs ?? Date.parse('2026-03-01T10:00:00Z')),
              ...(record.traceId ? { traceId: record.traceId } : {}),
              ...(record.spanId ? { spanId: record.spanId } : {}),
              ...(record.eventName ? { eventName: record.eventName } : {}),
              ...(record.body === undefined ? {} : { body: anyValue(record.body) }),
              attributes: keyValues(record.attributes ?? {}),
            })),
          },
        ],
      },
    ],
  }
}

/** The same logs request in binary protobuf. */
export function protobufLogsRequest(records: LogSpec[]): Buffer {
  const json = jsonLogsRequest(records)
  for (const record of json.resourceLogs[0]!.scopeLogs[0]!.logRecords as Record<string, unknown>[]) {
    if (record.traceId) record.traceId = Buffer.from(record.traceId as string, 'hex')
    if (record.spanId) record.spanId = Buffer.from(record.spanId as string, 'hex')
  }
  const type = otlpProtos().exportLogsServiceRequest
  return Buffer.from(type.encode(type.fromObject(json)).finish())
}
