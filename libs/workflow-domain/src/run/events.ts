import { type ConcurrencyStrategy, type WorkflowDefinition } from '@spark/contracts';

import { type Instant } from '../time';
import { type RunError } from './run-error';

interface Event<Type extends string, Data> {
  type: Type;
  data: Data;
}

export type TimerPurpose =
  | 'scheduleToStart'
  | 'startToClose'
  | 'heartbeat'
  | 'retry'
  | 'wait'
  | 'signalTimeout'
  | 'runTimeout'
  | 'startControl'
  | 'rateLimit';
export type TaskPurpose = 'step' | 'compensation';
export type SkipReason = 'condition-false' | 'branch-not-taken' | 'needs-skipped' | 'signal-timed-out';
export type TimeoutKind = 'scheduleToStart' | 'startToClose' | 'heartbeat' | 'signal';

/** A workflow version, as runs and their events name it. */
export interface WorkflowRef {
  name: string;
  version: number;
}

export type RunStarted = Event<
  'RunStarted',
  {
    runId: string;
    workflow: WorkflowRef;
    definition: WorkflowDefinition;
    input: unknown;
    idempotencyKey: string;
    seed: string;
    concurrencyKey?: string;
    /** Set when the run must hold a slot of its concurrency scope before any step starts (docs/adr/0120). */
    concurrency?: RunConcurrency;
    /** Set when the run's steps wait for its debounce or throttle scope (docs/adr/0122). */
    startControl?: RunStartControl;
    parent?: { runId: string; stepId: string };
    labels?: Record<string, string>;
    startedAt: Instant;
  }
>;

export interface RunConcurrency {
  /** The scope whose slots the run shares: `run:<workflow>:<key>`. */
  scope: string;
  key: string;
  limit: number;
  strategy: ConcurrencyStrategy;
}

/** A run's debounce or throttle: its scope `debounce:<workflow>:<key>` or `throttle:<workflow>:<key>`. */
export type RunStartControl = { scope: string; key: string } & (
  | { kind: 'debounce'; periodMs: number; maxWaitMs?: number }
  | { kind: 'throttle'; limit: number; periodMs: number }
);

/** The run's scope said when it may start its steps: it waits until then (a `startControl` timer). */
export type RunWaitingToStart = Event<
  'RunWaitingToStart',
  { kind: 'debounce' | 'throttle'; key: string; reason: string; until: Instant; at: Instant }
>;
/** The run may start its steps. */
export type RunStartReleased = Event<'RunStartReleased', { at: Instant }>;

/** Every slot of the run's concurrency scope is taken: nothing starts until one is granted. */
export type RunWaitingForConcurrency = Event<
  'RunWaitingForConcurrency',
  {
    key: string;
    runAttempt: number;
    inUse: number;
    limit: number;
    position: number;
    reason: string;
    at: Instant;
  }
>;
export type ConcurrencySlotAcquired = Event<
  'ConcurrencySlotAcquired',
  { key: string; runAttempt: number; at: Instant }
>;

/** A task for an executor. The scheduler publishes it to `spark.tasks.<queue>`; the handler gets `idempotencyKey`. */
export interface TaskDispatch {
  taskId: string;
  /**
   * The run's workflow (since event schema 2), so the relay need not read the run's RunStarted. The
   * upcaster fills it in for older dispatches read with their run's workflow known (see codec/).
   */
  workflow?: WorkflowRef;
  stepId: string;
  itemIndex?: number;
  purpose: TaskPurpose;
  attempt: number;
  /** `runId:taskId:attempt`. */
  idempotencyKey: string;
  handler: string;
  config: Record<string, unknown>;
  input: unknown;
  queue: string;
  priority: number;
  /** What the executor enforces too (matches `@spark/contracts` TaskDispatch.timeouts). */
  timeouts: { startToCloseMs: number; heartbeatMs?: number; scheduleToStartMs?: number };
  dispatchedAt: Instant;
  /**
   * A rate-limited attempt sent ahead of its token (docs/adr/0126): the executor holds it until then,
   * and its timeouts count from here.
   */
  notBefore?: Instant;
  /**
   * The rate limit Spark's executor claims a start of before it starts the attempt (docs/adr/0127):
   * the token's time bounds when it may start, this bounds the actual starts of the key.
   */
  rateLimitStart?: { key: string; limit: number; perMs: number };
}
export type TaskDispatched = Event<'TaskDispatched', TaskDispatch>;

/** A task attempt's step rate limit, its key computed (docs/adr/0123): the scope is the key value. */
export interface TaskRateLimit {
  scope: string;
  key: string;
  limit: number;
  /** As written in the definition (`1s`). */
  per: string;
  perMs: number;
}
/**
 * The attempt is held back by its step's rate limit: it goes out (TaskDispatched, with the same task)
 * once its key hands it a token. Its timeouts count from the dispatch, not from here.
 */
export type TaskRateLimited = Event<
  'TaskRateLimited',
  TaskDispatch & {
    rateLimit: TaskRateLimit;
    /** Set when the attempt asks again because its token (due at this time) went stale. */
    renewsToken?: Instant;
  }
>;
/** A task attempt's step concurrency key (docs/adr/0124): scope `step:<key>`. */
export interface TaskSlot {
  scope: string;
  key: string;
  limit: number;
}
/**
 * The attempt needs a slot of its step's concurrency key before it goes out (TaskDispatched, with the
 * same task); it holds the slot until the attempt ends, however it ends. A step with a rate limit too
 * carries it here: once granted, the attempt takes its token (TaskRateLimited), holding the slot
 * (docs/adr/0125).
 */
export type TaskAwaitingSlot = Event<
  'TaskAwaitingSlot',
  TaskDispatch & { slot: TaskSlot; rateLimit?: TaskRateLimit }
>;
/**
 * The attempt left its step concurrency key — it ended (any way: result, timeout, cancellation, its
 * step or run over) or left the line. Appended by the decider right after the event that ended it.
 */
export type TaskSlotReleased = Event<
  'TaskSlotReleased',
  { taskId: string; stepId: string; attempt: number; scope: string; key: string }
>;
/** Every slot of the key is taken: the attempt waits in line (`position`, 1 = next). */
export type TaskWaitingForSlot = Event<
  'TaskWaitingForSlot',
  {
    taskId: string;
    stepId: string;
    attempt: number;
    key: string;
    inUse: number;
    limit: number;
    position: number;
    reason: string;
    at: Instant;
  }
>;

/** The key said when: the attempt waits until then (a `rateLimit` timer). */
export type TaskWaitingForRateLimit = Event<
  'TaskWaitingForRateLimit',
  {
    taskId: string;
    stepId: string;
    attempt: number;
    key: string;
    reason: string;
    until: Instant;
    at: Instant;
  }
>;

/** A child run for the scheduler to start, with `childRunId` as its run id (idempotent). */
export interface ChildRunRequest {
  taskId: string;
  stepId: string;
  attempt: number;
  childRunId: string;
  workflow: { name: string; version?: number };
  input: unknown;
  parentRunId: string;
  requestedAt: Instant;
}
export type ChildRunRequested = Event<'ChildRunRequested', ChildRunRequest>;
export type ChildRunCancellationRequested = Event<
  'ChildRunCancellationRequested',
  { childRunId: string; stepId: string }
>;

/** A durable timer. Scheduling an id again moves it; timers of finished attempts and steps lapse silently. */
export interface Timer {
  timerId: string;
  purpose: TimerPurpose;
  fireAt: Instant;
  taskId?: string;
  attempt?: number;
  stepId?: string;
}
export type TimerScheduled = Event<'TimerScheduled', Timer>;
export type TimerFired = Event<'TimerFired', { timerId: string; firedAt: Instant }>;

export type StepSkipped = Event<'StepSkipped', { stepId: string; reason: SkipReason }>;
export type MapExpanded = Event<'MapExpanded', { stepId: string; items: unknown[] }>;
export type StepWaiting = Event<'StepWaiting', { stepId: string; until?: Instant; signal?: string }>;
export type StepAttemptStarted = Event<
  'StepAttemptStarted',
  { taskId: string; attempt: number; startedAt: Instant; workerId?: string }
>;
export type HeartbeatRecorded = Event<
  'HeartbeatRecorded',
  { taskId: string; attempt: number; at: Instant; details?: unknown }
>;
export type StepAttemptSucceeded = Event<
  'StepAttemptSucceeded',
  { taskId: string; attempt: number; output: unknown; at: Instant }
>;
export type StepAttemptFailed = Event<
  'StepAttemptFailed',
  { taskId: string; attempt: number; error: RunError; retryable: boolean; at: Instant }
>;
/** A timeout. For a task attempt it counts as that attempt's (retryable) failure. */
export type StepTimedOut = Event<
  'StepTimedOut',
  { stepId: string; timeout: TimeoutKind; taskId?: string; attempt?: number; at: Instant }
>;
export type StepRetryScheduled = Event<
  'StepRetryScheduled',
  { taskId: string; attempt: number; delayMs: number; retryAt: Instant }
>;
/** `reason` is absent when the sender gave none (and in events written before it was recorded). */
export type SignalReceived = Event<
  'SignalReceived',
  { signalId: string; name: string; payload: unknown; reason?: string; at: Instant }
>;
/** `signalId` names the signal a signal step consumed. */
export type StepSucceeded = Event<
  'StepSucceeded',
  { stepId: string; output: unknown; signalId?: string; at: Instant }
>;
export type StepFailed = Event<'StepFailed', { stepId: string; error: RunError; at: Instant }>;
export type StepCancelled = Event<
  'StepCancelled',
  {
    stepId: string;
    reason: string;
    tasks: { taskId: string; attempt: number; idempotencyKey: string }[];
    at: Instant;
  }
>;
export type RunCompensating = Event<
  'RunCompensating',
  { error: RunError; failedStep?: string; steps: string[]; at: Instant }
>;
export type StepCompensated = Event<'StepCompensated', { stepId: string; at: Instant }>;
export type StepCompensationFailed = Event<
  'StepCompensationFailed',
  { stepId: string; error: RunError; at: Instant }
>;
export type RunCompleted = Event<'RunCompleted', { output: unknown; completedAt: Instant }>;
export type RunFailed = Event<
  'RunFailed',
  {
    error: RunError;
    failedStep?: string;
    compensated: string[];
    compensationFailures: string[];
    failedAt: Instant;
  }
>;
export type RunCancelled = Event<'RunCancelled', { reason: string; cancelledAt: Instant }>;
export type RunTimedOut = Event<'RunTimedOut', { timedOutAt: Instant }>;
/**
 * Retry from failure: `resetSteps` run again (new attempt numbers); succeeded, uncompensated steps keep their
 * outputs. `reason` is absent when the caller gave none (and in events written before it was recorded).
 */
export type RunResumed = Event<
  'RunResumed',
  { runAttempt: number; resetSteps: string[]; reason?: string; resumedAt: Instant }
>;

export type RunEvent =
  | RunStarted
  | TaskDispatched
  | ChildRunRequested
  | ChildRunCancellationRequested
  | TimerScheduled
  | TimerFired
  | StepSkipped
  | MapExpanded
  | StepWaiting
  | StepAttemptStarted
  | HeartbeatRecorded
  | StepAttemptSucceeded
  | StepAttemptFailed
  | StepTimedOut
  | StepRetryScheduled
  | SignalReceived
  | StepSucceeded
  | StepFailed
  | StepCancelled
  | RunCompensating
  | StepCompensated
  | StepCompensationFailed
  | RunCompleted
  | RunFailed
  | RunCancelled
  | RunTimedOut
  | RunResumed
  | RunWaitingForConcurrency
  | ConcurrencySlotAcquired
  | RunWaitingToStart
  | RunStartReleased
  | TaskRateLimited
  | TaskWaitingForRateLimit
  | TaskAwaitingSlot
  | TaskWaitingForSlot
  | TaskSlotReleased;

export type RunEventType = RunEvent['type'];

/** Every run event type, for decoders (a type added to RunEvent and not here fails to compile). */
export const RUN_EVENT_TYPES = [
  'RunStarted',
  'TaskDispatched',
  'ChildRunRequested',
  'ChildRunCancellationRequested',
  'TimerScheduled',
  'TimerFired',
  'StepSkipped',
  'MapExpanded',
  'StepWaiting',
  'StepAttemptStarted',
  'HeartbeatRecorded',
  'StepAttemptSucceeded',
  'StepAttemptFailed',
  'StepTimedOut',
  'StepRetryScheduled',
  'SignalReceived',
  'StepSucceeded',
  'StepFailed',
  'StepCancelled',
  'RunCompensating',
  'StepCompensated',
  'StepCompensationFailed',
  'RunCompleted',
  'RunFailed',
  'RunCancelled',
  'RunTimedOut',
  'RunResumed',
  'RunWaitingForConcurrency',
  'ConcurrencySlotAcquired',
  'RunWaitingToStart',
  'RunStartReleased',
  'TaskRateLimited',
  'TaskWaitingForRateLimit',
  'TaskAwaitingSlot',
  'TaskWaitingForSlot',
  'TaskSlotReleased',
] as const satisfies readonly RunEventType[];
type MissingRunEventTypes = Exclude<RunEventType, (typeof RUN_EVENT_TYPES)[number]>;
const _everyRunEventType: MissingRunEventTypes extends never ? true : never = true;
void _everyRunEventType;
