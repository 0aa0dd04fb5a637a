import { canonicalJson } from '../../shared';
import { type Instant, toMillis } from '../../time';
import {
  type RecordHeartbeat,
  type RecordTaskFailed,
  type RecordTaskStarted,
  type RecordTaskSucceeded,
} from '../commands';
import { RUN_ERROR_CODES, type RunError } from '../run-error';
import { isOut, type TaskRuntime } from '../state';
import { continueCompensation, failStep } from './compensation';
import { advance } from './dag';
import { type Decision, succeeded } from './decision';
import { type TaskUnit, taskTimer, timeoutsOf } from './dispatch';
import { mapItemSucceeded } from './map';
import { attemptFailed } from './retries';
import { attemptTimedOut } from './timers';

/** The live attempt a report is about; reports of other attempts, or of a task in backoff, are stale. */
export const currentTask = (d: Decision, taskId: string, attemptNumber: number): TaskRuntime | undefined => {
  const task = d.run.tasks[taskId];
  return task && task.attempt === attemptNumber && isOut(task) ? task : undefined;
};

export const taskStarted = async (
  d: Decision,
  command: RecordTaskStarted | RecordHeartbeat,
): Promise<void> => {
  const task = currentTask(d, command.data.taskId, command.data.attempt);
  if (!task || task.status !== 'dispatched') return;
  const workerId = command.type === 'RecordTaskStarted' ? command.data.workerId : undefined;
  emitStarted(d, task, d.now, workerId);
  if (task.dispatch.kind === 'child') return;
  const timeouts = timeoutsOf(d, task);
  // Without scheduleToStart, the start-to-close timer armed at dispatch stays: when it fires it checks
  // the deadline from the start (see fireTimer), so a start costs no second TimerScheduled.
  if (timeouts.startToCloseMs !== undefined && timeouts.scheduleToStartMs !== undefined)
    d.emit(taskTimer(d, task, 'startToClose', timeouts.startToCloseMs));
  if (timeouts.heartbeatMs !== undefined) d.emit(taskTimer(d, task, 'heartbeat', timeouts.heartbeatMs));
};

const emitStarted = (d: Decision, task: TaskRuntime, startedAt: Instant, workerId: string | undefined) =>
  d.emit({
    type: 'StepAttemptStarted',
    data: {
      taskId: task.taskId,
      attempt: task.attempt,
      startedAt,
      ...(workerId === undefined ? {} : { workerId }),
    },
  });

/** A final result with no `started` before it: the attempt's start is recorded first. */
const startedWithFinalResult = (
  d: Decision,
  task: TaskRuntime,
  report: { startedAt?: Instant; workerId?: string },
) => {
  if (task.status === 'dispatched') emitStarted(d, task, report.startedAt ?? d.now, report.workerId);
};

/**
 * A heartbeat implies the attempt started (its start report may be late or lost). Heartbeats are
 * coalesced: one is recorded when it carries new details (progress), or else when the last recorded one
 * (or the start) is half a heartbeat timeout old. None moves the heartbeat timer: when it fires it checks
 * the deadline from the last recorded beat (see fireTimer). Beats every third of the timeout (the
 * executor's pace) without new details record every other one.
 */
export const heartbeat = async (d: Decision, command: RecordHeartbeat): Promise<void> => {
  const task = currentTask(d, command.data.taskId, command.data.attempt);
  if (!task || task.dispatch.kind === 'child') return;
  if (task.status === 'dispatched') await taskStarted(d, command);
  const current = d.run.tasks[task.taskId]!;
  const { heartbeatMs } = timeoutsOf(d, task);
  const last = current.lastHeartbeatAt ?? current.startedAt;
  const { details } = command.data;
  const newDetails =
    details !== undefined && canonicalJson(details) !== canonicalJson(current.lastHeartbeatDetails ?? null);
  const recent =
    heartbeatMs !== undefined && last !== undefined && toMillis(d.now) - toMillis(last) < heartbeatMs / 2;
  if (recent && !newDetails) return;
  d.emit({
    type: 'HeartbeatRecorded',
    data: {
      taskId: task.taskId,
      attempt: task.attempt,
      at: d.now,
      ...(details === undefined ? {} : { details }),
    },
  });
};

export const taskSucceeded = async (d: Decision, command: RecordTaskSucceeded): Promise<void> => {
  const task = currentTask(d, command.data.taskId, command.data.attempt);
  if (!task || task.dispatch.kind === 'child') return;
  startedWithFinalResult(d, task, command.data);
  d.emit({
    type: 'StepAttemptSucceeded',
    data: { taskId: task.taskId, attempt: task.attempt, output: command.data.output ?? null, at: d.now },
  });
  await unitSucceeded(d, task, command.data.output ?? null);
};

export const taskFailed = async (d: Decision, command: RecordTaskFailed): Promise<void> => {
  const task = currentTask(d, command.data.taskId, command.data.attempt);
  if (!task || task.dispatch.kind === 'child') return;
  startedWithFinalResult(d, task, command.data);
  const { error, retryable, retryAfterMs } = command.data;
  // The worker noticed the start-to-close timeout before the scheduler's timer: the same outcome.
  if (error.code === RUN_ERROR_CODES.startToClose) return attemptTimedOut(d, task, 'startToClose');
  d.emit({
    type: 'StepAttemptFailed',
    data: { taskId: task.taskId, attempt: task.attempt, error, retryable, at: d.now },
  });
  await attemptFailed(d, task, error, retryable, retryAfterMs);
};

/** The unit (step, map item or compensation) gave up: its step fails, or the saga goes on. */
export const unitFailed = async (d: Decision, unit: TaskUnit, error: RunError): Promise<void> => {
  if (unit.purpose === 'compensation') {
    d.emit({ type: 'StepCompensationFailed', data: { stepId: unit.stepId, error, at: d.now } });
    return continueCompensation(d);
  }
  return failStep(d, unit.stepId, error, unit.taskId);
};

export const unitSucceeded = async (d: Decision, task: TaskRuntime, output: unknown): Promise<void> => {
  if (task.purpose === 'compensation') {
    d.emit({ type: 'StepCompensated', data: { stepId: task.stepId, at: d.now } });
    return continueCompensation(d);
  }
  if (task.itemIndex === undefined) d.emit(succeeded(d, task.stepId, output));
  else mapItemSucceeded(d, task.stepId);
  await advance(d);
};
