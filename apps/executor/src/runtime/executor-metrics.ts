import type { MetricsRegistry } from '@spark/service-kit';
import type { CircuitBreakers } from './circuit-breakers';
import type { AttemptObserver, TaskRunner } from './task-runner';

const CIRCUIT_STATES = { closed: 0, half_open: 1, open: 2 } as const;

/**
 * The executor's metrics: step attempt latency by handler and outcome, tasks in flight and queued
 * per handler bulkhead, circuit state per target host (0 closed, 1 half-open, 2 open). Gauges are
 * read when scraped, so the hot path only observes one histogram sample per attempt.
 */
export function registerExecutorMetrics(
  metrics: MetricsRegistry,
  parts: { runner: () => TaskRunner; circuits: CircuitBreakers },
): AttemptObserver {
  const latency = metrics.histogram(
    'spark_step_duration_seconds',
    'Duration of step attempts in the executor, by handler and outcome.',
    ['handler', 'outcome'],
  );
  metrics.gauge(
    'spark_tasks_in_flight',
    'Tasks running in this executor, by handler.',
    ['handler'],
    (gauge) => {
      gauge.reset();
      for (const [handler, stats] of Object.entries(parts.runner().stats()))
        gauge.set({ handler }, stats.inFlight);
    },
  );
  metrics.gauge(
    'spark_tasks_queued',
    'Tasks waiting for a slot of their handler bulkhead, by handler.',
    ['handler'],
    (gauge) => {
      gauge.reset();
      for (const [handler, stats] of Object.entries(parts.runner().stats()))
        gauge.set({ handler }, stats.queued);
    },
  );
  metrics.gauge(
    'spark_tasks_queued_by_priority',
    'Tasks waiting for a slot of their handler bulkhead, by handler and step priority (docs/adr/0121).',
    ['handler', 'priority'],
    (gauge) => {
      gauge.reset();
      for (const [handler, stats] of Object.entries(parts.runner().stats()))
        for (const [priority, queued] of Object.entries(stats.queuedByPriority))
          gauge.set({ handler, priority }, queued);
    },
  );
  metrics.gauge(
    'spark_rate_limit_start_waiting',
    'Rate-limited tasks in this executor whose start is not claimed yet, by key (docs/adr/0127).',
    ['key'],
    (gauge) => {
      gauge.reset();
      for (const [key, waiting] of parts.runner().startClaimWaits()) gauge.set({ key }, waiting);
    },
  );
  metrics.gauge(
    'spark_circuit_breaker_state',
    'Circuit breaker state per target host: 0 closed, 1 half-open, 2 open.',
    ['host'],
    (gauge) => {
      gauge.reset();
      for (const host of parts.circuits.hosts())
        gauge.set({ host }, CIRCUIT_STATES[parts.circuits.state(host)]);
    },
  );
  return (handler, outcome, seconds) => latency.observe({ handler, outcome }, seconds);
}
