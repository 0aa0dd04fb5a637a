import {
  type BackoffKind,
  type CompensationDefinition,
  DEFAULT_TASK_QUEUE,
  type RetryPolicy,
  type StepDefinition,
} from '@spark/contracts';

import { parseDuration } from '../time';

export const DEFAULT_QUEUE = DEFAULT_TASK_QUEUE;
export const DEFAULT_PRIORITY = 5;
export const DEFAULT_MAP_CONCURRENCY = 10;
export const DEFAULT_TASK_START_TO_CLOSE_MS = 5 * 60_000;

export interface ResolvedRetryPolicy {
  maxAttempts: number;
  backoff: BackoffKind;
  initialIntervalMs: number;
  maxIntervalMs: number;
  coefficient: number;
  jitter: number;
  nonRetryableErrors: string[];
}

/** No `retry` means one attempt: retrying is opted into, so side effects are never repeated by surprise. */
export const resolveRetryPolicy = (policy: RetryPolicy | undefined): ResolvedRetryPolicy => {
  const initialIntervalMs = policy?.initialInterval ? parseDuration(policy.initialInterval) : 1_000;
  return {
    maxAttempts: policy?.maxAttempts ?? 1,
    backoff: policy?.backoff ?? 'exponential',
    initialIntervalMs,
    maxIntervalMs: policy?.maxInterval
      ? parseDuration(policy.maxInterval)
      : Math.max(initialIntervalMs * 100, initialIntervalMs),
    coefficient: policy?.coefficient ?? 2,
    jitter: policy?.jitter ?? 0,
    nonRetryableErrors: policy?.nonRetryableErrors ?? [],
  };
};

export interface ResolvedTimeouts {
  scheduleToStartMs?: number;
  startToCloseMs?: number;
  heartbeatMs?: number;
}

const optionalDuration = (text: string | undefined): number | undefined =>
  text === undefined ? undefined : parseDuration(text);

/** Tasks always have a start-to-close timeout (default 5m) so a lost task can never leave a run stuck. */
export const resolveTaskTimeouts = (
  step: Pick<StepDefinition, 'timeout'> | CompensationDefinition,
): ResolvedTimeouts => ({
  scheduleToStartMs: optionalDuration(step.timeout?.scheduleToStart),
  startToCloseMs: optionalDuration(step.timeout?.startToClose) ?? DEFAULT_TASK_START_TO_CLOSE_MS,
  heartbeatMs: optionalDuration(step.timeout?.heartbeat),
});
