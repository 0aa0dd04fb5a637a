import { type RunActionResource, type StepAttemptResource } from '@spark/contracts';
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
  isRunEventType,
  type RunError,
  type RunEvent,
  type RunState,
  runOutcomeError,
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
  const indexOf = new Map(
    attempts.map((attempt, index) => [attemptKey(attempt.taskId, attempt.attempt), index]),
  );
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
    foldAttempt(attempts, indexOf, event);
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
function foldAttempt(attempts: RunViewAttempt[], indexOf: Map<string, number>, event: RunEvent): void {
  // A second dispatch of the same attempt replaces it in place (its first dispatch keeps the order).
  const add = (attempt: RunViewAttempt) => {
    const key = attemptKey(attempt.taskId, attempt.attempt);
    const index = indexOf.get(key);
    if (index === undefined) indexOf.set(key, attempts.push(attempt) - 1);
    else attempts[index] = attempt;
  };
  const get = (taskId: string, attempt: number): RunViewAttempt | undefined => {
    const index = indexOf.get(attemptKey(taskId, attempt));
    return index === undefined ? undefined : attempts[index];
  };
  const finish = (
    taskId: string | undefined,
    attempt: number | undefined,
    status: DispatchedAttemptStatus,
    at: string,
    extra: Partial<StepAttemptResource> = {},
  ) => {
    if (taskId === undefined || attempt === undefined) return;
    const found = get(taskId, attempt);
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
      const found = get(event.data.taskId, event.data.attempt);
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

export const apiAttempt = (attempt: RunViewAttempt): StepAttemptResource => ({
  ...attempt,
  status: ATTEMPT_STATUS_NAMES[attempt.status],
});

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
