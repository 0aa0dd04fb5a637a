import { type WorkflowDefinition } from '@spark/contracts';

import { type Instant } from '../time';
import {
  type ChildRunRequest,
  type RunConcurrency,
  type RunStartControl,
  type SkipReason,
  type TaskDispatch,
  type TaskPurpose,
  type TaskRateLimit,
  type TaskSlot,
  type Timer,
} from './events';
import { type RunError } from './run-error';

export type StepStatus = 'pending' | 'active' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';

export interface MapProgress {
  items: unknown[];
  results: unknown[];
  /** Next item index to dispatch. */
  nextIndex: number;
  completed: number;
}

export interface StepRuntime {
  status: StepStatus;
  output?: unknown;
  error?: RunError;
  skipReason?: SkipReason;
  map?: MapProgress;
  /** The signal a waiting signal step is waiting for. */
  awaitingSignal?: string;
  compensation?: 'compensated' | 'failed';
}

/**
 * One unit of dispatched work, at its current attempt: a task (plain step, map item or compensation) or a child run.
 * `backoff` = the previous attempt failed and the next one waits for its retry timer.
 * `rateLimited` = the attempt waits for a token of its step's rate limit; no executor has it yet.
 * `slotWaiting` = the attempt waits for a slot of its step's concurrency key; no executor has it yet.
 */
export interface TaskRuntime {
  taskId: string;
  stepId: string;
  itemIndex?: number;
  purpose: TaskPurpose;
  attempt: number;
  status: 'dispatched' | 'started' | 'backoff' | 'rateLimited' | 'slotWaiting';
  /** The step's concurrency key (docs/adr/0124), computed at the first attempt; retries ask the same. */
  slot?: TaskSlot;
  /** While `slotWaiting`: since when, and once the key answered, its place in line and why. */
  slotWait?: { since: Instant; reason?: string; position?: number; inUse?: number; limit?: number };
  /** The step's rate limit, its key computed at the first attempt; retries ask the same key. */
  rateLimit?: TaskRateLimit;
  /** While `rateLimited`: since when, and once the key answered, why and until when. */
  rateLimitWait?: { since: Instant; reason?: string; until?: Instant; renewed?: boolean };
  /** When the current attempt started (its StepAttemptStarted). */
  startedAt?: Instant;
  /** The current attempt's last recorded heartbeat, and the details it carried. */
  lastHeartbeatAt?: Instant;
  lastHeartbeatDetails?: unknown;
  dispatch: { kind: 'task'; task: TaskDispatch } | { kind: 'child'; child: ChildRunRequest };
}

export type RunStatus = 'running' | 'compensating' | 'completed' | 'failed' | 'cancelled' | 'timedOut';
export const FINAL_RUN_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'cancelled', 'timedOut'];

export interface Run {
  status: RunStatus;
  runId: string;
  definition: WorkflowDefinition;
  input: unknown;
  idempotencyKey: string;
  seed: string;
  concurrencyKey?: string;
  concurrency?: RunConcurrency;
  /** Where the run's current attempt stands with its concurrency scope; absent until it heard back. */
  concurrencySlot?: {
    runAttempt: number;
    status: 'waiting' | 'held';
    waiting?: { inUse: number; limit: number; position: number; reason: string; since: Instant };
  };
  startControl?: RunStartControl;
  /** Where the run stands with its debounce or throttle; absent until its scope answered. */
  startGate?:
    | { status: 'waiting'; kind: 'debounce' | 'throttle'; reason: string; since: Instant; until: Instant }
    | { status: 'released' };
  parent?: { runId: string; stepId: string };
  startedAt: Instant;
  /** 1, then +1 for each retry from failure. */
  runAttempt: number;
  steps: Record<string, StepRuntime>;
  tasks: Record<string, TaskRuntime>;
  /** Highest attempt number used per task id, kept across retries from failure so idempotency keys never repeat. */
  attempts: Record<string, number>;
  timers: Record<string, Timer>;
  signals: { seen: string[]; buffered: { signalId: string; name: string; payload: unknown }[] };
  /** Steps in the order they succeeded: compensations run in reverse. */
  succeededOrder: string[];
  compensation?: {
    pending: string[];
    compensated: string[];
    failed: string[];
    error: RunError;
    failedStep?: string;
  };
  error?: RunError;
  failedStep?: string;
  output?: unknown;
  finishedAt?: Instant;
}

export type RunState = { status: 'notStarted' } | Run;

/** Whether an executor may hold the task's current attempt (not waiting for a retry or a rate-limit token). */
export const isOut = (task: TaskRuntime): boolean =>
  task.status === 'dispatched' || task.status === 'started';

export const isFinal = (state: RunState): boolean =>
  state.status !== 'notStarted' && FINAL_RUN_STATUSES.includes(state.status);
export const isStarted = (state: RunState): state is Run => state.status !== 'notStarted';

export const initialRunState = (): RunState => ({ status: 'notStarted' });
