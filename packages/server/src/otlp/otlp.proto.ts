import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import protobuf from 'protobufjs'

/**
 * The vendored .proto files (packages/server/proto). Both src/otlp and dist/otlp sit two levels
 * below the package, so the same relative path works from the sources (tests) and the build.
 */
export const PROTO_DIR = fileURLToPath(new URL('../../proto/', import.meta.url))

export interface OtlpProtos {
  exportTraceServiceRequest: protobuf.Type
  exportTraceServiceResponse: protobuf.Type
  exportLogsServiceRequest: protobuf.Type
  exportLogsServiceResponse: protobuf.Type
  status: protobuf.Type
}

let loaded: OtlpProtos | undefined

/** Parses the official definitions once per process (at server start-up). */
export function otlpProtos(): OtlpProtos {
  if (loaded) return loaded
  const root = new protobuf.Root()
  // Imports are written relative to the proto root ("opentelemetry/proto/common/v1/common.proto").
  root.resolvePath = (_origin, target) => join(PROTO_DIR, target)
  root.loadSync(
    ['opentelemetry/proto/collector/trace/v1/trace_service.proto', 'opentelemetry/proto/collector/logs/v1/logs_service.proto', 'google/rpc/status.proto'],
    { keepCase: false },
  )
  loaded = {
    exportTraceServiceRequest: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest'),
    exportTraceServiceResponse: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse'),
    exportLogsServiceRequest: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest'),
    exportLogsServiceResponse: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse'),
    status: root.lookupType('google.rpc.Status'),
  }
  return loaded
}
