import { externalWorkerName, type StepRateLimit } from '@spark/contracts';

import { canonicalJson } from '../../shared';
import { addMillis, type Instant, parseDuration, toMillis } from '../../time';
import { rateLimitScope } from '../../rate-limit/rate-limit-decider';
import { type RecordRateLimitToken } from '../commands';
import { type TaskDispatch, type TaskRateLimit } from '../events';
import { type TaskRuntime } from '../state';
import { type Decision } from './decision';
import { emitDispatch } from './dispatch';
import { evaluate, type Evaluated } from './expressions';

/** The timer a rate-limited attempt sleeps on until its token's time. */
export const rateLimitTimerId = (task: Pick<TaskRuntime, 'taskId' | 'attempt'>): string =>
  `${task.taskId}:${task.attempt}:rateLimit`;

/** A step's rate limit with its key computed for this task (a string as is, anything else as JSON). */
export const taskRateLimitOf = async (
  d: Decision,
  rateLimit: StepRateLimit,
  where: string,
  extra?: Record<string, unknown>,
): Promise<{ ok: true; value: TaskRateLimit } | Extract<Evaluated, { ok: false }>> => {
  const result = await evaluate(d, rateLimit.key, where, extra);
  if (!result.ok) return result;
  const key = typeof result.value === 'string' ? result.value : canonicalJson(result.value ?? null);
  const { limit, per } = rateLimit;
  return { ok: true, value: { scope: rateLimitScope(key), key, limit, per, perMs: parseDuration(per) } };
};

/**
 * The word of a task's rate-limit key (docs/adr/0123): dispatch now when its time has come (or, for
 * Spark's executor, comes within RATE_LIMIT_SEND_AHEAD_MS: docs/adr/0126), else wait for it on a
 * durable timer. A word for another attempt, or for a task no longer waiting (cancelled,
 * its step failed, the run ended, a replay), changes nothing.
 */
export const rateLimitToken = (d: Decision, command: RecordRateLimitToken): void => {
  const { taskId, attempt, startAt, reason } = command.data;
  const task = d.run.tasks[taskId];
  if (!task || task.attempt !== attempt || task.status !== 'rateLimited') return;
  if (toMillis(startAt) <= toMillis(d.now)) return releaseRateLimited(d, task, startAt);
  if (task.rateLimitWait?.until === startAt) return;
  const early = holdsUntilToken(task) ? RATE_LIMIT_SEND_AHEAD_MS : 0;
  const sendAt = addMillis(startAt, -early);
  d.emit({
    type: 'TaskWaitingForRateLimit',
    data: {
      taskId,
      stepId: task.stepId,
      attempt,
      key: task.rateLimit?.key ?? '',
      reason,
      until: startAt,
      at: d.now,
    },
  });
  // Close enough: it goes out now, and its executor holds it until the token's time.
  if (toMillis(sendAt) <= toMillis(d.now)) return releaseRateLimited(d, d.run.tasks[taskId]!, startAt);
  d.emit({
    type: 'TimerScheduled',
    data: {
      timerId: rateLimitTimerId(task),
      purpose: 'rateLimit',
      fireAt: sendAt,
      taskId,
      attempt,
      stepId: task.stepId,
    },
  });
};

/**
 * How long before its token's time a rate-limited attempt goes to Spark's executor, which holds it
 * until then (`notBefore`, docs/adr/0126): the hop from the run's timer to the executor (up to about a
 * second on a loaded machine) then no longer decides when the attempt starts, the token's time does.
 */
export const RATE_LIMIT_SEND_AHEAD_MS = 1000;

/** Only Spark's executor knows `notBefore`; an external worker gets its task at its token's time. */
const holdsUntilToken = (task: TaskRuntime): boolean =>
  task.dispatch.kind === 'task' && externalWorkerName(task.dispatch.task.handler) === undefined;

/** A dispatch as a new attempt goes out: no `notBefore` or start claim of an earlier one. */
export const withoutNotBefore = ({
  notBefore: _notBefore,
  rateLimitStart: _rateLimitStart,
  ...task
}: TaskDispatch): TaskDispatch => task;

/** How late a token may be used: later, its place in the key's spacing is long gone. */
export const tokenExpiryMs = (rateLimit: TaskRateLimit): number => Math.max(rateLimit.perMs, 1000);

/**
 * The token's time (`tokenAt`) has come: the attempt goes to its executor, its timeouts counting from
 * now. A token used more than its expiry late (the scheduler was down, or the run heard of it long
 * after) would bunch with the tokens after it: the attempt asks its key once more instead, and takes
 * whatever the second token says.
 */
export const releaseRateLimited = (d: Decision, task: TaskRuntime, tokenAt: Instant): void => {
  if (task.status !== 'rateLimited' || task.dispatch.kind !== 'task') return;
  const { rateLimit } = task;
  const late = toMillis(d.now) - toMillis(tokenAt);
  const dispatch = withoutNotBefore(task.dispatch.task);
  if (rateLimit && late > tokenExpiryMs(rateLimit) && !task.rateLimitWait?.renewed)
    return d.emit({
      type: 'TaskRateLimited',
      data: { ...dispatch, rateLimit, renewsToken: tokenAt },
    });
  // Spark's executor also claims the start in the key's window of actual starts (docs/adr/0127).
  const claim =
    rateLimit && holdsUntilToken(task)
      ? { rateLimitStart: { key: rateLimit.key, limit: rateLimit.limit, perMs: rateLimit.perMs } }
      : {};
  emitDispatch(d, {
    ...dispatch,
    dispatchedAt: d.now,
    ...(late < 0 ? { notBefore: tokenAt } : {}),
    ...claim,
  });
};
