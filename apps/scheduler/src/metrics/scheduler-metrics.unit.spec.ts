import { type EventStore } from '@spark/event-store';
import { MetricsRegistry } from '@spark/service-kit';
import { SchedulerMetrics } from './scheduler-metrics';

const line = (text: string, prefix: string) =>
  text.split('\n').find((candidate) => candidate.startsWith(prefix));

describe('scheduler metrics', () => {
  it('counts runs started, completed and failed by workflow from the decided events', async () => {
    const registry = new MetricsRegistry('scheduler', { defaultMetrics: false });
    const metrics = new SchedulerMetrics(registry, async () => 3);
    const state = { definition: { name: 'checkout' } };
    metrics.decided([{ type: 'RunStarted', data: { workflow: { name: 'checkout', version: 1 } } }], state);
    metrics.decided([{ type: 'RunStarted', data: { workflow: { name: 'checkout', version: 1 } } }], state);
    metrics.decided(
      [
        { type: 'StepSucceeded', data: {} },
        { type: 'RunCompleted', data: {} },
      ],
      state,
    );
    metrics.decided([{ type: 'RunTimedOut', data: {} }], state);

    const text = await registry.exposition();
    expect(line(text, 'spark_runs_started_total{')).toBe(
      'spark_runs_started_total{workflow="checkout",service="scheduler"} 2',
    );
    expect(line(text, 'spark_runs_completed_total{')).toMatch(/workflow="checkout".* 1$/);
    expect(line(text, 'spark_runs_failed_total{')).toMatch(/workflow="checkout".* 1$/);
    expect(text).toContain(
      'spark_runs_finished_total{workflow="checkout",outcome="timed_out",service="scheduler"} 1',
    );
    expect(line(text, 'spark_timers_pending{')).toBe('spark_timers_pending{service="scheduler"} 3');
  });

  it('times every append of the event store it instruments, failed ones too', async () => {
    const registry = new MetricsRegistry('scheduler', { defaultMetrics: false });
    const metrics = new SchedulerMetrics(registry, async () => 0);
    let fail = false;
    const store = {
      appendToStream: async () => {
        if (fail) throw new Error('conflict');
        return { nextExpectedRevision: 4n, position: 9n };
      },
    } as unknown as EventStore;
    metrics.instrument(store);
    await expect(store.appendToStream('run-r1', [], {} as never)).resolves.toMatchObject({
      nextExpectedRevision: 4n,
    });
    fail = true;
    await expect(store.appendToStream('run-r1', [], {} as never)).rejects.toThrow('conflict');

    const text = await registry.exposition();
    expect(line(text, 'spark_event_store_append_seconds_count{service="scheduler",outcome="ok"')).toMatch(
      / 1$/,
    );
    expect(line(text, 'spark_event_store_append_seconds_count{service="scheduler",outcome="error"')).toMatch(
      / 1$/,
    );
  });
});
