import { randomUUID } from 'node:crypto';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { KafkaMessaging } from './kafka-messaging';
import type { IncomingMessage } from './message';
import { kafkaSettingsFromEnv } from './settings';

// Trace context through the real broker of tools/stack: a PRODUCER span per publish whose context
// goes into the `traceparent` header, a CONSUMER span per message, child of that header, around the handler.
describe('KafkaMessaging tracing against the real broker', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const messaging = new KafkaMessaging(kafkaSettingsFromEnv(`int-tracing-${process.pid}`));
  const topic = `spark.test.${randomUUID()}`;

  beforeAll(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
    await messaging.ensureTopics([{ name: topic, partitions: 1 }]);
  });

  afterAll(async () => {
    await messaging.close();
    const admin = new KafkaMessaging(kafkaSettingsFromEnv(`int-tracing-cleanup-${process.pid}`));
    await admin.deleteTopics([topic, `${topic}.untraced`]).catch(() => undefined);
    await admin.close();
    await provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  });

  /** Consumes until `count` messages have been handled; records the active span in each handler. */
  const consumeSome = async (count: number, spanPerMessage?: boolean, from = topic) => {
    const handled: { message: IncomingMessage; traceId?: string; spanId?: string }[] = [];
    let done: () => void = () => undefined;
    const all = new Promise<void>((resolve) => (done = resolve));
    const consumer = await messaging.consume({
      groupId: `int-tracing-${randomUUID()}`,
      topics: [from],
      fromBeginning: true,
      ...(spanPerMessage === undefined ? {} : { spanPerMessage }),
      handle: async (message) => {
        const active = trace.getSpanContext(context.active());
        handled.push({ message, traceId: active?.traceId, spanId: active?.spanId });
        if (handled.length === count) done();
      },
    });
    return { handled, all, consumer };
  };

  it('continues the active trace: publish span under the caller, handler inside a consumer span under the publish', async () => {
    const { handled, all, consumer } = await consumeSome(3);
    const tracer = trace.getTracer('int');
    const caller = tracer.startSpan('caller');
    await context.with(trace.setSpan(context.active(), caller), () =>
      messaging.publish(topic, [{ key: 'run-1', value: 'a' }]),
    );
    caller.end();
    // A caller's own traceparent (no active span) is the parent; a message of another trace keeps its own.
    const foreign = `00-${'c'.repeat(32)}-${'d'.repeat(16)}-01`;
    const own = `00-${'e'.repeat(32)}-${'f'.repeat(16)}-01`;
    await messaging.publish(topic, [
      { key: 'run-2', value: 'b', headers: { traceparent: own } },
      { key: 'run-3', value: 'c', headers: { traceparent: foreign } },
    ]);
    await all;
    await consumer.stop();

    const spans = exporter.getFinishedSpans();
    const producers = spans.filter((span) => span.kind === SpanKind.PRODUCER);
    const consumers = spans.filter((span) => span.kind === SpanKind.CONSUMER);
    const first = producers.find((span) => span.spanContext().traceId === caller.spanContext().traceId)!;
    expect(first.parentSpanContext?.spanId).toBe(caller.spanContext().spanId);
    expect(first.name).toBe(`${topic} publish`);

    const [a, b, c] = ['a', 'b', 'c'].map((value) =>
      handled.find((h) => h.message.value?.toString() === value)!,
    );
    expect(a!.message.headers.traceparent).toBe(
      `00-${first.spanContext().traceId}-${first.spanContext().spanId}-01`,
    );
    expect(a!.traceId).toBe(caller.spanContext().traceId);
    const consumerOfA = consumers.find((span) => span.spanContext().spanId === a!.spanId)!;
    expect(consumerOfA.parentSpanContext?.spanId).toBe(first.spanContext().spanId);
    expect(consumerOfA.attributes['messaging.destination.partition.id']).toBe('0');

    const second = producers.find((span) => span.spanContext().traceId === 'e'.repeat(32))!;
    expect(second.parentSpanContext?.spanId).toBe('f'.repeat(16));
    expect(b!.traceId).toBe('e'.repeat(32));
    expect(b!.message.headers.traceparent).toContain(second.spanContext().spanId);
    expect(c!.message.headers.traceparent).toBe(foreign);
    expect(c!.traceId).toBe('c'.repeat(32));
  });

  it('without a span per message, runs the handler in the message trace context and records no consumer span', async () => {
    const untraced = `${topic}.untraced`;
    await messaging.ensureTopics([{ name: untraced, partitions: 1 }]);
    exporter.reset();
    const { handled, all, consumer } = await consumeSome(1, false, untraced);
    const traceparent = `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`;
    await messaging.publish(untraced, [{ key: 'run-4', value: 'd', headers: { traceparent } }]);
    await all;
    await consumer.stop();
    const [d] = handled;
    // The handler's context is the producer span's, carried by the header: its own spans join the trace.
    const producer = exporter.getFinishedSpans().find((span) => span.kind === SpanKind.PRODUCER)!;
    expect(d!.traceId).toBe('a'.repeat(32));
    expect(d!.spanId).toBe(producer.spanContext().spanId);
    expect(exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.CONSUMER)).toEqual([]);
  });
});
