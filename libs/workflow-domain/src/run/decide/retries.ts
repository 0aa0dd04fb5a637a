import { resolveRetryPolicy } from '../../definition';
import { unitInterval } from '../../shared';
import { addMillis } from '../../time';
import { retryDelayMs } from '../backoff';
import { stepOf } from '../definition-index';
import { type RunError } from '../run-error';
import { type TaskRuntime } from '../state';
import { type Decision } from './decision';
import { redispatch, taskTimer } from './dispatch';
import { unitFailed } from './task-results';

const retryPolicyOf = (d: Decision, task: TaskRuntime) => {
  const step = stepOf(d.definition, task.stepId);
  return resolveRetryPolicy(task.purpose === 'compensation' ? step.compensate?.retry : step.retry);
};

/**
 * Called after the attempt's failure (or timeout) is recorded: retry per the policy, or give up on the unit.
 * `retryAfterMs` (the target's own word, e.g. an open circuit) lengthens the delay, never past `maxInterval`.
 */
export const attemptFailed = async (
  d: Decision,
  task: TaskRuntime,
  error: RunError,
  retryable: boolean,
  retryAfterMs = 0,
): Promise<void> => {
  const policy = retryPolicyOf(d, task);
  const canRetry =
    retryable && !policy.nonRetryableErrors.includes(error.code) && task.attempt < policy.maxAttempts;
  if (!canRetry) return unitFailed(d, task, error);
  const byPolicy = retryDelayMs(
    policy,
    task.attempt,
    unitInterval(d.run.seed, `${task.taskId}:${task.attempt}`),
  );
  const delayMs = Math.max(byPolicy, Math.min(Math.round(retryAfterMs), policy.maxIntervalMs));
  const next = task.attempt + 1;
  d.emit({
    type: 'StepRetryScheduled',
    data: { taskId: task.taskId, attempt: next, delayMs, retryAt: addMillis(d.now, delayMs) },
  });
  if (delayMs > 0) d.emit(taskTimer(d, { ...task, attempt: next }, 'retry', delayMs));
  else await redispatch(d, d.run.tasks[task.taskId]!);
};
