import type { MetricsRegistry } from '@spark/service-kit';
import { type ConcurrencyCoordinator } from '../concurrency';

/**
 * Slots in use and runs waiting per concurrency key. The relay's leader decides every scope, so only
 * the leader reports them; another instance shows none (sum or max over instances give the same). A key
 * with no slot in use and nobody waiting is not reported (its series disappears rather than showing 0).
 */
export function concurrencyGauges(
  metrics: MetricsRegistry,
  coordinator: Pick<ConcurrencyCoordinator, 'scopes'>,
): void {
  const labels = ['workflow', 'key'] as const;
  metrics.gauge(
    'spark_concurrency_slots_in_use',
    'Runs holding a slot, per concurrency key.',
    labels,
    (gauge) => {
      gauge.reset();
      for (const scope of coordinator.scopes)
        gauge.set({ workflow: scope.workflow, key: scope.key }, scope.inUse);
    },
  );
  metrics.gauge(
    'spark_concurrency_waiting',
    'Runs waiting for a slot, per concurrency key.',
    labels,
    (gauge) => {
      gauge.reset();
      for (const scope of coordinator.scopes)
        gauge.set({ workflow: scope.workflow, key: scope.key }, scope.waiting);
    },
  );
}
