import { addMillis, type Instant, toMillis } from '../../time';
import { type FireTimer } from '../commands';
import { attemptTimeoutError } from '../run-error';
import { type TaskRuntime } from '../state';
import { terminate } from './cancel';
import { type Decision } from './decision';
import { redispatch, taskTimer, timeoutsOf } from './dispatch';
import { attemptFailed } from './retries';
import { releaseRateLimited } from './rate-limit';
import { release } from './start-control';
import { currentTask } from './task-results';
import { signalTimedOut, waitElapsed } from './wait-signal';

export const fireTimer = async (d: Decision, command: FireTimer): Promise<void> => {
  const timer = d.run.timers[command.data.timerId];
  // A timer that lapsed, or that was moved later since this firing was planned, does nothing.
  if (!timer || toMillis(d.now) < toMillis(timer.fireAt)) return;
  d.emit({ type: 'TimerFired', data: { timerId: timer.timerId, firedAt: d.now } });
  switch (timer.purpose) {
    case 'retry': {
      const task = d.run.tasks[timer.taskId ?? ''];
      if (task && task.status === 'backoff' && task.attempt === timer.attempt) await redispatch(d, task);
      return;
    }
    case 'scheduleToStart':
    case 'startToClose':
    case 'heartbeat': {
      const task = currentTask(d, timer.taskId ?? '', timer.attempt ?? 0);
      if (!task) return;
      const deadline =
        timer.purpose === 'startToClose'
          ? startToCloseDeadline(d, task)
          : timer.purpose === 'heartbeat'
            ? heartbeatDeadline(d, task)
            : undefined;
      if (deadline !== undefined && toMillis(d.now) < toMillis(deadline)) {
        // Armed earlier than the deadline it guards (at dispatch, at the start): it moves there.
        d.emit(taskTimer(d, task, timer.purpose, toMillis(deadline) - toMillis(d.now)));
        return;
      }
      return attemptTimedOut(d, task, timer.purpose);
    }
    case 'wait':
      return waitElapsed(d, timer.stepId);
    case 'signalTimeout':
      return signalTimedOut(d, timer.stepId);
    case 'runTimeout':
      return terminate(d, 'timedOut', 'run timeout');
    case 'startControl':
      return release(d);
    case 'rateLimit': {
      const task = d.run.tasks[timer.taskId ?? ''];
      // The timer fires ahead of the token for a task its executor holds (docs/adr/0126).
      if (task && task.attempt === timer.attempt)
        releaseRateLimited(d, task, task.rateLimitWait?.until ?? timer.fireAt);
      return;
    }
    default: {
      const _exhaustive: never = timer.purpose;
      return _exhaustive;
    }
  }
};

/** Start-to-close counts from the attempt's start; a task that has not started has no later deadline. */
const startToCloseDeadline = (d: Decision, task: TaskRuntime): Instant | undefined => {
  if (task.dispatch.kind === 'child' || task.startedAt === undefined) return undefined;
  const { startToCloseMs } = timeoutsOf(d, task);
  return startToCloseMs === undefined ? undefined : addMillis(task.startedAt, startToCloseMs);
};

/** A heartbeat timeout counts from the last recorded beat, or from the start. */
const heartbeatDeadline = (d: Decision, task: TaskRuntime): Instant | undefined => {
  const last = task.lastHeartbeatAt ?? task.startedAt;
  const { heartbeatMs } = timeoutsOf(d, task);
  return last === undefined || heartbeatMs === undefined ? undefined : addMillis(last, heartbeatMs);
};

/** A task attempt timed out (by the scheduler's timer, or reported by its worker): a retryable failure. */
export const attemptTimedOut = async (
  d: Decision,
  task: TaskRuntime,
  timeout: 'scheduleToStart' | 'startToClose' | 'heartbeat',
): Promise<void> => {
  d.emit({
    type: 'StepTimedOut',
    data: { stepId: task.stepId, timeout, taskId: task.taskId, attempt: task.attempt, at: d.now },
  });
  if (task.dispatch.kind === 'child')
    d.emit({
      type: 'ChildRunCancellationRequested',
      data: { childRunId: task.dispatch.child.childRunId, stepId: task.stepId },
    });
  return attemptFailed(d, task, attemptTimeoutError(timeout, task.taskId, task.attempt), true);
};
