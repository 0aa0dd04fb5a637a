/**
 * Messages between the scheduler and whoever executes tasks: Spark's executor for the built-in
 * handlers, or other teams' workers for `external:<queue>` handlers (any language: these are plain
 * JSON values on Kafka). Documented for worker authors in docs/external-workers.md.
 *
 * - The scheduler produces a {@link TaskDispatch} to `spark.tasks.<queue>` (key: run id).
 * - The worker answers on `spark.task-results` (key: run id) with {@link TaskResult}s: optionally
 *   `started` and `heartbeat`s, then exactly one of `succeeded` / `failed`.
 * - Delivery is at least once in both directions: a worker may see a dispatch twice, and the
 *   scheduler ignores results of attempts that are no longer current. Side effects should be keyed by
 *   {@link TaskDispatch.idempotencyKey}.
 * Trace context travels in the Kafka header `traceparent` (W3C).
 */

/** The version of the dispatches the scheduler writes to Spark's executor (see {@link TaskDispatch}). */
export const TASK_DISPATCH_VERSION = 2;
/**
 * The version of every result, and of the dispatches to `external:<queue>` workers: they keep version 1
 * ({@link TaskDispatchV1}) so that a worker written to docs/external-workers.md keeps running (ADR 0132).
 */
export const TASK_RESULT_VERSION = 1;
export const TASK_DISPATCH_V1 = 1;

/** What every dispatch carries, whatever its version. */
interface TaskDispatchBase {
  /** `runId:taskId:attempt` — unique per attempt; pass it on (e.g. as the `Idempotency-Key` header). */
  idempotencyKey: string;
  runId: string;
  /** 1 for the first attempt. */
  attempt: number;
  workflow: { name: string; version: number };
  /** `http`, `langflow`, `agent`, `transform`, `sleep`, `noop`, or `external:<queue>`. */
  handler: string;
  /** Handler settings with every template already evaluated. */
  config: Record<string, unknown>;
  /** The step's input with every template already evaluated. */
  input: unknown;
  timeouts: {
    /**
     * The attempt fails with code {@link START_TO_CLOSE_TIMEOUT_CODE} (classification `timeout`) when it
     * has not finished this long after starting.
     */
    startToCloseMs: number;
    /** When set, a started attempt must heartbeat at least this often. */
    heartbeatMs?: number;
    /** When set, the attempt times out unless it starts this long after `dispatchedAt`. */
    scheduleToStartMs?: number;
  };
  /** 0 (lowest) to 9 (highest). */
  priority: number;
  dispatchedAt: string;
}

/** A dispatch of version 2: the task and the step it belongs to, by name. */
export interface TaskDispatch extends TaskDispatchBase {
  version: typeof TASK_DISPATCH_VERSION;
  /** The task: a step id (`charge`), a map item (`lines[3]`) or a compensation (`charge#compensate`). */
  taskId: string;
  /** The workflow step the task belongs to (`charge`, `lines`, `charge`). */
  stepId: string;
  /** A map item's index. */
  itemIndex?: number;
  purpose: TaskPurpose;
  /**
   * Not to start before this time: a rate-limited attempt sent ahead of its token, which the executor
   * holds until then (docs/adr/0126). Its timeouts count from here. Never sent to external workers.
   */
  notBefore?: string;
  /**
   * The step's rate limit, for Spark's executor: it claims a start of this key in the executors' shared
   * window before starting the attempt, so that actual starts keep the limit too (docs/adr/0127).
   */
  rateLimit?: DispatchRateLimit;
}

/** A rate limit as a dispatch carries it: at most `limit` starts of `key` in any `perMs`. */
export interface DispatchRateLimit {
  key: string;
  limit: number;
  perMs: number;
}

/** A dispatch of version 1 (still written to external workers, still read by the executor). */
export interface TaskDispatchV1 extends TaskDispatchBase {
  version: typeof TASK_DISPATCH_V1;
  /** The task id (despite its name): the step id; for a map step's items `<mapStepId>[<index>]`. */
  stepId: string;
}

export type TaskPurpose = 'step' | 'compensation';

const COMPENSATION_SUFFIX = '#compensate';
const MAP_ITEM = /^(.*)\[(\d+)\]$/;

/** What a task id says: its step, its map item, whether it compensates (see {@link TaskDispatch.taskId}). */
export function taskIdParts(taskId: string): { stepId: string; itemIndex?: number; purpose: TaskPurpose } {
  if (taskId.endsWith(COMPENSATION_SUFFIX))
    return { stepId: taskId.slice(0, -COMPENSATION_SUFFIX.length), purpose: 'compensation' };
  const item = MAP_ITEM.exec(taskId);
  if (item) return { stepId: item[1]!, itemIndex: Number(item[2]), purpose: 'step' };
  return { stepId: taskId, purpose: 'step' };
}

/** A version 1 dispatch read as version 2 (a message produced before the upgrade still runs). */
export function upcastTaskDispatch({
  version: _version,
  stepId: taskId,
  ...rest
}: TaskDispatchV1): TaskDispatch {
  return { version: TASK_DISPATCH_VERSION, ...rest, taskId, ...taskIdParts(taskId) };
}

/** The version 1 form of a dispatch, for workers that read only version 1. */
export function downcastTaskDispatch({
  version: _version,
  taskId,
  stepId: _stepId,
  itemIndex: _itemIndex,
  purpose: _purpose,
  notBefore: _notBefore,
  rateLimit: _rateLimit,
  ...rest
}: TaskDispatch): TaskDispatchV1 {
  return { version: TASK_DISPATCH_V1, ...rest, stepId: taskId };
}

/**
 * The code of an attempt that outlived its start-to-close timeout. The same code whoever notices it:
 * a worker enforcing `timeouts.startToCloseMs` (classification `timeout`) or the scheduler's timer; the
 * run decider records both as the attempt's StepTimedOut, so `retry.nonRetryableErrors` matches either.
 */
export const START_TO_CLOSE_TIMEOUT_CODE = 'TIMEOUT_START_TO_CLOSE';

export const TASK_ERROR_CLASSIFICATIONS = ['retryable', 'non_retryable', 'timeout', 'cancelled'] as const;
export type TaskErrorClassification = (typeof TASK_ERROR_CLASSIFICATIONS)[number];

export interface TaskError {
  /**
   * A stable code, matched against a step's `retry.nonRetryableErrors` (e.g. HTTP_500,
   * TIMEOUT_START_TO_CLOSE, TIMEOUT for a handler's own request timeout).
   */
  code: string;
  message: string;
  classification: TaskErrorClassification;
  details?: unknown;
  /**
   * The earliest a retry can help, in ms from now, as the target said (an HTTP `Retry-After`, an open
   * circuit). The retry waits at least this long, and at most the step policy's `maxInterval`.
   */
  retryAfterMs?: number;
}

interface TaskResultBase {
  version: typeof TASK_RESULT_VERSION;
  idempotencyKey: string;
  runId: string;
  /** The task id (a dispatch's `taskId`; a version 1 dispatch's `stepId`). */
  stepId: string;
  attempt: number;
  /** Who executed it (for diagnostics). */
  workerId: string;
  at: string;
}

export interface TaskStarted extends TaskResultBase {
  status: 'started';
}

export interface TaskHeartbeat extends TaskResultBase {
  status: 'heartbeat';
  progress?: unknown;
}

/**
 * A final result may come without a `started` before it (an executor need not report the start of a
 * quick task): then `startedAt` says when the attempt started, and Spark records the start with it.
 */
interface FinalResult {
  startedAt?: string;
}

export interface TaskSucceeded extends TaskResultBase, FinalResult {
  status: 'succeeded';
  output: unknown;
}

export interface TaskFailed extends TaskResultBase, FinalResult {
  status: 'failed';
  error: TaskError;
}

export type TaskResult = TaskStarted | TaskHeartbeat | TaskSucceeded | TaskFailed;

export function idempotencyKeyOf(runId: string, taskId: string, attempt: number): string {
  return `${runId}:${taskId}:${attempt}`;
}

/**
 * On `spark.task-cancellations` (keyed by run id), read by every executor instance: the run ended
 * (cancelled, failed or timed out), so its tasks still running anywhere are aborted rather than left to
 * finish work nobody will use.
 */
export interface TaskCancellation {
  runId: string;
  reason: string;
  issuedAt: string;
}
