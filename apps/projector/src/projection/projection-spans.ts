import { type Span } from '@opentelemetry/api';
import { RUN_STREAM_PREFIX } from '@spark/contracts';
import { type RecordedEvent } from '@spark/event-store';
import { contextFromTraceparent, recordError, SparkAttributes, sparkTracer } from '@spark/telemetry';

/** A batch touching more runs than this gets spans for the first ones only (a rebuild stays cheap). */
const MAX_SPANS_PER_BATCH = 100;

/**
 * One `spark.project` span per run trace in a batch, child of that run's latest event in it, so
 * the projection (read model and public events) shows up in each run's trace.
 */
export function startProjectionSpans(batch: readonly RecordedEvent[]): { end(error?: unknown): void } {
  const byTrace = new Map<
    string,
    { traceparent: string; runId: string; count: number; last: RecordedEvent }
  >();
  for (const event of batch) {
    const traceparent = event.metadata.traceparent;
    if (typeof traceparent !== 'string') continue;
    const traceId = traceparent.slice(3, 35);
    const known = byTrace.get(traceId);
    if (known) {
      known.traceparent = traceparent;
      known.count++;
      known.last = event;
    } else if (byTrace.size < MAX_SPANS_PER_BATCH) {
      byTrace.set(traceId, {
        traceparent,
        runId: event.streamName.startsWith(RUN_STREAM_PREFIX)
          ? event.streamName.slice(RUN_STREAM_PREFIX.length)
          : event.streamName,
        count: 1,
        last: event,
      });
    }
  }
  const spans: Span[] = [...byTrace.values()].map((entry) =>
    sparkTracer().startSpan(
      'spark.project',
      {
        attributes: {
          [SparkAttributes.runId]: entry.runId,
          [SparkAttributes.streamRevision]: Number(entry.last.revision),
          [SparkAttributes.eventType]: entry.last.type,
          'spark.events': entry.count,
          'spark.batch.size': batch.length,
        },
      },
      contextFromTraceparent(entry.traceparent),
    ),
  );
  return {
    end(error?: unknown) {
      for (const span of spans) {
        if (error !== undefined) recordError(span, error);
        span.end();
      }
    },
  };
}
