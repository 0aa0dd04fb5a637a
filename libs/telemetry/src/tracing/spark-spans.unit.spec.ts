import { context, propagation, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { contextFromTraceparent, currentTraceparent, inSpan, SparkAttributes } from './spark-spans';

describe('Spark spans', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const parent = `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`;

  it('without a registered provider: no span, the fallback traceparent is kept', async () => {
    await inSpan('spark.decide', {}, async () => {
      expect(currentTraceparent(parent)).toBe(parent);
    });
    expect(currentTraceparent()).toBeUndefined();
  });

  describe('with a provider', () => {
    beforeAll(() => {
      context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
      propagation.setGlobalPropagator(new W3CTraceContextPropagator());
      trace.setGlobalTracerProvider(provider);
    });
    afterAll(async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    });

    it('runs work in a child span of a traceparent, whose own traceparent it then reports', async () => {
      let inside: string | undefined;
      await inSpan(
        'spark.decide',
        { parent: contextFromTraceparent(parent), attributes: { [SparkAttributes.runId]: 'r1' } },
        async (span) => {
          inside = currentTraceparent(parent);
          expect(inside).toBe(`00-${'a'.repeat(32)}-${span.spanContext().spanId}-01`);
        },
      );
      const [span] = exporter.getFinishedSpans();
      expect(span!.name).toBe('spark.decide');
      expect(span!.parentSpanContext?.spanId).toBe('b'.repeat(16));
      expect(span!.attributes['spark.run.id']).toBe('r1');
    });

    it('records the error of failed work and ends the span', async () => {
      exporter.reset();
      await expect(
        inSpan('spark.append', {}, async () => {
          throw new Error('conflict');
        }),
      ).rejects.toThrow('conflict');
      const [span] = exporter.getFinishedSpans();
      expect(span!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'conflict' });
      expect(span!.events[0]!.name).toBe('exception');
    });
  });
});
