import {
  type RunActionResource,
  type RunResource,
  type RunWaitingResource,
  type StepAttemptResource,
  type StepWaitingResource,
} from '@spark/contracts';
import { type RecordedEvent } from '@spark/event-store';
import {
  ATTEMPT_STATUS_NAMES,
  attemptTimeoutError,
  childRunHandler,
  decodeRunStream,
  type DispatchedAttemptStatus,
  evolveRun,
  initialRunState,
  isClosedAttempt,
  isFinal,
  rateLimitReason,
  type Run,
  type RunEvent,
  type RunStarted,
  type RunState,
  runOutcomeError,
  runStatusName,
  STEP_STATUS_NAMES,
} from '@spark/workflow-domain';

/** Folds a run's stream with the run decider's `evolve`: the same state the scheduler decides on. */
export function foldRun(events: readonly RecordedEvent[]): RunState {
  return decodeRunStream(events).reduce<RunState>(evolveRun, initialRunState());
}

type Attempt = Omit<StepAttemptResource, 'status'> & { status: DispatchedAttemptStatus };

/**
 * Every try of every task, in dispatch order, from the stream (the decider state keeps only the current
 * one); the statuses and errors are the read model's (`run/vocabulary` of the domain).
 */
export function stepAttempts(events: readonly RecordedEvent[]): StepAttemptResource[] {
  const attempts = new Map<string, Attempt>();
  const key = (taskId: string, attempt: number) => `${taskId}#${attempt}`;
  const finish = (
    taskId: string | undefined,
    attempt: number | undefined,
    status: DispatchedAttemptStatus,
    at: string,
    extra: Partial<StepAttemptResource> = {},
  ) => {
    if (taskId === undefined || attempt === undefined) return;
    const found = attempts.get(key(taskId, attempt));
    if (!found || isClosedAttempt(found.status)) return;
    Object.assign(found, { status, finishedAt: at, ...extra });
  };
  for (const event of decodeRunStream(events)) {
    switch (event.type) {
      case 'TaskDispatched': {
        const task = event.data;
        attempts.set(key(task.taskId, task.attempt), {
          taskId: task.taskId,
          stepId: task.stepId,
          ...(task.itemIndex === undefined ? {} : { itemIndex: task.itemIndex }),
          purpose: task.purpose,
          attempt: task.attempt,
          status: 'dispatched',
          handler: task.handler,
          dispatchedAt: task.dispatchedAt,
          ...(task.input === undefined ? {} : { input: task.input }),
        });
        break;
      }
      case 'ChildRunRequested': {
        const child = event.data;
        attempts.set(key(child.taskId, child.attempt), {
          taskId: child.taskId,
          stepId: child.stepId,
          purpose: 'step',
          attempt: child.attempt,
          status: 'dispatched',
          handler: childRunHandler(child.workflow.name),
          dispatchedAt: child.requestedAt,
          ...(child.input === undefined ? {} : { input: child.input }),
        });
        break;
      }
      case 'StepAttemptStarted': {
        const found = attempts.get(key(event.data.taskId, event.data.attempt));
        if (found && found.status === 'dispatched') {
          found.status = 'started';
          found.startedAt = event.data.startedAt;
        }
        break;
      }
      case 'StepAttemptSucceeded':
        finish(event.data.taskId, event.data.attempt, 'succeeded', event.data.at, {
          output: event.data.output,
        });
        break;
      case 'StepAttemptFailed':
        finish(event.data.taskId, event.data.attempt, 'failed', event.data.at, { error: event.data.error });
        break;
      case 'StepTimedOut':
        if (event.data.taskId !== undefined && event.data.attempt !== undefined)
          finish(event.data.taskId, event.data.attempt, 'timedOut', event.data.at, {
            error: attemptTimeoutError(event.data.timeout, event.data.taskId, event.data.attempt),
          });
        break;
      case 'StepCancelled':
        for (const task of event.data.tasks) finish(task.taskId, task.attempt, 'cancelled', event.data.at);
        break;
      default:
        break;
    }
  }
  return [...attempts.values()].map((attempt) => ({
    ...attempt,
    status: ATTEMPT_STATUS_NAMES[attempt.status],
  }));
}

/**
 * The run's error: a failed or compensating run's own, else the one its RunCancelled or RunTimedOut
 * gives it (the read model's, too).
 */
function errorOf(state: Run, events: readonly RunEvent[]): RunResource['error'] {
  if (state.error) return state.error;
  if (state.status !== 'cancelled' && state.status !== 'timedOut') return undefined;
  const final = events.findLast((event) => event.type === 'RunCancelled' || event.type === 'RunTimedOut');
  return final ? runOutcomeError(final) : undefined;
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

/** Cancels, retries from failure and signals, oldest first, each with the reason given. */
export function runActions(events: readonly RecordedEvent[]): RunActionResource[] {
  const why = (reason: string | undefined) => (reason ? { reason } : {});
  return decodeRunStream(events).flatMap((event): RunActionResource[] => {
    switch (event.type) {
      case 'RunCancelled':
        return [{ action: 'CANCEL', at: event.data.cancelledAt, ...why(event.data.reason) }];
      case 'RunResumed':
        return [
          {
            action: 'RETRY',
            at: event.data.resumedAt,
            runAttempt: event.data.runAttempt,
            ...why(event.data.reason),
          },
        ];
      case 'SignalReceived':
        return [
          {
            action: 'SIGNAL',
            at: event.data.at,
            signal: event.data.name,
            signalId: event.data.signalId,
            ...why(event.data.reason),
          },
        ];
      default:
        return [];
    }
  });
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

/** The public view of a started run: state from `evolve`, attempts from the events. */
export function toRunResource(
  events: readonly RecordedEvent[],
  extra: Partial<RunResource> = {},
): RunResource | undefined {
  const decoded = decodeRunStream(events);
  const state = decoded.reduce<RunState>(evolveRun, initialRunState());
  if (state.status === 'notStarted') return undefined;
  const attempts = stepAttempts(events);
  const actions = runActions(events);
  const last = events[events.length - 1]!;
  const labels =
    (decoded.find((event) => event.type === 'RunStarted') as RunStarted | undefined)?.data.labels ??
    extra.labels;
  const error = errorOf(state, decoded);
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
        attempts: attempts.filter((attempt) => attempt.stepId === step.id),
      };
    }),
    revision: last.revision.toString(),
  };
}
