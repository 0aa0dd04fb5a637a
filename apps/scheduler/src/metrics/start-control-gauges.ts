import type { MetricsRegistry } from '@spark/service-kit';
import { type StartControlCoordinator } from '../start-control';

/**
 * Debounced or throttled runs waiting for their start time, per control, workflow and key (docs/adr/0122).
 * Reported by the relay's leader, which decides every key; a key with nothing pending is not reported.
 */
export function startControlGauges(
  metrics: MetricsRegistry,
  coordinator: Pick<StartControlCoordinator, 'pending'>,
): void {
  metrics.gauge(
    'spark_start_control_pending',
    'Runs waiting for their debounce or throttle start time, per key.',
    ['control', 'workflow', 'key'] as const,
    (gauge) => {
      gauge.reset();
      for (const { control, workflow, key, pending } of coordinator.pending)
        gauge.set({ control, workflow, key }, pending);
    },
  );
}
