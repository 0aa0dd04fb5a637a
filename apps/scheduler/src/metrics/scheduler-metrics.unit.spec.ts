import { type EventStore } from '@spark/event-store';
import { MetricsRegistry } from '@spark/service-kit';
import { ScheduleMetrics } from './schedule-metrics';
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
      appendToStreams: async () => {
        if (fail) throw new Error('conflict');
        return [{ nextExpectedRevision: 2n, position: 11n }];
      },
    } as unknown as EventStore;
    metrics.instrument(store);
    await expect(store.appendToStream('run-r1', [], {} as never)).resolves.toMatchObject({
      nextExpectedRevision: 4n,
    });
    await expect(store.appendToStreams([])).resolves.toHaveLength(1);
    fail = true;
    await expect(store.appendToStream('run-r1', [], {} as never)).rejects.toThrow('conflict');
    await expect(store.appendToStreams([])).rejects.toThrow('conflict');

    const text = await registry.exposition();
    expect(line(text, 'spark_event_store_append_seconds_count{service="scheduler",outcome="ok"')).toMatch(
      / 2$/,
    );
    expect(line(text, 'spark_event_store_append_seconds_count{service="scheduler",outcome="error"')).toMatch(
      / 2$/,
    );
  });
});

describe('schedule metrics', () => {
  it('counts fires by trigger, their lateness, skips and missed reports', async () => {
    const registry = new MetricsRegistry('scheduler', { defaultMetrics: false });
    const metrics = new ScheduleMetrics(registry, async () => 4);
    const fired = (trigger: 'calendar' | 'manual', lateMs: number) => ({
      type: 'ScheduleFired' as const,
      data: {
        nominalTime: '2026-11-24T10:00:00.000Z',
        idempotencyKey: 'k',
        workflow: { name: 'w' },
        input: {},
        trigger,
        firedAt: new Date(Date.parse('2026-11-24T10:00:00.000Z') + lateMs).toISOString(),
      },
    });
    metrics.decided([fired('calendar', 20), fired('manual', 0)]);
    metrics.decided([
      { type: 'ScheduleFireSkipped', data: { nominalTime: 'x', reason: 'overlap', at: 'x' } },
      { type: 'ScheduleFiresMissed', data: { from: 'x', before: 'y', at: 'z' } },
    ]);
    const text = await registry.exposition();
    expect(text).toContain('spark_schedule_fires_total{trigger="calendar",service="scheduler"} 1');
    expect(text).toContain('spark_schedule_fires_total{trigger="manual",service="scheduler"} 1');
    // Only calendar and catch-up fires have a lateness: 20 ms lands in the 25 ms bucket, not the 10 ms one.
    expect(text).toContain(
      'spark_schedule_fire_lateness_seconds_bucket{le="0.01",service="scheduler",trigger="calendar"} 0',
    );
    expect(text).toContain(
      'spark_schedule_fire_lateness_seconds_bucket{le="0.025",service="scheduler",trigger="calendar"} 1',
    );
    expect(text).not.toContain('lateness_seconds_count{trigger="manual"');
    expect(line(text, 'spark_schedule_fires_skipped_total{')).toMatch(/ 1$/);
    expect(line(text, 'spark_schedule_fires_missed_total{')).toMatch(/ 1$/);
    expect(line(text, 'spark_schedules_armed{')).toBe('spark_schedules_armed{service="scheduler"} 4');
  });
});
