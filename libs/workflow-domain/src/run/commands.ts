import { type WorkflowDefinition } from '@spark/contracts';

import { type Instant } from '../time';
import { type RunError } from './run-error';

/** Every command carries the time it is decided at; the domain never reads a clock. */
export interface CommandMetadata {
  now: Instant;
}

interface Command<Type extends string, Data> {
  type: Type;
  data: Data;
  metadata: CommandMetadata;
}

export type StartRun = Command<
  'StartRun',
  {
    runId: string;
    /** The registered definition the run pins. */
    definition: WorkflowDefinition;
    input: unknown;
    /** Repeating StartRun with the same key is a no-op; defaults to the run id. */
    idempotencyKey?: string;
    parent?: { runId: string; stepId: string };
    /** Free-form key/value tags the caller attaches to the run (filterable in listings). */
    labels?: Record<string, string>;
    /** Seeds retry jitter; defaults to the run id. */
    seed?: string;
  }
>;

/** Task-result commands name the attempt they report on; anything not about the current attempt is ignored. */
export type RecordTaskStarted = Command<
  'RecordTaskStarted',
  { taskId: string; attempt: number; workerId?: string }
>;
export type RecordHeartbeat = Command<
  'RecordHeartbeat',
  { taskId: string; attempt: number; details?: unknown }
>;
export type RecordTaskSucceeded = Command<
  'RecordTaskSucceeded',
  { taskId: string; attempt: number; output: unknown } & FinalReport
>;
export type RecordTaskFailed = Command<
  'RecordTaskFailed',
  {
    taskId: string;
    attempt: number;
    error: RunError;
    retryable: boolean;
    /** The worker's hint: a retry sooner than this will not help (see TaskError.retryAfterMs). */
    retryAfterMs?: number;
  } & FinalReport
>;
/**
 * A final result may be the first word of an attempt (a quick task's executor reports no `started`):
 * then it says when and where the attempt started, and the attempt's start is recorded with it.
 */
interface FinalReport {
  startedAt?: Instant;
  workerId?: string;
}
export type FireTimer = Command<'FireTimer', { timerId: string }>;
/** `reason`: why whoever sent the signal sent it (recorded in the SignalReceived). */
export type ReceiveSignal = Command<
  'ReceiveSignal',
  { signalId: string; name: string; payload?: unknown; reason?: string }
>;
export type ChildRunOutcome = 'completed' | 'failed' | 'cancelled' | 'timedOut';
export type RecordChildRunFinished = Command<
  'RecordChildRunFinished',
  { childRunId: string; outcome: ChildRunOutcome; output?: unknown; error?: RunError }
>;
export type CancelRun = Command<'CancelRun', { reason?: string }>;
export type RetryRunFromFailure = Command<'RetryRunFromFailure', { reason?: string }>;
/** What the run's concurrency scope decided for its attempt `runAttempt` (see concurrency-gate.ts). */
export type RecordConcurrencySlot = Command<
  'RecordConcurrencySlot',
  | { runAttempt: number; outcome: 'granted' }
  | { runAttempt: number; outcome: 'queued'; inUse: number; limit: number; position: number }
>;

/** What the run's debounce or throttle scope decided (see start-gate.ts). */
export type RecordStartControl = Command<
  'RecordStartControl',
  | { outcome: 'scheduled'; startAt: Instant; reason: string }
  | { outcome: 'superseded'; by: string; reason: string }
>;

/** When the rate-limited attempt `attempt` of `taskId` may be dispatched (see decide/rate-limit.ts). */
export type RecordRateLimitToken = Command<
  'RecordRateLimitToken',
  { taskId: string; attempt: number; startAt: Instant; reason: string }
>;

/** What a step concurrency key decided for the attempt `attempt` of `taskId` (see decide/step-slots.ts). */
export type RecordStepSlot = Command<
  'RecordStepSlot',
  | { taskId: string; attempt: number; outcome: 'granted' }
  | { taskId: string; attempt: number; outcome: 'queued'; inUse: number; limit: number; position: number }
>;

export type RunCommand =
  | StartRun
  | RecordTaskStarted
  | RecordHeartbeat
  | RecordTaskSucceeded
  | RecordTaskFailed
  | FireTimer
  | ReceiveSignal
  | RecordChildRunFinished
  | CancelRun
  | RetryRunFromFailure
  | RecordConcurrencySlot
  | RecordStartControl
  | RecordRateLimitToken
  | RecordStepSlot;
