import { resolveRetryPolicy } from '../definition';
import { formatDuration, parseDuration } from '../time';
import { retryDelayMs } from './backoff';

describe('retry backoff', () => {
  const delays = (policy: Parameters<typeof resolveRetryPolicy>[0], random = 0.5) =>
    [1, 2, 3, 4, 5].map((attempt) => retryDelayMs(resolveRetryPolicy(policy), attempt, random));

  it('fixed, linear and exponential, capped at maxInterval', () => {
    expect(delays({ maxAttempts: 6, backoff: 'fixed', initialInterval: '2s' })).toEqual([
      2000, 2000, 2000, 2000, 2000,
    ]);
    expect(delays({ maxAttempts: 6, backoff: 'linear', initialInterval: '2s', maxInterval: '7s' })).toEqual([
      2000, 4000, 6000, 7000, 7000,
    ]);
    expect(
      delays({
        maxAttempts: 6,
        backoff: 'exponential',
        initialInterval: '500ms',
        coefficient: 3,
        maxInterval: '10s',
      }),
    ).toEqual([500, 1500, 4500, 10000, 10000]);
  });

  it('jitter stays within ±jitter of the delay and never exceeds maxInterval', () => {
    const policy = {
      maxAttempts: 6,
      backoff: 'fixed' as const,
      initialInterval: '10s',
      maxInterval: '11s',
      jitter: 0.2,
    };
    expect(delays(policy, 0)).toEqual(Array(5).fill(8000));
    expect(delays(policy, 0.999999)).toEqual(Array(5).fill(11000));
  });
});

describe('durations', () => {
  it('parses and formats the one duration syntax', () => {
    expect(['500ms', '30s', '5m', '2h', '1d', '1h30m'].map(parseDuration)).toEqual([
      500, 30_000, 300_000, 7_200_000, 86_400_000, 5_400_000,
    ]);
    expect(formatDuration(5_400_500)).toBe('1h30m500ms');
    expect(() => parseDuration('PT30S')).toThrow('not a duration');
  });
});
