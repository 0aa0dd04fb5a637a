import { type StepConcurrency, type WorkflowDefinition } from '@spark/contracts';

import { stepSlotScope } from '../../concurrency/concurrency-decider';
import { waitingReason } from '../../concurrency/decide';
import { canonicalJson } from '../../shared';
import { type RecordStepSlot } from '../commands';
import { type RunEvent, type TaskSlot, type TaskSlotReleased } from '../events';
import { evolve } from '../evolve';
import { type RunState } from '../state';
import { type Decision } from './decision';
import { emitDispatch, stepConcurrencyOf } from './dispatch';
import { evaluate, type Evaluated } from './expressions';

/** A step's concurrency key computed for this task (a string as is, anything else as JSON). */
export const taskSlotOf = async (
  d: Decision,
  concurrency: StepConcurrency,
  where: string,
  extra?: Record<string, unknown>,
): Promise<{ ok: true; value: TaskSlot } | Extract<Evaluated, { ok: false }>> => {
  const result = await evaluate(d, concurrency.key, where, extra);
  if (!result.ok) return result;
  const key = typeof result.value === 'string' ? result.value : canonicalJson(result.value ?? null);
  return { ok: true, value: { scope: stepSlotScope(key), key, limit: concurrency.limit } };
};

/**
 * The word of a task's step concurrency key (docs/adr/0124): a granted attempt goes to its executor
 * (its timeouts counting from now), a queued one says where it stands. A word for another attempt, or
 * for a task no longer waiting (cancelled, its step failed, the run ended, a replay), changes nothing:
 * the relay gives back whatever slot such an attempt held when it ended.
 */
export const stepSlot = (d: Decision, command: RecordStepSlot): void => {
  const { data } = command;
  const task = d.run.tasks[data.taskId];
  if (!task || task.attempt !== data.attempt || task.status !== 'slotWaiting') return;
  if (task.dispatch.kind !== 'task') return;
  if (data.outcome === 'granted') {
    const dispatch = { ...task.dispatch.task, dispatchedAt: d.now };
    // A rate-limited step takes its token now, holding the slot while it waits (docs/adr/0125).
    if (task.rateLimit)
      return d.emit({ type: 'TaskRateLimited', data: { ...dispatch, rateLimit: task.rateLimit } });
    return emitDispatch(d, dispatch);
  }
  const key = task.slot?.key ?? '';
  d.emit({
    type: 'TaskWaitingForSlot',
    data: {
      taskId: task.taskId,
      stepId: task.stepId,
      attempt: task.attempt,
      key,
      inUse: data.inUse,
      limit: data.limit,
      position: data.position,
      reason: waitingReason(key, data.inUse, data.limit),
      at: d.now,
    },
  });
};

/** `rateLimited` with a slot: granted, waiting for its token (docs/adr/0125). */
const HOLDING = new Set(['slotWaiting', 'rateLimited', 'dispatched', 'started']);

/** The attempts holding (or waiting for) a step concurrency slot, by `taskId#attempt`. */
const slotAttempts = (state: RunState): Map<string, TaskSlotReleased['data']> => {
  const held = new Map<string, TaskSlotReleased['data']>();
  if (state.status === 'notStarted') return held;
  for (const task of Object.values(state.tasks))
    if (task.slot && HOLDING.has(task.status))
      held.set(`${task.taskId}#${task.attempt}`, {
        taskId: task.taskId,
        stepId: task.stepId,
        attempt: task.attempt,
        scope: task.slot.scope,
        key: task.slot.key,
      });
  return held;
};

const usesStepSlots = (definition: WorkflowDefinition | undefined): boolean =>
  definition?.steps.some((step) => stepConcurrencyOf(step) !== undefined) ?? false;

/**
 * Gives back every step concurrency slot whose attempt a decision ended, however it ended: after each
 * event, an attempt that held (or waited for) a slot before it and no longer does gets a
 * TaskSlotReleased right there, so a slot can never leak and a release always precedes the next
 * attempt's request (docs/adr/0124). Runs without step concurrency keys pay one look at their steps.
 */
export const withSlotReleases = (state: RunState, events: RunEvent[]): RunEvent[] => {
  const definition =
    state.status === 'notStarted'
      ? events[0]?.type === 'RunStarted'
        ? events[0].data.definition
        : undefined
      : state.definition;
  if (events.length === 0 || !usesStepSlots(definition)) return events;
  const out: RunEvent[] = [];
  let current = state;
  let held = slotAttempts(current);
  for (const event of events) {
    out.push(event);
    current = evolve(current, event);
    const now = slotAttempts(current);
    for (const [id, attempt] of held) if (!now.has(id)) out.push({ type: 'TaskSlotReleased', data: attempt });
    held = now;
  }
  return out;
};
