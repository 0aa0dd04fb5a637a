import { scheduledRunId, Topics } from '@spark/contracts';
import { type RecordedEvent } from '@spark/event-store';
import { effectsOf } from './run-event-effects';
import { scheduleEffectsOf } from './schedule-event-effects';

const now = new Date('2026-11-24T10:00:00.000Z');
const recorded = (streamName: string, type: string, data: unknown): RecordedEvent => ({
  id: '00000000-0000-4000-8000-000000000002',
  type,
  data: data as RecordedEvent['data'],
  metadata: { traceparent: '00-abc-def-01' },
  streamName,
  revision: 7n,
  position: 99n,
  recordedAt: now,
});
const key = 'nightly:2026-11-24T10:00:00.000Z';

describe('what the relay does for each schedule event', () => {
  it('a fire starts the run named by its idempotency key, labelled with the schedule, in the fire’s trace', () => {
    const effects = scheduleEffectsOf(
      recorded('schedule-nightly', 'ScheduleFired', {
        nominalTime: '2026-11-24T10:00:00.000Z',
        idempotencyKey: key,
        workflow: { name: 'report' },
        input: { day: 'mon' },
        trigger: 'calendar',
        firedAt: '2026-11-24T10:00:00.010Z',
      }),
      'nightly',
      now,
    );
    const runId = scheduledRunId(key);
    expect(effects).toEqual([
      {
        kind: 'publish',
        topic: Topics.commands,
        key: runId,
        headers: { traceparent: '00-abc-def-01' },
        value: {
          type: 'StartRun',
          commandId: '00000000-0000-4000-8000-000000000002:start',
          runId,
          issuedAt: now.toISOString(),
          workflow: { name: 'report' },
          input: { day: 'mon' },
          idempotencyKey: key,
          labels: { 'spark.schedule': 'nightly' },
        },
      },
    ]);
    // The same key always names the same run, wherever it is computed.
    expect(scheduledRunId(key)).toBe(runId);
    expect(scheduledRunId(`${key}x`)).not.toBe(runId);
  });

  it('arms, and on pause, delete or exhaustion disarms, the schedule timer', () => {
    expect(
      scheduleEffectsOf(
        recorded('schedule-nightly', 'ScheduleTimerSet', {
          nominalTime: '2026-11-24T11:00:00.000Z',
          fireAt: '2026-11-24T11:00:00.250Z',
        }),
        'nightly',
        now,
      ),
    ).toEqual([
      {
        kind: 'upsertScheduleTimer',
        scheduleId: 'nightly',
        nominalTime: '2026-11-24T11:00:00.000Z',
        fireAt: new Date('2026-11-24T11:00:00.250Z'),
        revision: 7n,
        traceparent: '00-abc-def-01',
      },
    ]);
    for (const type of ['SchedulePaused', 'ScheduleDeleted', 'ScheduleExhausted'])
      expect(scheduleEffectsOf(recorded('schedule-nightly', type, {}), 'nightly', now)).toEqual([
        { kind: 'removeScheduleTimer', scheduleId: 'nightly', revision: 7n },
      ]);
    expect(
      scheduleEffectsOf(recorded('schedule-nightly', 'ScheduleFireSkipped', {}), 'nightly', now),
    ).toEqual([]);
  });

  it('a stop request cancels the running run of that fire', () => {
    const [effect] = scheduleEffectsOf(
      recorded('schedule-nightly', 'ScheduledRunStopRequested', {
        idempotencyKey: key,
        mode: 'terminate',
        at: now.toISOString(),
      }),
      'nightly',
      now,
    );
    expect(effect).toMatchObject({
      kind: 'publish',
      topic: Topics.commands,
      key: scheduledRunId(key),
      value: { type: 'CancelRun', runId: scheduledRunId(key) },
    });
  });

  it('when a run a schedule started finishes, the schedule is told its outcome', () => {
    const runId = scheduledRunId(key);
    const effects = effectsOf(
      recorded(`run-${runId}`, 'RunFailed', {
        error: { code: 'X', message: 'x' },
        failedAt: now.toISOString(),
      }),
      runId,
      {
        workflow: { name: 'report', version: 1 },
        schedule: { scheduleId: 'nightly', idempotencyKey: key },
      },
      now,
    );
    expect(effects).toEqual([
      { kind: 'removeRunTimers', runId },
      expect.objectContaining({ kind: 'publish', topic: Topics.taskCancellations, key: runId }),
      { kind: 'scheduledRunFinished', scheduleId: 'nightly', idempotencyKey: key, runId, outcome: 'failed' },
    ]);
  });
});
