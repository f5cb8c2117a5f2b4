import { promisify } from 'node:util'
import { gunzip } from 'node:zlib'
import { z } from 'zod'
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../errors/errors.js'
import { validationErrorFrom } from '../errors/zod-issues.js'
import { anyValueToJs, keyValuesToJs, type AnyValueLike, type KeyValueLike } from './otlp.attributes.js'
import type { Type } from 'protobufjs'
import type { ExportLogsRequest, ExportTraceRequest, OtlpSpan, ReceivedSpan } from './otlp.model.js'
import { otlpProtos } from './otlp.proto.js'

export type OtlpEncoding = 'json' | 'protobuf'

const gunzipAsync = promisify(gunzip)

/** Undoes Content-Encoding; the decompressed size is bounded too, so a small gzip bomb gets 413. */
export async function decodeContent(body: Buffer, contentEncoding: string | undefined, maxBytes: number): Promise<Buffer> {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase()
  if (encoding === 'identity' || encoding === '') return body
  if (encoding !== 'gzip') throw new UnsupportedMediaTypeError(`Content-Encoding '${encoding}' is not supported; send gzip or no encoding`)
  try {
    return await gunzipAsync(body, { maxOutputLength: maxBytes })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new PayloadTooLargeError(`The decompressed body is larger than the limit of ${maxBytes} bytes`)
    }
    throw new ValidationError(`Undecodable gzip body: ${(error as Error).message}`)
  }
}

// ---- OTLP/JSON: lowerCamelCase keys, hex ids, int64 as strings or numbers, enums as integers (names accepted).

const int64 = z.union([z.number().int(), z.string().regex(/^-?\d+$/, 'expected an integer')])
const uint64 = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/, 'expected a non-negative integer')])
const enumValue = (names: readonly string[]) =>
  z.union([z.number().int(), z.enum(names).transform((name) => names.indexOf(name))])

const AnyValueJson: z.ZodType<AnyValueLike> = z.lazy(() =>
  z.object({
    stringValue: z.string().optional(),
    boolValue: z.boolean().optional(),
    intValue: int64.optional(),
    doubleValue: z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]).optional(),
    arrayValue: z.object({ values: z.array(AnyValueJson).nullish() }).nullish(),
    kvlistValue: z.object({ values: z.array(KeyValueJson).nullish() }).nullish(),
    bytesValue: z.string().optional(),
  }),
)
const KeyValueJson: z.ZodType<KeyValueLike> = z.lazy(() => z.object({ key: z.string(), value: AnyValueJson.nullish() }))
const attributes = z.array(KeyValueJson).nullish()

const SpanJson = z.object({
  traceId: z.string().optional(),
  spanId: z.string().optional(),
  parentSpanId: z.string().optional(),
  name: z.string().optional(),
  kind: enumValue(['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER']).optional(),
  startTimeUnixNano: uint64.optional(),
  endTimeUnixNano: uint64.optional(),
  attributes,
  events: z.array(z.object({ timeUnixNano: uint64.optional(), name: z.string().optional(), attributes })).nullish(),
  status: z
    .object({ code: enumValue(['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR']).optional(), message: z.string().optional() })
    .nullish(),
})

const ExportTraceServiceRequestJson = z.object({
  resourceSpans: z
    .array(
      z.object({
        resource: z.object({ attributes }).nullish(),
        scopeSpans: z
          .array(
            z.object({
              scope: z.object({ name: z.string().optional(), version: z.string().optional() }).nullish(),
              spans: z.array(SpanJson).nullish(),
            }),
          )
          .nullish(),
      }),
    )
    .nullish(),
})

const LogRecordJson = z.object({
  timeUnixNano: uint64.optional(),
  observedTimeUnixNano: uint64.optional(),
  body: AnyValueJson.nullish(),
  attributes,
  traceId: z.string().optional(),
  spanId: z.string().optional(),
  eventName: z.string().optional(),
})

const ExportLogsServiceRequestJson = z.object({
  resourceLogs: z
    .array(z.object({ scopeLogs: z.array(z.object({ logRecords: z.array(LogRecordJson).nullish() })).nullish() }))
    .nullish(),
})

/** What both decoders produce: the protobuf message classes and OTLP/JSON share field names. */
type DecodedRequest = z.infer<typeof ExportTraceServiceRequestJson>
type DecodedLogsRequest = z.infer<typeof ExportLogsServiceRequestJson>
type DecodedSpan = z.infer<typeof SpanJson>
type Id = string | Uint8Array | undefined
type Nanos = number | string | { toNumber(): number } | undefined

const hex = (id: Id): string =>
  !id || id.length === 0 ? '' : typeof id === 'string' ? id.toLowerCase() : Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString('hex')

/**
 * Epoch milliseconds with microseconds as the fraction. Nanoseconds since 1970 exceed a double's exact
 * range; rounding to microseconds first removes that error (…250000000 ns is 250 ms, not 249.9999).
 */
const millis = (nanos: Nanos): number =>
  nanos === undefined ? 0 : Math.round((typeof nanos === 'object' ? nanos.toNumber() : Number(nanos)) / 1000) / 1000

function toSpan(span: DecodedSpan): OtlpSpan {
  return {
    traceId: hex(span.traceId as Id),
    spanId: hex(span.spanId as Id),
    parentSpanId: hex(span.parentSpanId as Id),
    name: span.name ?? '',
    kind: span.kind ?? 0,
    startMs: millis(span.startTimeUnixNano as Nanos),
    endMs: millis(span.endTimeUnixNano as Nanos),
    attributes: keyValuesToJs(span.attributes),
    events: (span.events ?? []).map((event) => ({
      name: event.name ?? '',
      timeMs: millis(event.timeUnixNano as Nanos),
      attributes: keyValuesToJs(event.attributes),
    })),
    status: { code: span.status?.code ?? 0, message: span.status?.message ?? '' },
  }
}

function normalize(request: DecodedRequest): ExportTraceRequest {
  const spans: ReceivedSpan[] = []
  for (const resourceSpans of request.resourceSpans ?? []) {
    const resource = keyValuesToJs(resourceSpans.resource?.attributes)
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      const scope = { name: scopeSpans.scope?.name ?? '', version: scopeSpans.scope?.version || undefined }
      for (const span of scopeSpans.spans ?? []) spans.push({ span: toSpan(span), resource, scope })
    }
  }
  return { spans }
}

/** Decodes a protobuf or OTLP/JSON message; anything that is not one is a 400 naming the problem. */
function decodeMessage<S extends z.ZodType>(body: Buffer, encoding: OtlpEncoding, type: Type, json: S): z.output<S> {
  if (encoding === 'protobuf') {
    try {
      return type.decode(body) as unknown as z.output<S>
    } catch (error) {
      throw new ValidationError(`Undecodable protobuf ${type.name}: ${(error as Error).message}`)
    }
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(body.toString('utf8'))
  } catch (error) {
    throw new ValidationError(`Malformed JSON body: ${(error as Error).message}`)
  }
  const result = json.safeParse(parsed)
  if (!result.success) throw validationErrorFrom(result.error, `OTLP/JSON ${type.name}`)
  return result.data
}

export function decodeExportTraceRequest(body: Buffer, encoding: OtlpEncoding): ExportTraceRequest {
  return normalize(decodeMessage(body, encoding, otlpProtos().exportTraceServiceRequest, ExportTraceServiceRequestJson) as DecodedRequest)
}

export function decodeExportLogsRequest(body: Buffer, encoding: OtlpEncoding): ExportLogsRequest {
  const request = decodeMessage(body, encoding, otlpProtos().exportLogsServiceRequest, ExportLogsServiceRequestJson) as DecodedLogsRequest
  const records: ExportLogsRequest['records'] = []
  for (const resourceLogs of request.resourceLogs ?? []) {
    for (const scopeLogs of resourceLogs.scopeLogs ?? []) {
      for (const record of scopeLogs.logRecords ?? []) {
        records.push({
          traceId: hex(record.traceId as Id),
          spanId: hex(record.spanId as Id),
          // Use the event time when there is one, else when it was observed (the OTLP recommendation).
          timeMs: millis(record.timeUnixNano as Nanos) || millis(record.observedTimeUnixNano as Nanos),
          eventName: record.eventName ?? '',
          body: anyValueToJs(record.body),
          attributes: keyValuesToJs(record.attributes),
        })
      }
    }
  }
  return { records }
}
