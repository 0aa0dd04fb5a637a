import { type RunResource, type RunWaitingResource, type StepWaitingResource } from '@spark/contracts';
import { type RecordedEvent } from '@spark/event-store';
import { isFinal, rateLimitReason, type Run, runStatusName, STEP_STATUS_NAMES } from '@spark/workflow-domain';
import { apiAttempt, type RunViewState, runViewOf } from './run-view';

/*
 * A run's view rendered as the public API's run resource (REST and gRPC alike): the statuses and
 * errors in the API's words (`run/vocabulary`), the waits of the run and of its steps explained.
 */

/**
 * The run's error: a failed or compensating run's own, else the one its RunCancelled or RunTimedOut
 * gives it (the read model's, too).
 */
function errorOf(view: RunViewState, state: Run): RunResource['error'] {
  if (state.error) return state.error;
  if (state.status !== 'cancelled' && state.status !== 'timedOut') return undefined;
  return view.outcomeError;
}

/**
 * A live run held back says why: its debounce or throttle (and until when), or its concurrency key
 * (and where it stood in line).
 */
function waitingOf(state: Run): { waiting?: RunWaitingResource } {
  const gate = state.startGate;
  if (gate?.status === 'waiting' && state.startControl && !isFinal(state)) {
    const { reason, since, until, kind } = gate;
    return { waiting: { reason, since, until, startControl: kind, startControlKey: state.startControl.key } };
  }
  const slot = state.concurrencySlot;
  if (!state.concurrency || isFinal(state) || slot?.status !== 'waiting' || !slot.waiting) return {};
  if (slot.runAttempt !== state.runAttempt) return {};
  const { reason, inUse, limit, position, since } = slot.waiting;
  return { waiting: { reason, concurrencyKey: state.concurrency.key, inUse, limit, position, since } };
}

/** The step's task attempts held back by its rate limit (0123) or concurrency key (0124), with why. */
function rateLimitWaitsOf(state: Run, stepId: string): { waiting?: StepWaitingResource[] } {
  if (isFinal(state)) return {};
  const waiting: StepWaitingResource[] = [];
  for (const task of Object.values(state.tasks)) {
    if (task.stepId === stepId && task.status === 'slotWaiting' && task.slot) {
      const { key, limit } = task.slot;
      const wait = task.slotWait;
      waiting.push({
        taskId: task.taskId,
        attempt: task.attempt,
        reason: wait?.reason ?? `waiting for a slot of concurrency key ${key} (limit ${limit})`,
        concurrencyKey: key,
        limit: wait?.limit ?? limit,
        ...(wait?.inUse === undefined ? {} : { inUse: wait.inUse }),
        ...(wait?.position === undefined ? {} : { position: wait.position }),
        since: wait?.since ?? state.startedAt,
      });
      continue;
    }
    if (task.stepId !== stepId || task.status !== 'rateLimited' || !task.rateLimit) continue;
    const { key, limit, per } = task.rateLimit;
    const wait = task.rateLimitWait;
    waiting.push({
      taskId: task.taskId,
      attempt: task.attempt,
      reason: wait?.reason ?? rateLimitReason(key, limit, per),
      rateLimitKey: key,
      since: wait?.since ?? state.startedAt,
      ...(wait?.until ? { until: wait.until } : {}),
    });
  }
  return waiting.length === 0 ? {} : { waiting };
}

/**
 * The public view of a started run (undefined before its RunStarted): state from `evolve`, attempts
 * and actions from the events. `extra`: what the gateway knows besides (when it accepted the start).
 */
export function runResourceOf(
  view: RunViewState,
  extra: Pick<Partial<RunResource>, 'acceptedAt' | 'labels'> = {},
): RunResource | undefined {
  const { state } = view;
  if (state.status === 'notStarted') return undefined;
  const labels = view.labels ?? extra.labels;
  const error = errorOf(view, state);
  const { actions } = view;
  return {
    runId: state.runId,
    workflow: { name: state.definition.name, version: state.definition.version },
    status: runStatusName(state.status),
    input: state.input,
    ...(state.output === undefined ? {} : { output: state.output }),
    ...(error ? { error } : {}),
    ...(state.failedStep ? { failedStep: state.failedStep } : {}),
    ...(labels ? { labels } : {}),
    idempotencyKey: state.idempotencyKey,
    runAttempt: state.runAttempt,
    ...(extra.acceptedAt ? { acceptedAt: extra.acceptedAt } : {}),
    startedAt: state.startedAt,
    ...(state.finishedAt ? { finishedAt: state.finishedAt } : {}),
    ...waitingOf(state),
    ...(actions.length > 0 ? { actions } : {}),
    steps: state.definition.steps.map((step) => {
      const runtime = state.steps[step.id];
      return {
        stepId: step.id,
        status: runtime ? STEP_STATUS_NAMES[runtime.status] : 'PENDING',
        ...(runtime?.output === undefined ? {} : { output: runtime.output }),
        ...(runtime?.error ? { error: runtime.error } : {}),
        ...(runtime?.skipReason ? { skipReason: runtime.skipReason } : {}),
        ...(runtime?.awaitingSignal ? { awaitingSignal: runtime.awaitingSignal } : {}),
        ...rateLimitWaitsOf(state, step.id),
        attempts: view.attempts.filter((attempt) => attempt.stepId === step.id).map(apiAttempt),
      };
    }),
    revision: view.revision.toString(),
  };
}

/** The public view of a run from its whole stream. */
export const toRunResource = (
  events: readonly RecordedEvent[],
  extra: Pick<Partial<RunResource>, 'acceptedAt' | 'labels'> = {},
): RunResource | undefined => runResourceOf(runViewOf(events), extra);
