import { type EventStore } from '@spark/event-store';
import type { MetricsRegistry } from '@spark/service-kit';
import { inSpan, SparkAttributes } from '@spark/telemetry';

const OUTCOMES: Record<string, 'completed' | 'failed' | 'cancelled' | 'timed_out'> = {
  RunCompleted: 'completed',
  RunFailed: 'failed',
  RunCancelled: 'cancelled',
  RunTimedOut: 'timed_out',
};

/** Told about every decision that appended events (for the run counters). */
export type DecisionObserver = (events: readonly { type: string; data: unknown }[], state: unknown) => void;

/**
 * The scheduler's metrics. Run counters come from the events it decided, so they count each run once
 * per outcome however many scheduler instances there are (each run is decided by one of them at a time).
 */
export class SchedulerMetrics {
  private readonly started;
  private readonly finished;
  private readonly completed;
  private readonly failed;
  private readonly append;

  constructor(metrics: MetricsRegistry, timersPending: () => Promise<number>) {
    this.started = metrics.counter('spark_runs_started_total', 'Runs started, by workflow.', ['workflow']);
    this.completed = metrics.counter('spark_runs_completed_total', 'Runs completed, by workflow.', [
      'workflow',
    ]);
    this.failed = metrics.counter('spark_runs_failed_total', 'Runs failed (or timed out), by workflow.', [
      'workflow',
    ]);
    this.finished = metrics.counter('spark_runs_finished_total', 'Runs finished, by workflow and outcome.', [
      'workflow',
      'outcome',
    ]);
    this.append = metrics.histogram(
      'spark_event_store_append_seconds',
      'Latency of appends to the event store (one stream, one or more events).',
      ['outcome'],
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    );
    metrics.gauge('spark_timers_pending', 'Live timers in the timer table (all runs).', [], async (gauge) => {
      gauge.set(await timersPending());
    });
  }

  readonly decided: DecisionObserver = (events, state) => {
    for (const event of events) {
      if (event.type === 'RunStarted') {
        this.started.inc({ workflow: (event.data as { workflow: { name: string } }).workflow.name });
        continue;
      }
      const outcome = OUTCOMES[event.type];
      if (!outcome) continue;
      const workflow = (state as { definition?: { name?: string } }).definition?.name ?? 'unknown';
      this.finished.inc({ workflow, outcome });
      if (outcome === 'completed') this.completed.inc({ workflow });
      if (outcome === 'failed' || outcome === 'timed_out') this.failed.inc({ workflow });
    }
  };

  /** Times (and traces, as `spark.append`) every append of `store`; returns the same store. */
  instrument<S extends EventStore>(store: S): S {
    const append = store.appendToStream.bind(store);
    store.appendToStream = (async (...args: Parameters<EventStore['appendToStream']>) => {
      const stop = this.append.startTimer();
      try {
        const result = await inSpan(
          'spark.append',
          { attributes: { 'spark.stream.name': args[0], 'spark.events': args[1].length } },
          async (span) => {
            const appended = await append(...args);
            span.setAttribute(SparkAttributes.streamRevision, Number(appended.nextExpectedRevision));
            return appended;
          },
        );
        stop({ outcome: 'ok' });
        return result;
      } catch (error) {
        stop({ outcome: 'error' });
        throw error;
      }
    }) as S['appendToStream'];
    // A batch's append belongs to many runs' traces: it is timed, and each decision's span covers it.
    const appendMany = store.appendToStreams.bind(store);
    store.appendToStreams = (async (...args: Parameters<EventStore['appendToStreams']>) => {
      const stop = this.append.startTimer();
      try {
        const results = await appendMany(...args);
        stop({ outcome: 'ok' });
        return results;
      } catch (error) {
        stop({ outcome: 'error' });
        throw error;
      }
    }) as S['appendToStreams'];
    return store;
  }
}
