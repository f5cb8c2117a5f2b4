import { context } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base'
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node'

let contextManager: AsyncLocalStorageContextManager | undefined

/**
 * An OpenTelemetry SDK set up the way an application does it: a tracer provider for a service whose
 * spans go through a batch processor to the given OTLP exporter. Active-span context propagates
 * through async calls, so instrumentation spans nest under the application's spans.
 */
export function tracingTo(exporter: SpanExporter, serviceName: string) {
  if (!contextManager) {
    contextManager = new AsyncLocalStorageContextManager().enable()
    context.setGlobalContextManager(contextManager)
  }
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName, 'deployment.environment.name': 'test' }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 60_000 })],
  })
  return {
    provider,
    tracer: provider.getTracer('interlog-e2e-app', '1.0.0'),
    /** Exports every ended span now (what the batch processor does on its timer or at shutdown). */
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  }
}
