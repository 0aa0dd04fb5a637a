import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';

export interface TracingSettings {
  serviceName: string;
  serviceInstanceId?: string;
  /** OTLP/HTTP base URL, e.g. http://127.0.0.1:14318; traces go to `<url>/v1/traces`. */
  otlpEndpoint: string;
  /** Share of new traces kept, 0..1; children follow their parent's decision. */
  sampleRatio?: number;
}

export interface Tracing {
  tracer: Tracer;
  /** Sends every finished span now. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Registers the process-wide tracer provider: W3C trace context, OTLP/HTTP export in batches.
 * Export failures (no collector running) are dropped by the exporter, never thrown at callers.
 */
export function startTracing(settings: TracingSettings): Tracing {
  const ratio = settings.sampleRatio ?? 1;
  if (!(ratio >= 0 && ratio <= 1)) throw new Error(`sampleRatio must be between 0 and 1, got ${ratio}`);
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      'service.name': settings.serviceName,
      'service.namespace': 'spark',
      ...(settings.serviceInstanceId ? { 'service.instance.id': settings.serviceInstanceId } : {}),
    }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) }),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: `${settings.otlpEndpoint.replace(/\/$/, '')}/v1/traces` }),
        scheduledDelayMillis: 500,
      }),
    ],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return {
    tracer: provider.getTracer('spark', '0.1.0'),
    flush: () => provider.forceFlush(),
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
