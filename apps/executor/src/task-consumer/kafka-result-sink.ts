import { Topics, type TaskDispatch, type TaskResult } from '@spark/contracts';
import { CoalescingPublisher, type KafkaMessaging } from '@spark/messaging';
import { currentTraceparent } from '@spark/telemetry';
import type { ResultSink } from '../runtime';

/**
 * Publishes results to `spark.task-results`, keyed by run id, with the dispatch's trace context.
 * Results that come while a send is in flight go out together in the next one.
 */
export class KafkaResultSink implements ResultSink {
  private readonly traceparents = new WeakMap<TaskDispatch, string>();
  private readonly publisher: CoalescingPublisher;

  constructor(messaging: KafkaMessaging) {
    this.publisher = new CoalescingPublisher((topic, messages) => messaging.publish(topic, messages));
  }

  /** Remembers the trace context a dispatch arrived with, so its results join the same trace. */
  carryTrace(dispatch: TaskDispatch, traceparent: string | undefined): void {
    if (traceparent) this.traceparents.set(dispatch, traceparent);
  }

  async publish(result: TaskResult, dispatch: TaskDispatch): Promise<void> {
    // The active span is the attempt's: the scheduler's decision on this result becomes its child.
    const traceparent = currentTraceparent(this.traceparents.get(dispatch));
    await this.publisher.publish(Topics.taskResults, {
      key: result.runId,
      value: JSON.stringify(result),
      ...(traceparent ? { headers: { traceparent } } : {}),
    });
  }
}
