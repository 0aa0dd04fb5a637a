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
  decodeRunEvent,
  type DispatchedAttemptStatus,
  evolveRun,
  initialRunState,
  isClosedAttempt,
  isFinal,
  isRunEventType,
  rateLimitReason,
  type Run,
  type RunError,
  type RunEvent,
  type RunState,
  runOutcomeError,
  runStatusName,
  STEP_STATUS_NAMES,
} from '@spark/workflow-domain';

/** One try of one task as the view keeps it: the API's fields with the domain's status (`run/vocabulary`). */
export type RunViewAttempt = Omit<StepAttemptResource, 'status'> & { status: DispatchedAttemptStatus };

/**
 * A run as of one revision of its stream, everything its public view is made of: the decider state
 * (`evolve`, the same the scheduler decides on), every try of every task in dispatch order (the state
 * keeps only the current one), the cancels, retries and signals, and the labels it started with.
 * The projector keeps one per run in the read model (`run_views`); a reader folds the stream's events
 * after `revision` onto it (docs/adr/0133), so a run reads back its own latest write.
 */
export interface RunViewState {
  state: RunState;
  attempts: RunViewAttempt[];
  actions: RunActionResource[];
  labels?: Record<string, string>;
  /** The error the last RunCancelled or RunTimedOut gave the run (its own error is in the state). */
  outcomeError?: RunError;
  /** The revision of the last event folded in; -1 before the first. */
  revision: bigint;
}

export const emptyRunView = (): RunViewState => ({
  state: initialRunState(),
  attempts: [],
  actions: [],
  revision: -1n,
});

/**
 * The view after `events` (a run's events in stream order). Events at or before the view's revision
 * are skipped, so folding a tail that overlaps what the view holds changes nothing; events of types
 * this code does not know are skipped too (as the projection skips them).
 */
export function foldRunView(view: RunViewState, events: readonly RecordedEvent[]): RunViewState {
  const fresh = events.filter((event) => event.revision > view.revision);
  if (fresh.length === 0) return view;
  let state = view.state;
  let labels = view.labels;
  let outcomeError = view.outcomeError;
  const attempts = view.attempts.map((attempt) => ({ ...attempt }));
  const byKey = new Map(attempts.map((attempt) => [attemptKey(attempt.taskId, attempt.attempt), attempt]));
  const actions = [...view.actions];
  for (const recorded of fresh) {
    if (!isRunEventType(recorded.type)) continue;
    const workflow =
      state.status === 'notStarted'
        ? undefined
        : { name: state.definition.name, version: state.definition.version };
    const event = decodeRunEvent(recorded, workflow ? { workflow } : {});
    if (event.type === 'RunStarted' && event.data.labels) labels = event.data.labels;
    state = evolveRun(state, event);
    outcomeError = runOutcomeError(event) ?? outcomeError;
    foldAttempt(attempts, byKey, event);
    actions.push(...actionsOf(event));
  }
  return {
    state,
    attempts,
    actions,
    ...(labels ? { labels } : {}),
    ...(outcomeError ? { outcomeError } : {}),
    revision: fresh.at(-1)!.revision,
  };
}

/** The view of a whole stream. */
export const runViewOf = (events: readonly RecordedEvent[]): RunViewState =>
  foldRunView(emptyRunView(), events);

/** Folds a run's stream with the run decider's `evolve`: the same state the scheduler decides on. */
export function foldRun(events: readonly RecordedEvent[]): RunState {
  return runViewOf(events).state;
}

const attemptKey = (taskId: string, attempt: number) => `${taskId}#${attempt}`;

/** What one event does to the attempts (the statuses and errors are the read model's, `run/vocabulary`). */
function foldAttempt(attempts: RunViewAttempt[], byKey: Map<string, RunViewAttempt>, event: RunEvent): void {
  const add = (attempt: RunViewAttempt) => {
    const key = attemptKey(attempt.taskId, attempt.attempt);
    const index = attempts.findIndex((found) => found === byKey.get(key));
    if (index >= 0) attempts[index] = attempt;
    else attempts.push(attempt);
    byKey.set(key, attempt);
  };
  const finish = (
    taskId: string | undefined,
    attempt: number | undefined,
    status: DispatchedAttemptStatus,
    at: string,
    extra: Partial<StepAttemptResource> = {},
  ) => {
    if (taskId === undefined || attempt === undefined) return;
    const found = byKey.get(attemptKey(taskId, attempt));
    if (!found || isClosedAttempt(found.status)) return;
    Object.assign(found, { status, finishedAt: at, ...extra });
  };
  switch (event.type) {
    case 'TaskDispatched': {
      const task = event.data;
      add({
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
      return;
    }
    case 'ChildRunRequested': {
      const child = event.data;
      add({
        taskId: child.taskId,
        stepId: child.stepId,
        purpose: 'step',
        attempt: child.attempt,
        status: 'dispatched',
        handler: childRunHandler(child.workflow.name),
        dispatchedAt: child.requestedAt,
        ...(child.input === undefined ? {} : { input: child.input }),
      });
      return;
    }
    case 'StepAttemptStarted': {
      const found = byKey.get(attemptKey(event.data.taskId, event.data.attempt));
      if (found && found.status === 'dispatched') {
        found.status = 'started';
        found.startedAt = event.data.startedAt;
      }
      return;
    }
    case 'StepAttemptSucceeded':
      finish(event.data.taskId, event.data.attempt, 'succeeded', event.data.at, {
        output: event.data.output,
      });
      return;
    case 'StepAttemptFailed':
      finish(event.data.taskId, event.data.attempt, 'failed', event.data.at, { error: event.data.error });
      return;
    case 'StepTimedOut':
      if (event.data.taskId !== undefined && event.data.attempt !== undefined)
        finish(event.data.taskId, event.data.attempt, 'timedOut', event.data.at, {
          error: attemptTimeoutError(event.data.timeout, event.data.taskId, event.data.attempt),
        });
      return;
    case 'StepCancelled':
      for (const task of event.data.tasks) finish(task.taskId, task.attempt, 'cancelled', event.data.at);
      return;
    default:
      return;
  }
}

/** Every try of every task, in dispatch order, with the API's statuses. */
export function stepAttempts(events: readonly RecordedEvent[]): StepAttemptResource[] {
  return runViewOf(events).attempts.map(apiAttempt);
}

const apiAttempt = (attempt: RunViewAttempt): StepAttemptResource => ({
  ...attempt,
  status: ATTEMPT_STATUS_NAMES[attempt.status],
});

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

/** The cancel, retry from failure or signal an event records, with the reason given. */
function actionsOf(event: RunEvent): RunActionResource[] {
  const why = (reason: string | undefined) => (reason ? { reason } : {});
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
}

/** Cancels, retries from failure and signals, oldest first, each with the reason given. */
export function runActions(events: readonly RecordedEvent[]): RunActionResource[] {
  return runViewOf(events).actions;
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
