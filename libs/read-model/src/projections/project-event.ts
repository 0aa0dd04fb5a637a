import { RUN_STREAM_PREFIX, SCHEDULE_STREAM_PREFIX, scheduledRunId } from '@spark/contracts';
import { type RecordedEvent } from '@spark/event-store';
import {
  attemptTimeoutError,
  childRunHandler,
  decodeRunEvent,
  isRunEventType,
  cancelledRunError,
  timedOutRunError,
  type ScheduleEvent,
  type WorkflowVersionRegistered,
} from '@spark/workflow-domain';
import {
  type AttemptFields,
  type ReadModelChange,
  type RunPatch,
  SCHEDULE_COUNTERS,
  type ScheduleCounter,
  type SchedulePatch,
} from './read-model-change';

export const WORKFLOW_STREAM_PREFIX = 'workflow-';
/** The streams the projector follows. */
export const PROJECTED_STREAM_PREFIXES = [
  RUN_STREAM_PREFIX,
  WORKFLOW_STREAM_PREFIX,
  SCHEDULE_STREAM_PREFIX,
] as const;

/**
 * The read-model projection: what one recorded event changes, as data. Pure (no I/O, no clock): the
 * same event always gives the same changes, which is what makes replays and rebuilds agree.
 * Events of unknown types change nothing (newer writers may add types before the projector knows them).
 */
export function projectEvent(event: RecordedEvent): ReadModelChange[] {
  if (event.streamName.startsWith(RUN_STREAM_PREFIX)) {
    return projectRunEvent(event.streamName.slice(RUN_STREAM_PREFIX.length), event);
  }
  if (event.streamName.startsWith(WORKFLOW_STREAM_PREFIX)) return projectWorkflowEvent(event);
  if (event.streamName.startsWith(SCHEDULE_STREAM_PREFIX)) {
    return projectScheduleEvent(event.streamName.slice(SCHEDULE_STREAM_PREFIX.length), event);
  }
  return [];
}

function projectWorkflowEvent(event: RecordedEvent): ReadModelChange[] {
  if (event.type !== 'WorkflowVersionRegistered') return [];
  const { data } = event as unknown as WorkflowVersionRegistered;
  return [
    {
      kind: 'workflowVersionRegistered',
      name: data.name,
      version: data.version,
      contentHash: data.contentHash,
      definition: data.definition,
      registeredAt: data.registeredAt,
      position: event.position,
    },
  ];
}

function projectRunEvent(runId: string, recorded: RecordedEvent): ReadModelChange[] {
  if (!isRunEventType(recorded.type)) return [];
  const event = decodeRunEvent(recorded);
  const { position, revision } = recorded;
  const at = eventTime(event, recorded.recordedAt);
  const changes: ReadModelChange[] = [];
  const attempt = (taskId: string, attemptNo: number, stepId: string, fields: AttemptFields) =>
    changes.push({ kind: 'attemptUpserted', runId, taskId, attempt: attemptNo, stepId, fields, position });
  const attemptUpdate = (taskId: string, attemptNo: number, fields: AttemptFields) =>
    changes.push({ kind: 'attemptUpdated', runId, taskId, attempt: attemptNo, fields, position });
  let patch: RunPatch = {};

  switch (event.type) {
    case 'RunStarted': {
      const { data } = event;
      changes.push({
        kind: 'runStarted',
        runId,
        workflowName: data.workflow.name,
        workflowVersion: data.workflow.version,
        input: data.input ?? null,
        parentRunId: data.parent?.runId ?? null,
        parentStepId: data.parent?.stepId ?? null,
        idempotencyKey: data.idempotencyKey ?? null,
        labels: data.labels ?? {},
        createdAt: data.startedAt,
        revision,
        position,
      });
      break;
    }
    case 'TaskDispatched': {
      const task = event.data;
      attempt(task.taskId, task.attempt, task.stepId, {
        stepId: task.stepId,
        itemIndex: task.itemIndex ?? null,
        purpose: task.purpose,
        status: 'dispatched',
        handler: task.handler,
        queue: task.queue,
        dispatchedAt: task.dispatchedAt,
        input: task.input ?? null,
      });
      break;
    }
    case 'ChildRunRequested': {
      const child = event.data;
      attempt(child.taskId, child.attempt, child.stepId, {
        stepId: child.stepId,
        purpose: 'step',
        status: 'dispatched',
        handler: childRunHandler(child.workflow.name),
        childRunId: child.childRunId,
        dispatchedAt: child.requestedAt,
        input: child.input ?? null,
      });
      break;
    }
    case 'StepAttemptStarted': {
      const { taskId, attempt: n, startedAt, workerId } = event.data;
      attemptUpdate(taskId, n, { status: 'started', startedAt, workerId: workerId ?? null });
      patch = { startedAt };
      break;
    }
    case 'StepAttemptSucceeded': {
      const { taskId, attempt: n, output, at: finishedAt } = event.data;
      attemptUpdate(taskId, n, { status: 'succeeded', output: output ?? null, finishedAt });
      break;
    }
    case 'StepAttemptFailed': {
      const { taskId, attempt: n, error, retryable, at: finishedAt } = event.data;
      attemptUpdate(taskId, n, { status: 'failed', error, retryable, finishedAt });
      break;
    }
    case 'StepTimedOut': {
      const { taskId, attempt: n, timeout, at: finishedAt } = event.data;
      if (taskId !== undefined && n !== undefined) {
        attemptUpdate(taskId, n, {
          status: 'timedOut',
          error: attemptTimeoutError(timeout, taskId, n),
          retryable: true,
          finishedAt,
        });
      }
      break;
    }
    case 'StepRetryScheduled': {
      const { taskId, attempt: n, retryAt } = event.data;
      // The next attempt exists from now on, waiting for its retry timer; its dispatch fills in the rest.
      attempt(taskId, n, stepIdOfTask(taskId), {
        purpose: taskId.endsWith('#compensate') ? 'compensation' : 'step',
        status: 'scheduled',
        scheduledFor: retryAt,
      });
      break;
    }
    case 'StepCancelled':
      for (const task of event.data.tasks) {
        attemptUpdate(task.taskId, task.attempt, { status: 'cancelled', finishedAt: event.data.at });
      }
      break;
    case 'RunCompensating':
      patch = { status: 'compensating', error: event.data.error, failedStep: event.data.failedStep ?? null };
      break;
    case 'RunCompleted':
      patch = { status: 'completed', output: event.data.output ?? null, finishedAt: event.data.completedAt };
      break;
    case 'RunFailed':
      patch = {
        status: 'failed',
        error: event.data.error,
        failedStep: event.data.failedStep ?? null,
        finishedAt: event.data.failedAt,
      };
      break;
    case 'RunCancelled':
      patch = {
        status: 'cancelled',
        error: cancelledRunError(event.data.reason),
        finishedAt: event.data.cancelledAt,
      };
      break;
    case 'RunTimedOut':
      patch = {
        status: 'timedOut',
        error: timedOutRunError(),
        finishedAt: event.data.timedOutAt,
      };
      break;
    case 'RunResumed':
      patch = {
        status: 'running',
        runAttempt: event.data.runAttempt,
        error: null,
        failedStep: null,
        finishedAt: null,
      };
      break;
    default:
      break;
  }
  if (event.type !== 'RunStarted') {
    changes.push({ kind: 'runUpdated', runId, patch, at, revision, position });
  }
  return changes;
}

/** `charge`, `lines[3]` → `lines`, `charge#compensate` → `charge` (see task-ids in the domain). */
export function stepIdOfTask(taskId: string): string {
  return taskId.replace(/#compensate$/, '').replace(/\[\d+\]$/, '');
}

/** When the event happened by its own account (the decider's clock), else when it was recorded. */
export function eventTime(event: { data: unknown }, recordedAt: Date): string {
  const data = (event.data ?? {}) as Record<string, unknown>;
  for (const key of [
    'at',
    'startedAt',
    'dispatchedAt',
    'requestedAt',
    'firedAt',
    'completedAt',
    'failedAt',
    'cancelledAt',
    'timedOutAt',
    'resumedAt',
    'registeredAt',
    'createdAt',
    'updatedAt',
    'pausedAt',
    'deletedAt',
  ]) {
    const value = data[key];
    if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
  }
  return recordedAt.toISOString();
}

function projectScheduleEvent(scheduleId: string, recorded: RecordedEvent): ReadModelChange[] {
  const event = { type: recorded.type, data: recorded.data } as unknown as ScheduleEvent;
  const { position } = recorded;
  const at = eventTime(event, recorded.recordedAt);
  const update = (patch: SchedulePatch): ReadModelChange[] => [
    { kind: 'scheduleUpdated', scheduleId, patch, at, position },
  ];
  switch (event.type) {
    case 'ScheduleCreated': {
      const { schedule, createdAt } = event.data;
      return [
        {
          kind: 'scheduleCreated',
          scheduleId,
          workflowName: schedule.workflow.name,
          workflowVersion: schedule.workflow.version ?? null,
          definition: schedule,
          createdAt,
          position,
        },
      ];
    }
    case 'ScheduleUpdated': {
      const { schedule } = event.data;
      return update({
        definition: schedule,
        workflowName: schedule.workflow.name,
        workflowVersion: schedule.workflow.version ?? null,
      });
    }
    case 'SchedulePaused':
      return update({ status: 'paused' });
    case 'ScheduleResumed':
      return update({ status: 'active' });
    case 'ScheduleDeleted':
      return update({ status: 'deleted', nextFireAt: null, nextNominalTime: null });
    case 'ScheduleExhausted':
      return update({ status: 'exhausted', nextFireAt: null, nextNominalTime: null });
    case 'ScheduleTimerSet':
      return update({ nextNominalTime: event.data.nominalTime, nextFireAt: event.data.fireAt });
    case 'ScheduleFired': {
      const { firedAt, nominalTime, trigger, idempotencyKey } = event.data;
      return update({
        lastFiredAt: firedAt,
        lastNominalTime: nominalTime,
        lastFiredTrigger: trigger,
        lastRunId: scheduledRunId(idempotencyKey),
        countFire: true,
        runStarted: idempotencyKey,
      });
    }
    case 'ScheduleFireSkipped':
      return update({ count: 'skipped' });
    case 'ScheduleFireBuffered':
      return update({ count: 'buffered' });
    case 'ScheduleFiresMissed':
      return update({
        count: 'missedReport',
        lastMissedFrom: event.data.from,
        lastMissedBefore: event.data.before,
      });
    case 'ScheduleBackfillRequested':
      return update({ count: 'backfill' });
    case 'ScheduledRunFinished': {
      const { idempotencyKey, runId, outcome, at: finishedAt } = event.data;
      return update({
        lastFinishedRunId: runId ?? scheduledRunId(idempotencyKey),
        lastOutcome: outcome ?? null,
        lastFinishedAt: finishedAt,
        runFinished: idempotencyKey,
        // An outcome newer than this projector is recorded but counted nowhere.
        ...(isCounter(outcome) ? { count: outcome } : {}),
      });
    }
    default:
      return update({});
  }
}

const isCounter = (name: string | undefined): name is ScheduleCounter =>
  (SCHEDULE_COUNTERS as readonly (string | undefined)[]).includes(name);
