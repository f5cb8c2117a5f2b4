import { describe, expect, it } from 'vitest'
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../../src/errors/errors.js'
import { decodeContent, decodeExportTraceRequest } from '../../src/otlp/otlp.decode.js'
import { gzip, jsonRequest, protobufRequest, type SpanSpec } from '../support/otlp-payloads.js'

const spans: SpanSpec[] = [
  {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    parentSpanId: '1111111111111111',
    startMs: Date.parse('2026-03-01T10:00:00.000Z'),
    durationMs: 250,
    attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.usage.input_tokens': 12, 'gen_ai.request.temperature': 0.3, stream: false, stops: ['a', 'b'], nested: { k: 1 } },
    status: { code: 2, message: 'boom' },
  },
]

describe('decoding ExportTraceServiceRequest', () => {
  it('gives the same spans from protobuf and from OTLP/JSON', () => {
    const fromJson = decodeExportTraceRequest(Buffer.from(JSON.stringify(jsonRequest(spans))), 'json')
    const fromProtobuf = decodeExportTraceRequest(protobufRequest(spans), 'protobuf')
    expect(fromProtobuf).toEqual(fromJson)
    expect(fromJson.spans[0]).toMatchObject({
      resource: { 'service.name': 'fixture-app' },
      scope: { name: 'fixture', version: '1.0.0' },
      span: {
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        spanId: '00f067aa0ba902b7',
        parentSpanId: '1111111111111111',
        startMs: Date.parse('2026-03-01T10:00:00.000Z'),
        endMs: Date.parse('2026-03-01T10:00:00.250Z'),
        attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.usage.input_tokens': 12, 'gen_ai.request.temperature': 0.3, stream: false, stops: ['a', 'b'], nested: { k: 1 } },
        status: { code: 2, message: 'boom' },
      },
    })
  })

  it('accepts an empty request', () => {
    expect(decodeExportTraceRequest(Buffer.alloc(0), 'protobuf')).toEqual({ spans: [] })
    expect(decodeExportTraceRequest(Buffer.from('{}'), 'json')).toEqual({ spans: [] })
  })

  it('refuses truncated or corrupted protobuf with a 400', () => {
    const body = protobufRequest(spans)
    expect(() => decodeExportTraceRequest(body.subarray(0, body.length - 7), 'protobuf')).toThrow(ValidationError)
    expect(() => decodeExportTraceRequest(body.subarray(0, body.length - 7), 'protobuf')).toThrow(/Undecodable protobuf ExportTraceServiceRequest/)
    // Wire type 6 does not exist.
    expect(() => decodeExportTraceRequest(Buffer.from([0x0e, 0x01]), 'protobuf')).toThrow(/invalid wire type/)
    // A length prefix past the end of the body.
    expect(() => decodeExportTraceRequest(Buffer.from([0x0a, 0x05, 0x01]), 'protobuf')).toThrow(ValidationError)
  })

  it('skips a known field sent with another wire type, as protobuf decoders skip unknown fields', () => {
    // Field 1 (resource_spans, a message) as a varint: nothing readable, so no spans (and nothing stored).
    expect(decodeExportTraceRequest(Buffer.from([0x08, 0x01]), 'protobuf')).toEqual({ spans: [] })
  })

  it('refuses OTLP/JSON of the wrong types, naming the field', () => {
    const cases: [unknown, string][] = [
      [{ resourceSpans: {} }, 'resourceSpans'],
      [{ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 42 }] }] }] }, 'resourceSpans.0.scopeSpans.0.spans.0.traceId'],
      [{ resourceSpans: [{ scopeSpans: [{ spans: [{ startTimeUnixNano: 'yesterday' }] }] }] }, 'resourceSpans.0.scopeSpans.0.spans.0.startTimeUnixNano'],
      [{ resourceSpans: [{ scopeSpans: [{ spans: [{ attributes: [{ key: 'n', value: { intValue: 'abc' } }] }] }] }] }, 'resourceSpans.0.scopeSpans.0.spans.0.attributes.0.value.intValue'],
      [{ resourceSpans: [{ scopeSpans: [{ spans: [{ status: { code: 'BROKEN' } }] }] }] }, 'resourceSpans.0.scopeSpans.0.spans.0.status.code'],
    ]
    for (const [body, path] of cases) {
      const attempt = () => decodeExportTraceRequest(Buffer.from(JSON.stringify(body)), 'json')
      expect(attempt).toThrow(ValidationError)
      try {
        attempt()
      } catch (error) {
        expect((error as ValidationError).issues.map((issue) => issue.path)).toContain(path)
      }
    }
    expect(() => decodeExportTraceRequest(Buffer.from('{"resourceSpans": ['), 'json')).toThrow(/Malformed JSON/)
  })

  it('accepts enum names where OTLP/JSON senders use them', () => {
    const body = { resourceSpans: [{ scopeSpans: [{ spans: [{ kind: 'SPAN_KIND_CLIENT', status: { code: 'STATUS_CODE_ERROR' } }] }] }] }
    expect(decodeExportTraceRequest(Buffer.from(JSON.stringify(body)), 'json').spans[0]!.span).toMatchObject({ kind: 3, status: { code: 2 } })
  })
})

describe('content encoding', () => {
  it('gunzips, bounds the decompressed size and refuses other encodings', async () => {
    const body = Buffer.from(JSON.stringify(jsonRequest(spans)))
    expect(await decodeContent(gzip(body), 'gzip', 1_000_000)).toEqual(body)
    expect(await decodeContent(body, undefined, 1_000_000)).toBe(body)
    await expect(decodeContent(gzip(Buffer.alloc(2_000_000)), 'gzip', 1_000_000)).rejects.toThrow(PayloadTooLargeError)
    await expect(decodeContent(body, 'gzip', 1_000_000)).rejects.toThrow(ValidationError)
    await expect(decodeContent(body, 'br', 1_000_000)).rejects.toThrow(UnsupportedMediaTypeError)
  })
})
