import {
  type Attributes,
  type Context,
  context,
  type Link,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
  type Tracer,
} from '@opentelemetry/api';

/** Spark's one attribute scheme for its own spans (docs/adr/0070-observability.md). */
export const SparkAttributes = {
  runId: 'spark.run.id',
  stepId: 'spark.step.id',
  attempt: 'spark.attempt',
  workflow: 'spark.workflow',
  streamRevision: 'spark.stream.revision',
  command: 'spark.command',
  handler: 'spark.handler',
  eventType: 'spark.event.type',
  scheduleId: 'spark.schedule.id',
} as const;

/** The tracer for Spark's own spans; a no-op until startTracing registered a provider. */
export function sparkTracer(): Tracer {
  return trace.getTracer('spark', '0.1.0');
}

/** The context a W3C `traceparent` describes (the active one when there is none or no propagator). */
export function contextFromTraceparent(traceparent: string | undefined, base: Context = context.active()) {
  return traceparent ? propagation.extract(base, { traceparent }) : base;
}

/** W3C Trace Context headers as a caller sent them (HTTP headers, gRPC metadata). */
export interface TraceHeaders {
  traceparent?: string | undefined;
  tracestate?: string | undefined;
}

/**
 * The context a caller's W3C trace headers describe, to continue the caller's trace; `base` when there
 * is no (valid) `traceparent` (the propagator ignores malformed ones, as the W3C spec asks).
 */
export function contextFromTraceHeaders(headers: TraceHeaders, base: Context = context.active()): Context {
  if (!headers.traceparent) return base;
  return propagation.extract(base, {
    traceparent: headers.traceparent,
    ...(headers.tracestate ? { tracestate: headers.tracestate } : {}),
  });
}

/** The `traceparent` of the active span, or `fallback` when there is none (tracing off, not sampled away). */
export function currentTraceparent(fallback?: string, ctx: Context = context.active()): string | undefined {
  if (!trace.getSpan(ctx)?.spanContext().traceId) return fallback;
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent ?? fallback;
}

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** Parent context; the active one by default. */
  parent?: Context;
  links?: Link[];
}

/**
 * Runs `work` inside a new active span: ended when it settles, its error recorded. With tracing off
 * this costs a no-op span and a context switch.
 */
export async function inSpan<T>(
  name: string,
  options: SpanOptions,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = options.parent ?? context.active();
  const span = sparkTracer().startSpan(
    name,
    {
      kind: options.kind ?? SpanKind.INTERNAL,
      ...(options.attributes ? { attributes: options.attributes } : {}),
      ...(options.links ? { links: options.links } : {}),
    },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (error) {
    recordError(span, error);
    throw error;
  } finally {
    span.end();
  }
}

export function recordError(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
}

export { SpanKind };
