import type { MetricsRegistry } from '@spark/service-kit';
import { type RateLimitCoordinator } from '../rate-limit';

/**
 * Task attempts waiting for their rate-limit token's time, per key (docs/adr/0123). Reported by the
 * relay's leader, which decides every key, like the concurrency gauges; a key with nothing waiting is
 * not reported.
 */
export function rateLimitGauges(
  metrics: MetricsRegistry,
  coordinator: Pick<RateLimitCoordinator, 'keys'>,
): void {
  metrics.gauge(
    'spark_rate_limit_waiting',
    'Task attempts waiting for their rate-limit token, per key.',
    ['key'] as const,
    (gauge) => {
      gauge.reset();
      for (const { key, waiting } of coordinator.keys) gauge.set({ key }, waiting);
    },
  );
}
