/** A run's status on the public API. PENDING: the start was accepted but the scheduler has not started it yet. */
export const RUN_STATUSES = [
  'PENDING',
  'RUNNING',
  'COMPENSATING',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TIMED_OUT',
] as const;
export type RunStatusName = (typeof RUN_STATUSES)[number];
export const FINAL_RUN_STATUS_NAMES: readonly RunStatusName[] = [
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TIMED_OUT',
];

export const STEP_STATUSES = ['PENDING', 'ACTIVE', 'SUCCEEDED', 'FAILED', 'SKIPPED', 'CANCELLED'] as const;
export type StepStatusName = (typeof STEP_STATUSES)[number];

export const ATTEMPT_STATUSES = [
  'DISPATCHED',
  'STARTED',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'CANCELLED',
] as const;
export type AttemptStatusName = (typeof ATTEMPT_STATUSES)[number];

export interface RunErrorResource {
  code: string;
  message: string;
  details?: unknown;
}

/** One try of one task (a step, a map item or a compensation). */
export interface StepAttemptResource {
  taskId: string;
  stepId: string;
  itemIndex?: number;
  purpose: 'step' | 'compensation';
  attempt: number;
  status: AttemptStatusName;
  handler?: string;
  dispatchedAt?: string;
  startedAt?: string;
  finishedAt?: string;
  /** What the attempt was given: the step's input (a map item's own), resolved when it was dispatched. */
  input?: unknown;
  output?: unknown;
  error?: RunErrorResource;
}

export interface StepResource {
  stepId: string;
  status: StepStatusName;
  output?: unknown;
  error?: RunErrorResource;
  skipReason?: string;
  awaitingSignal?: string;
  /**
   * Task attempts of the step held back by its rate limit (docs/adr/0123) or its concurrency key
   * (0124), with why.
   */
  waiting?: StepWaitingResource[];
  attempts: StepAttemptResource[];
}

/**
 * A task attempt waiting for its step's rate limit ("waiting for rate limit model-x: 5 per 1s") or for
 * a slot of its concurrency key ("waiting for concurrency key model-a: 2 of 2 in use").
 */
export interface StepWaitingResource {
  taskId: string;
  attempt: number;
  reason: string;
  rateLimitKey?: string;
  concurrencyKey?: string;
  /** Concurrency key: slots in use and the limit when it queued, and its place in line (1 = next). */
  inUse?: number;
  limit?: number;
  position?: number;
  since: string;
  /** When the attempt is dispatched; absent until the rate-limit key has answered. */
  until?: string;
}

/** Why a live run starts no step yet: its concurrency key (docs/adr/0120) or its debounce/throttle (0122). */
export interface RunWaitingResource {
  /** e.g. "waiting for concurrency key tenant-a: 3 of 3 in use". */
  reason: string;
  concurrencyKey?: string;
  inUse?: number;
  limit?: number;
  /** The run's place in line when it queued (1 = next). */
  position?: number;
  since: string;
  /** Set when the run waits for its debounce or throttle. */
  startControl?: 'debounce' | 'throttle';
  startControlKey?: string;
  /** When a debounced or throttled run starts its steps (a later start may still supersede a debounced one). */
  until?: string;
}

/**
 * Something done to a run from outside, with the reason given: a cancel, a retry from failure, a signal.
 * A retry's or a signal's reason is absent when none was given (and on ones recorded before reasons were
 * kept); a cancel always has one: "cancelled" when the caller gave none.
 */
export interface RunActionResource {
  action: 'CANCEL' | 'RETRY' | 'SIGNAL';
  at: string;
  reason?: string;
  /** SIGNAL: the signal's name and id. */
  signal?: string;
  signalId?: string;
  /** RETRY: the run attempt the retry began. */
  runAttempt?: number;
}

export interface RunResource {
  runId: string;
  workflow: { name: string; version?: number };
  status: RunStatusName;
  input?: unknown;
  output?: unknown;
  error?: RunErrorResource;
  failedStep?: string;
  labels?: Record<string, string>;
  idempotencyKey?: string;
  /** 1, then +1 per retry from failure. */
  runAttempt?: number;
  acceptedAt?: string;
  startedAt?: string;
  finishedAt?: string;
  /** Why a live run starts no step yet: every slot of its concurrency key is taken (docs/adr/0120). */
  waiting?: RunWaitingResource;
  /** Cancels, retries from failure and signals, in the order they were recorded. */
  actions?: RunActionResource[];
  steps: StepResource[];
  /** The run stream's revision the view was folded up to (absent while PENDING). */
  revision?: string;
}

/** The answer to a start: the run id, derived from the Idempotency-Key when one was given. */
export interface RunAccepted {
  runId: string;
  status: RunStatusName;
  workflow: { name: string; version: number };
  /** Where to read the run. */
  location: string;
}

/** One event of a run, as the SSE stream sends it (`event:` = type, `id:` = stream revision). */
export interface RunEventMessage {
  runId: string;
  revision: string;
  type: string;
  data: unknown;
  recordedAt: string;
}
