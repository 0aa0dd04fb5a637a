import { scheduledRunId } from '@spark/contracts';
import { EventLog } from '../testing';
import { eventTime, projectEvent, stepIdOfTask } from './project-event';

describe('projectEvent', () => {
  it('registers a workflow version', () => {
    const [event] = new EventLog().workflow('orders', 2, 5).events;
    expect(projectEvent(event!)).toEqual([
      expect.objectContaining({
        kind: 'workflowVersionRegistered',
        name: 'orders',
        version: 2,
        contentHash: 'hash-orders-2',
        registeredAt: '2026-01-05T10:00:00.005Z',
        position: 1n,
      }),
    ]);
  });

  it('starts a run with its workflow, input and parent, and puts it on the timeline', () => {
    const log = new EventLog();
    log.add(
      'run-r1',
      'RunStarted',
      {
        runId: 'r1',
        workflow: { name: 'orders', version: 3 },
        definition: {},
        input: { id: 7 },
        idempotencyKey: 'k',
        seed: 's',
        parent: { runId: 'p1', stepId: 'child' },
        labels: { team: 'payments' },
        startedAt: log.at(10),
      },
      12,
    );
    const changes = projectEvent(log.events[0]!);
    expect(changes).toEqual([
      {
        kind: 'runStarted',
        runId: 'r1',
        workflowName: 'orders',
        workflowVersion: 3,
        input: { id: 7 },
        parentRunId: 'p1',
        parentStepId: 'child',
        idempotencyKey: 'k',
        labels: { team: 'payments' },
        createdAt: '2026-01-05T10:00:00.010Z',
        revision: 0n,
        position: 1n,
      },
    ]);
  });

  it('creates an attempt on dispatch and moves it through started and failed', () => {
    const log = new EventLog().runStarted('r1', 'w', 1, 0);
    log.dispatched('r1', 'a', 1, 1).attemptStarted('r1', 'a', 1, 2).attemptFailed('r1', 'a', 1, 3);
    const [, dispatched, started, failed] = log.events.map(projectEvent);
    expect(dispatched![0]).toEqual({
      kind: 'attemptUpserted',
      runId: 'r1',
      taskId: 'a',
      attempt: 1,
      stepId: 'a',
      fields: expect.objectContaining({ status: 'dispatched', handler: 'noop', queue: 'default' }),
      position: 2n,
    });
    expect(started).toContainEqual(
      expect.objectContaining({
        kind: 'attemptUpdated',
        fields: expect.objectContaining({ status: 'started', startedAt: log.at(2) }),
      }),
    );
    expect(started).toContainEqual(
      expect.objectContaining({ kind: 'runUpdated', patch: { startedAt: log.at(2) } }),
    );
    expect(failed![0]).toEqual(
      expect.objectContaining({
        kind: 'attemptUpdated',
        fields: {
          status: 'failed',
          error: { code: 'HTTP_500', message: 'boom' },
          retryable: true,
          finishedAt: log.at(3),
        },
      }),
    );
  });

  it('schedules the next attempt of a retried task', () => {
    const log = new EventLog().retryScheduled('r1', 'lines[2]', 2, 500, 10);
    expect(projectEvent(log.events[0]!)[0]).toEqual(
      expect.objectContaining({
        kind: 'attemptUpserted',
        taskId: 'lines[2]',
        stepId: 'lines',
        attempt: 2,
        fields: { purpose: 'step', status: 'scheduled', scheduledFor: log.at(510) },
      }),
    );
  });

  it.each([
    [
      'completed',
      (log: EventLog) => log.runCompleted('r1', { x: 1 }, 9),
      { status: 'completed', output: { x: 1 } },
    ],
    [
      'failed',
      (log: EventLog) => log.runFailed('r1', 'a', 9),
      { status: 'failed', error: { code: 'HTTP_500', message: 'boom' }, failedStep: 'a' },
    ],
    [
      'cancelled',
      (log: EventLog) => log.runCancelled('r1', 'user asked', 9),
      { status: 'cancelled', error: { code: 'RUN_CANCELLED', message: 'user asked' } },
    ],
  ])('finishes a run as %s', (_status, append, expected) => {
    const log = append(new EventLog());
    const [update] = projectEvent(log.events[0]!);
    expect(update).toEqual(
      expect.objectContaining({
        kind: 'runUpdated',
        patch: { ...expected, finishedAt: log.at(9) },
        at: log.at(9),
      }),
    );
  });

  it('reopens a run resumed from failure', () => {
    const log = new EventLog();
    log.add('run-r1', 'RunResumed', { runAttempt: 2, resetSteps: ['a'], resumedAt: log.at(50) }, 50);
    expect(projectEvent(log.events[0]!)[0]).toEqual(
      expect.objectContaining({
        patch: { status: 'running', runAttempt: 2, error: null, failedStep: null, finishedAt: null },
      }),
    );
  });

  it('ignores unknown event types and streams', () => {
    const log = new EventLog();
    log.add('run-r1', 'SomethingNew', {}, 0);
    log.add('trigger-t1', 'TriggerCreated', {}, 0);
    expect(log.events.map(projectEvent)).toEqual([[], []]);
  });

  it('projects schedules: created, timer set, fired, paused', () => {
    const log = new EventLog();
    const schedule = { spec: { kind: 'cron', expression: '* * * * *' }, workflow: { name: 'w' } };
    log.add('schedule-s1', 'ScheduleCreated', { scheduleId: 's1', schedule, createdAt: log.at(0) }, 0);
    log.add('schedule-s1', 'ScheduleTimerSet', { nominalTime: log.at(60_000), fireAt: log.at(60_500) }, 1);
    log.add(
      'schedule-s1',
      'ScheduleFired',
      {
        nominalTime: log.at(60_000),
        idempotencyKey: 'k',
        workflow: { name: 'w' },
        input: {},
        trigger: 'calendar',
        firedAt: log.at(60_600),
      },
      60_600,
    );
    log.add('schedule-s1', 'SchedulePaused', { pausedAt: log.at(70_000) }, 70_000);
    const [created, timer, fired, paused] = log.events.map((event) => projectEvent(event)[0]);
    expect(created).toEqual(
      expect.objectContaining({
        kind: 'scheduleCreated',
        scheduleId: 's1',
        workflowName: 'w',
        workflowVersion: null,
      }),
    );
    expect(timer).toEqual(
      expect.objectContaining({ patch: { nextNominalTime: log.at(60_000), nextFireAt: log.at(60_500) } }),
    );
    expect(fired).toEqual(
      expect.objectContaining({
        patch: {
          lastFiredAt: log.at(60_600),
          lastNominalTime: log.at(60_000),
          lastFiredTrigger: 'calendar',
          lastRunId: scheduledRunId('k'),
          countFire: true,
          runStarted: 'k',
        },
      }),
    );
    expect(paused).toEqual(expect.objectContaining({ patch: { status: 'paused' }, at: log.at(70_000) }));
  });

  describe('schedule fires and their runs', () => {
    const patchOf = (append: (log: EventLog) => void) => {
      const log = new EventLog();
      append(log);
      const [change] = projectEvent(log.events[0]!);
      return change?.kind === 'scheduleUpdated' ? change.patch : undefined;
    };
    const key = `s1:${new EventLog().at(60_000)}`;

    it('names the run a fire starts and tracks it as running by its key', () => {
      expect(patchOf((log) => log.scheduleFired('s1', 60_000, 60_010, 'backfill'))).toEqual({
        lastFiredAt: new EventLog().at(60_010),
        lastNominalTime: new EventLog().at(60_000),
        lastFiredTrigger: 'backfill',
        lastRunId: scheduledRunId(key),
        countFire: true,
        runStarted: key,
      });
    });

    it.each(['completed', 'failed', 'cancelled', 'timedOut', 'refused'] as const)(
      'counts a run that finished as %s and stops tracking it',
      (outcome) => {
        expect(patchOf((log) => log.scheduledRunFinished('s1', 60_000, outcome, 90_000))).toEqual({
          lastFinishedRunId: scheduledRunId(key),
          lastOutcome: outcome,
          lastFinishedAt: new EventLog().at(90_000),
          runFinished: key,
          count: outcome,
        });
      },
    );

    it('takes the run id the finish reports, and counts no outcome it does not know or get', () => {
      const finished = (data: object) =>
        patchOf((log) =>
          log.add('schedule-s1', 'ScheduledRunFinished', { idempotencyKey: key, at: log.at(5), ...data }, 5),
        );
      expect(finished({ runId: 'r-9', outcome: 'vanished' })).toEqual({
        lastFinishedRunId: 'r-9',
        lastOutcome: 'vanished',
        lastFinishedAt: new EventLog().at(5),
        runFinished: key,
      });
      expect(finished({})).toEqual(expect.objectContaining({ lastOutcome: null, runFinished: key }));
      expect(finished({})).not.toHaveProperty('count');
    });

    it('counts skipped, buffered and missed fires and backfills, keeping the last missed range', () => {
      const log = new EventLog();
      const at = log.at(1);
      const patches = [
        ['ScheduleFireSkipped', { nominalTime: at, reason: 'overlap', at }],
        ['ScheduleFireBuffered', { nominalTime: at, trigger: 'calendar', at }],
        ['ScheduleFiresMissed', { from: log.at(-500), before: log.at(-100), at }],
        ['ScheduleBackfillRequested', { from: log.at(-500), to: at, fires: 3, at }],
      ].map(([type, data]) => patchOf((l) => l.add('schedule-s1', type as string, data as object, 1)));
      expect(patches).toEqual([
        { count: 'skipped' },
        { count: 'buffered' },
        { count: 'missedReport', lastMissedFrom: log.at(-500), lastMissedBefore: log.at(-100) },
        { count: 'backfill' },
      ]);
    });
  });

  it('is pure: the same event gives the same changes', () => {
    const log = new EventLog().retriedRun('r1', 'w', 1, 0);
    expect(log.events.map(projectEvent)).toEqual(log.events.map(projectEvent));
  });
});

describe('helpers', () => {
  it('reads the step of a task id', () => {
    expect(stepIdOfTask('charge')).toBe('charge');
    expect(stepIdOfTask('lines[12]')).toBe('lines');
    expect(stepIdOfTask('charge#compensate')).toBe('charge');
  });

  it('takes the time an event names, else its recording time', () => {
    const recordedAt = new Date('2026-01-01T00:00:00.000Z');
    expect(eventTime({ data: { at: '2026-02-01T00:00:00Z' } }, recordedAt)).toBe('2026-02-01T00:00:00.000Z');
    expect(eventTime({ data: { taskId: 'x' } }, recordedAt)).toBe('2026-01-01T00:00:00.000Z');
  });
});
