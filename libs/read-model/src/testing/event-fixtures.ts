import { type RecordedEvent } from '@spark/event-store';
import { scheduleIdempotencyKey, type FireTrigger, type ScheduledRunOutcome } from '@spark/workflow-domain';

/**
 * Recorded events as the event store would hand them to the projector, for projection tests:
 * positions and revisions are assigned in the order events are added.
 */
export class EventLog {
  readonly events: RecordedEvent[] = [];
  private readonly revisions = new Map<string, bigint>();

  constructor(
    private position = 0n,
    private readonly start = Date.parse('2026-01-05T10:00:00.000Z'),
  ) {}

  /** Milliseconds after the fixture's start, as an instant. */
  at(ms: number): string {
    return new Date(this.start + ms).toISOString();
  }

  add(streamName: string, type: string, data: object, ms: number): RecordedEvent {
    const revision = this.revisions.get(streamName) ?? 0n;
    this.revisions.set(streamName, revision + 1n);
    this.position += 1n;
    const event: RecordedEvent = {
      id: `00000000-0000-4000-8000-${this.position.toString().padStart(12, '0')}`,
      type,
      data: data as RecordedEvent['data'],
      metadata: { correlationId: streamName.replace(/^run-/, '') },
      streamName,
      revision,
      position: this.position,
      recordedAt: new Date(this.start + ms),
    };
    this.events.push(event);
    return event;
  }

  workflow(name: string, version: number, ms = 0): this {
    this.add(
      `workflow-${name}`,
      'WorkflowVersionRegistered',
      {
        name,
        version,
        contentHash: `hash-${name}-${version}`,
        definition: { name, version, steps: [{ id: 'a', type: 'task', handler: 'noop' }] },
        registeredAt: this.at(ms),
      },
      ms,
    );
    return this;
  }

  runStarted(runId: string, workflow: string, version: number, ms: number, input: unknown = {}): this {
    this.add(
      `run-${runId}`,
      'RunStarted',
      {
        runId,
        workflow: { name: workflow, version },
        definition: { name: workflow, version, steps: [] },
        input,
        idempotencyKey: `key-${runId}`,
        seed: 'seed',
        startedAt: this.at(ms),
      },
      ms,
    );
    return this;
  }

  dispatched(runId: string, stepId: string, attempt: number, ms: number): this {
    this.add(
      `run-${runId}`,
      'TaskDispatched',
      {
        taskId: stepId,
        stepId,
        purpose: 'step',
        attempt,
        idempotencyKey: `${runId}:${stepId}:${attempt}`,
        handler: 'noop',
        config: {},
        input: {},
        queue: 'default',
        priority: 0,
        timeouts: { startToCloseMs: 1000 },
        dispatchedAt: this.at(ms),
      },
      ms,
    );
    return this;
  }

  attemptStarted(runId: string, taskId: string, attempt: number, ms: number): this {
    this.add(`run-${runId}`, 'StepAttemptStarted', { taskId, attempt, startedAt: this.at(ms) }, ms);
    return this;
  }

  attemptSucceeded(runId: string, taskId: string, attempt: number, output: unknown, ms: number): this {
    this.add(`run-${runId}`, 'StepAttemptSucceeded', { taskId, attempt, output, at: this.at(ms) }, ms);
    return this;
  }

  attemptFailed(runId: string, taskId: string, attempt: number, ms: number, retryable = true): this {
    this.add(
      `run-${runId}`,
      'StepAttemptFailed',
      { taskId, attempt, error: { code: 'HTTP_500', message: 'boom' }, retryable, at: this.at(ms) },
      ms,
    );
    return this;
  }

  retryScheduled(runId: string, taskId: string, attempt: number, delayMs: number, ms: number): this {
    this.add(
      `run-${runId}`,
      'StepRetryScheduled',
      { taskId, attempt, delayMs, retryAt: this.at(ms + delayMs) },
      ms,
    );
    return this;
  }

  stepSucceeded(runId: string, stepId: string, output: unknown, ms: number): this {
    this.add(`run-${runId}`, 'StepSucceeded', { stepId, output, at: this.at(ms) }, ms);
    return this;
  }

  stepFailed(runId: string, stepId: string, ms: number): this {
    this.add(
      `run-${runId}`,
      'StepFailed',
      { stepId, error: { code: 'HTTP_500', message: 'boom' }, at: this.at(ms) },
      ms,
    );
    return this;
  }

  runCompleted(runId: string, output: unknown, ms: number): this {
    this.add(`run-${runId}`, 'RunCompleted', { output, completedAt: this.at(ms) }, ms);
    return this;
  }

  runFailed(runId: string, failedStep: string, ms: number): this {
    this.add(
      `run-${runId}`,
      'RunFailed',
      {
        error: { code: 'HTTP_500', message: 'boom' },
        failedStep,
        compensated: [],
        compensationFailures: [],
        failedAt: this.at(ms),
      },
      ms,
    );
    return this;
  }

  runCancelled(runId: string, reason: string, ms: number): this {
    this.add(`run-${runId}`, 'RunCancelled', { reason, cancelledAt: this.at(ms) }, ms);
    return this;
  }

  /** A run of one step `a` that fails once, is retried and completes. */
  retriedRun(runId: string, workflow: string, version: number, ms: number): this {
    return this.runStarted(runId, workflow, version, ms, { n: 1 })
      .dispatched(runId, 'a', 1, ms + 1)
      .attemptStarted(runId, 'a', 1, ms + 2)
      .attemptFailed(runId, 'a', 1, ms + 3)
      .retryScheduled(runId, 'a', 2, 100, ms + 3)
      .dispatched(runId, 'a', 2, ms + 104)
      .attemptStarted(runId, 'a', 2, ms + 105)
      .attemptSucceeded(runId, 'a', 2, { ok: true }, ms + 106)
      .stepSucceeded(runId, 'a', { ok: true }, ms + 106)
      .runCompleted(runId, { result: 42 }, ms + 107);
  }

  /** A run whose only step `a` fails for good. */
  failedRun(runId: string, workflow: string, version: number, ms: number): this {
    return this.runStarted(runId, workflow, version, ms)
      .dispatched(runId, 'a', 1, ms + 1)
      .attemptStarted(runId, 'a', 1, ms + 2)
      .attemptFailed(runId, 'a', 1, ms + 3, false)
      .stepFailed(runId, 'a', ms + 3)
      .runFailed(runId, 'a', ms + 4);
  }

  scheduleCreated(scheduleId: string, workflow: string, ms: number): this {
    const schedule = {
      spec: { kind: 'interval', every: '1m' },
      workflow: { name: workflow },
      input: { from: 'schedule' },
      overlap: 'BUFFER_ONE',
    };
    this.add(
      `schedule-${scheduleId}`,
      'ScheduleCreated',
      { scheduleId, schedule, createdAt: this.at(ms) },
      ms,
    );
    return this;
  }

  scheduleTimerSet(scheduleId: string, nominalMs: number, ms: number): this {
    const nominalTime = this.at(nominalMs);
    this.add(`schedule-${scheduleId}`, 'ScheduleTimerSet', { nominalTime, fireAt: nominalTime }, ms);
    return this;
  }

  /** Fires the nominal time `nominalMs` (its idempotency key as the decider makes it). */
  scheduleFired(scheduleId: string, nominalMs: number, ms: number, trigger: FireTrigger = 'calendar'): this {
    const nominalTime = this.at(nominalMs);
    this.add(
      `schedule-${scheduleId}`,
      'ScheduleFired',
      {
        nominalTime,
        idempotencyKey: scheduleIdempotencyKey(scheduleId, nominalTime),
        workflow: { name: 'orders' },
        input: { from: 'schedule' },
        trigger,
        firedAt: this.at(ms),
      },
      ms,
    );
    return this;
  }

  scheduledRunFinished(
    scheduleId: string,
    nominalMs: number,
    outcome: ScheduledRunOutcome | undefined,
    ms: number,
  ): this {
    this.add(
      `schedule-${scheduleId}`,
      'ScheduledRunFinished',
      {
        idempotencyKey: scheduleIdempotencyKey(scheduleId, this.at(nominalMs)),
        ...(outcome === undefined ? {} : { outcome }),
        at: this.at(ms),
      },
      ms,
    );
    return this;
  }

  /**
   * A schedule through every event type: fires (one re-fired by a backfill), a skip, a buffered fire,
   * missed fires, runs that complete, fail, are refused or finish without an outcome, a pause and a
   * resume. Ends with one run (the catch-up fire, fired again by a backfill) still running.
   */
  scheduleLifecycle(scheduleId: string, ms: number): this {
    const stream = `schedule-${scheduleId}`;
    this.scheduleCreated(scheduleId, 'orders', ms)
      .scheduleTimerSet(scheduleId, ms + 60_000, ms)
      .scheduleFired(scheduleId, ms + 60_000, ms + 60_001)
      .scheduleTimerSet(scheduleId, ms + 120_000, ms + 60_001);
    this.add(
      stream,
      'ScheduleFireBuffered',
      { nominalTime: this.at(ms + 120_000), trigger: 'calendar', at: this.at(ms + 120_001) },
      ms + 120_001,
    );
    this.add(
      stream,
      'ScheduleFireSkipped',
      { nominalTime: this.at(ms + 180_000), reason: 'overlap', at: this.at(ms + 180_001) },
      ms + 180_001,
    );
    this.scheduledRunFinished(scheduleId, ms + 60_000, 'completed', ms + 190_000)
      .scheduleFired(scheduleId, ms + 120_000, ms + 190_000, 'buffered')
      .scheduledRunFinished(scheduleId, ms + 120_000, 'failed', ms + 200_000);
    this.add(
      stream,
      'ScheduleBackfillRequested',
      { from: this.at(ms), to: this.at(ms + 130_000), fires: 2, at: this.at(ms + 210_000) },
      ms + 210_000,
    );
    this.scheduleFired(scheduleId, ms + 60_000, ms + 210_000, 'backfill')
      .scheduleFired(scheduleId, ms + 120_000, ms + 210_000, 'backfill')
      .scheduledRunFinished(scheduleId, ms + 60_000, 'refused', ms + 211_000)
      .scheduledRunFinished(scheduleId, ms + 120_000, undefined, ms + 212_000);
    this.add(
      stream,
      'SchedulePaused',
      { reason: 'maintenance', pausedAt: this.at(ms + 220_000) },
      ms + 220_000,
    );
    this.add(stream, 'ScheduleResumed', { resumedAt: this.at(ms + 600_000) }, ms + 600_000);
    this.add(
      stream,
      'ScheduleFiresMissed',
      { from: this.at(ms + 240_000), before: this.at(ms + 540_000), at: this.at(ms + 600_000) },
      ms + 600_000,
    );
    this.scheduleFired(scheduleId, ms + 600_000, ms + 600_000, 'catch-up');
    this.add(
      stream,
      'ScheduleBackfillRequested',
      { from: this.at(ms + 590_000), to: this.at(ms + 600_001), fires: 1, at: this.at(ms + 600_001) },
      ms + 600_001,
    );
    // Fires a key whose run is still running: it starts no second run.
    this.scheduleFired(scheduleId, ms + 600_000, ms + 600_001, 'backfill').scheduleTimerSet(
      scheduleId,
      ms + 660_000,
      ms + 600_001,
    );
    return this;
  }
}
