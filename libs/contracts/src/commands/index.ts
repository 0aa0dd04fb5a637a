/**
 * Commands on `spark.commands`, keyed by run id so one run's commands stay in order. The gateway
 * sends the user-facing ones; the scheduler sends itself timer fires and child-run notifications.
 * Every command has a unique `commandId` (it becomes the causation id of the events it causes).
 */

interface CommandBase<Type extends string> {
  type: Type;
  commandId: string;
  runId: string;
  /** When the sender issued it (ISO-8601). */
  issuedAt: string;
}

export interface StartRunCommand extends CommandBase<'StartRun'> {
  /** Without a version, the latest registered version when the scheduler starts the run. */
  workflow: { name: string; version?: number };
  input: unknown;
  /** Repeating a start with the same key is a no-op (the run id should be derived from it). */
  idempotencyKey?: string;
  labels?: Record<string, string>;
  parent?: { runId: string; stepId: string };
}

export interface CancelRunCommand extends CommandBase<'CancelRun'> {
  reason?: string;
}

export interface SignalRunCommand extends CommandBase<'SignalRun'> {
  /** Deduplicates redelivered signals. */
  signalId: string;
  name: string;
  payload?: unknown;
  /** Why the signal was sent (recorded in the run's SignalReceived). */
  reason?: string;
}

export interface RetryRunCommand extends CommandBase<'RetryRun'> {
  /** Why the run is retried (recorded in its RunResumed). */
  reason?: string;
}

export interface FireTimerCommand extends CommandBase<'FireTimer'> {
  timerId: string;
  dueAt: string;
}

export interface ChildRunStartedCommand extends CommandBase<'ChildRunStarted'> {
  childRunId: string;
  stepId: string;
  attempt: number;
}

export interface ChildRunFinishedCommand extends CommandBase<'ChildRunFinished'> {
  childRunId: string;
  outcome: 'completed' | 'failed' | 'cancelled' | 'timedOut';
  output?: unknown;
  error?: { code: string; message: string; details?: unknown };
}

/** The scheduler to itself: what the run's concurrency scope decided for its attempt (docs/adr/0120). */
export type ConcurrencySlotCommand = CommandBase<'ConcurrencySlot'> & { runAttempt: number } & (
    { outcome: 'granted' } | { outcome: 'queued'; inUse: number; limit: number; position: number }
  );

/** The scheduler to itself: what the run's debounce or throttle scope decided (docs/adr/0122). */
export type StartControlCommand = CommandBase<'StartControl'> &
  (
    | { outcome: 'scheduled'; startAt: string; reason: string }
    | { outcome: 'superseded'; by: string; reason: string }
  );

/**
 * The scheduler to itself: when a rate-limited task attempt may be dispatched, as its step's rate-limit
 * scope decided (docs/adr/0123).
 */
export interface RateLimitTokenCommand extends CommandBase<'RateLimitToken'> {
  taskId: string;
  attempt: number;
  startAt: string;
  reason: string;
}

/**
 * The scheduler to itself: what a step concurrency key decided for a task attempt (docs/adr/0124).
 */
export type StepSlotCommand = CommandBase<'StepSlot'> & { taskId: string; attempt: number } & (
    { outcome: 'granted' } | { outcome: 'queued'; inUse: number; limit: number; position: number }
  );

export type SparkCommand =
  | StartRunCommand
  | CancelRunCommand
  | SignalRunCommand
  | RetryRunCommand
  | FireTimerCommand
  | ChildRunStartedCommand
  | ChildRunFinishedCommand
  | ConcurrencySlotCommand
  | StartControlCommand
  | RateLimitTokenCommand
  | StepSlotCommand;

export const SPARK_COMMAND_TYPES: readonly SparkCommand['type'][] = [
  'StartRun',
  'CancelRun',
  'SignalRun',
  'RetryRun',
  'FireTimer',
  'ChildRunStarted',
  'ChildRunFinished',
  'ConcurrencySlot',
  'StartControl',
  'RateLimitToken',
  'StepSlot',
];

/** The label a run started by a schedule carries: the schedule's id. */
export const SCHEDULE_LABEL = 'spark.schedule';
