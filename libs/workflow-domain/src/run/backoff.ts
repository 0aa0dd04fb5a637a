import { type ResolvedRetryPolicy } from '../definition';

/**
 * Delay before the attempt after `failedAttempt` (1-based):
 * fixed = initial; linear = initial × n; exponential = initial × coefficient^(n−1); capped at maxInterval.
 * Jitter moves it by up to ±jitter of itself, from `random` in [0, 1) (derived from the run's seed, never Math.random).
 */
export const retryDelayMs = (policy: ResolvedRetryPolicy, failedAttempt: number, random: number): number => {
  const n = Math.max(1, failedAttempt);
  const base =
    policy.backoff === 'fixed'
      ? policy.initialIntervalMs
      : policy.backoff === 'linear'
        ? policy.initialIntervalMs * n
        : policy.initialIntervalMs * policy.coefficient ** (n - 1);
  const capped = Math.min(base, policy.maxIntervalMs);
  const jittered = capped * (1 + policy.jitter * (2 * random - 1));
  return Math.round(Math.min(Math.max(jittered, 0), policy.maxIntervalMs));
};
