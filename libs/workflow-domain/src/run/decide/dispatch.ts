import {
  type CompensationDefinition,
  type StepConcurrency,
  type StepDefinition,
  type SubworkflowStepDefinition,
  type TaskSpec,
  taskQueueOf,
} from '@spark/contracts';

import {
  DEFAULT_PRIORITY,
  DEFAULT_TASK_START_TO_CLOSE_MS,
  resolveTaskTimeouts,
  type ResolvedTimeouts,
} from '../../definition';
import { addMillis, parseDuration, toMillis } from '../../time';
import { stepOf } from '../definition-index';
import { type RunEvent, type TaskDispatch, type TaskRateLimit, type TimerPurpose } from '../events';
import { type RunError } from '../run-error';
import { type TaskRuntime } from '../state';
import { taskIdempotencyKey } from '../task-ids';
import { requestChild } from './child-runs';
import { type Decision, nextAttempt } from './decision';
import { evaluateTemplateIn } from './expressions';
import { taskRateLimitOf } from './rate-limit';
import { taskSlotOf } from './step-slots';
import { unitFailed } from './task-results';

/** What one dispatch is for: a step (or one map item of it) or a step's compensation. */
export interface TaskUnit {
  taskId: string;
  stepId: string;
  purpose: 'step' | 'compensation';
  itemIndex?: number;
}

export const dispatchTask = async (
  d: Decision,
  unit: TaskUnit,
  spec: TaskSpec,
  owner: StepDefinition | CompensationDefinition,
  extra?: Record<string, unknown>,
): Promise<void> => {
  const where = `steps.${unit.stepId}${unit.purpose === 'compensation' ? '.compensate' : ''}`;
  const input = await evaluateTemplateIn(d, spec.input ?? null, `${where}.input`, extra);
  const config = input.ok ? await evaluateTemplateIn(d, spec.config ?? {}, `${where}.config`, extra) : input;
  if (!input.ok || !config.ok)
    return unitFailed(d, unit, !input.ok ? input.error : (config as { error: RunError }).error);
  const step = stepOf(d.definition, unit.stepId);
  const attemptNumber = nextAttempt(d.run, unit.taskId);
  const task: TaskDispatch = {
    taskId: unit.taskId,
    workflow: { name: d.definition.name, version: d.definition.version },
    stepId: unit.stepId,
    ...(unit.itemIndex === undefined ? {} : { itemIndex: unit.itemIndex }),
    purpose: unit.purpose,
    attempt: attemptNumber,
    idempotencyKey: taskIdempotencyKey(d.run.runId, unit.taskId, attemptNumber),
    handler: spec.handler,
    config: config.value as Record<string, unknown>,
    input: input.value,
    queue: taskQueueOf(spec.handler, owner.queue ?? step.queue),
    priority: step.priority ?? DEFAULT_PRIORITY,
    timeouts: executorTimeouts(timeoutsOf(d, unit)),
    dispatchedAt: d.now,
  };
  if (unit.purpose !== 'step') return emitDispatch(d, task);
  const keyed = stepConcurrencyOf(step);
  let rateLimit: TaskRateLimit | undefined;
  if ('rateLimit' in step && step.rateLimit) {
    const computed = await taskRateLimitOf(d, step.rateLimit, `steps.${unit.stepId}.rateLimit.key`, extra);
    if (!computed.ok) return unitFailed(d, unit, computed.error);
    rateLimit = computed.value;
  }
  // With both, the slot comes first and the token after it (docs/adr/0125): the attempt's start keeps
  // its token's time, and a token is never spent while the attempt still waits in line.
  if (keyed) {
    const slot = await taskSlotOf(d, keyed.concurrency, `steps.${unit.stepId}.${keyed.field}.key`, extra);
    if (!slot.ok) return unitFailed(d, unit, slot.error);
    return d.emit({
      type: 'TaskAwaitingSlot',
      data: { ...task, slot: slot.value, ...(rateLimit ? { rateLimit } : {}) },
    });
  }
  if (rateLimit) return d.emit({ type: 'TaskRateLimited', data: { ...task, rateLimit } });
  emitDispatch(d, task);
};

/** A step's concurrency key: `concurrency` on a task step, `concurrencyKey` (for each item) on a map. */
export const stepConcurrencyOf = (
  step: StepDefinition,
): { concurrency: StepConcurrency; field: 'concurrency' | 'concurrencyKey' } | undefined => {
  if (step.type === 'task' && step.concurrency)
    return { concurrency: step.concurrency, field: 'concurrency' };
  if (step.type === 'map' && step.concurrencyKey)
    return { concurrency: step.concurrencyKey, field: 'concurrencyKey' };
  return undefined;
};

const executorTimeouts = (timeouts: ResolvedTimeouts): TaskDispatch['timeouts'] => ({
  startToCloseMs: timeouts.startToCloseMs ?? DEFAULT_TASK_START_TO_CLOSE_MS,
  ...(timeouts.heartbeatMs === undefined ? {} : { heartbeatMs: timeouts.heartbeatMs }),
  ...(timeouts.scheduleToStartMs === undefined ? {} : { scheduleToStartMs: timeouts.scheduleToStartMs }),
});

export const timeoutsOf = (d: Decision, task: Pick<TaskRuntime, 'stepId' | 'purpose'>): ResolvedTimeouts => {
  const step = stepOf(d.definition, task.stepId);
  if (task.purpose === 'compensation' && step.compensate) return resolveTaskTimeouts(step.compensate);
  if (step.type === 'subworkflow')
    return {
      startToCloseMs:
        step.timeout?.startToClose === undefined ? undefined : parseDuration(step.timeout.startToClose),
    };
  return resolveTaskTimeouts(step);
};

export const taskTimer = (
  d: Decision,
  task: { taskId: string; stepId: string; attempt: number },
  purpose: TimerPurpose,
  afterMs: number,
): RunEvent => ({
  type: 'TimerScheduled',
  data: {
    timerId: `${task.taskId}:${task.attempt}:${purpose}`,
    purpose,
    fireAt: addMillis(d.now, afterMs),
    taskId: task.taskId,
    attempt: task.attempt,
    stepId: task.stepId,
  },
});

/**
 * A lost dispatch must still time out: with no scheduleToStart, the start-to-close timer is armed at dispatch
 * and moved when the attempt starts.
 */
export const emitDispatch = (d: Decision, task: TaskDispatch): void => {
  d.emit({ type: 'TaskDispatched', data: task });
  const timeouts = timeoutsOf(d, task);
  // An attempt its executor holds until `notBefore` (docs/adr/0126) has its timeouts counted from then.
  const held = task.notBefore === undefined ? 0 : Math.max(0, toMillis(task.notBefore) - toMillis(d.now));
  if (timeouts.scheduleToStartMs !== undefined)
    d.emit(taskTimer(d, task, 'scheduleToStart', held + timeouts.scheduleToStartMs));
  else if (timeouts.startToCloseMs !== undefined)
    d.emit(taskTimer(d, task, 'startToClose', held + timeouts.startToCloseMs));
};

/** The next attempt of a task (or child run) goes out as the first did, with its own attempt number. */
export const redispatch = async (d: Decision, task: TaskRuntime): Promise<void> => {
  if (task.dispatch.kind === 'child') {
    return requestChild(d, stepOf(d.definition, task.stepId) as SubworkflowStepDefinition, task.attempt, {
      value: task.dispatch.child.input,
    });
  }
  const { notBefore: _notBefore, rateLimitStart: _rateLimitStart, ...previous } = task.dispatch.task;
  const next: TaskDispatch = {
    ...previous,
    attempt: task.attempt,
    idempotencyKey: taskIdempotencyKey(d.run.runId, task.taskId, task.attempt),
    dispatchedAt: d.now,
  };
  // Every attempt of a step with a concurrency key asks for a slot of its own (then its token, if
  // rate-limited too), and every attempt of a rate-limited step takes a token of its own.
  if (task.slot)
    return d.emit({
      type: 'TaskAwaitingSlot',
      data: { ...next, slot: task.slot, ...(task.rateLimit ? { rateLimit: task.rateLimit } : {}) },
    });
  if (task.rateLimit)
    return d.emit({ type: 'TaskRateLimited', data: { ...next, rateLimit: task.rateLimit } });
  emitDispatch(d, next);
};
