import { integerSetting, positiveInteger } from '@spark/service-kit';
import { DEFAULT_TASK_QUEUE, EXTERNAL_QUEUE_PREFIX } from '@spark/contracts';
import { DEFAULT_PRIORITY_AGING_MS } from '../runtime/bulkhead';
import { type CircuitBreakerSettings, DEFAULT_CIRCUIT_BREAKER_SETTINGS } from '../runtime/circuit-breakers';

/** When a dispatch's offset is committed; see docs/adr/0030-executor-consumption-and-commits.md. */
export type CommitMode = 'after-start' | 'after-result';

export interface ExecutorSettings {
  /** Task queues to consume: topic `spark.tasks.<queue>` each. */
  queues: string[];
  groupId: string;
  commitMode: CommitMode;
  concurrencyOf(handler: string): number;
  heartbeatThrottleMs: number;
  /** See TaskRunnerSettings.startedReportDelayMs. */
  startedReportDelayMs: number;
  circuitBreaker: CircuitBreakerSettings;
  /** How long a task waiting for a slot takes to gain one priority level (docs/adr/0121). */
  priorityAgingMs: number;
}

export const DEFAULT_CONCURRENCY: Record<string, number> = { http: 64, langflow: 8, agent: 8 };
export const DEFAULT_OTHER_CONCURRENCY = 128;
export const EXECUTOR_GROUP_ID = 'spark-executor';

export function loadExecutorSettings(env: NodeJS.ProcessEnv = process.env): ExecutorSettings {
  const queues = (env.SPARK_EXECUTOR_QUEUES ?? DEFAULT_TASK_QUEUE)
    .split(',')
    .map((queue) => queue.trim())
    .filter(Boolean);
  for (const queue of queues) {
    if (!/^[A-Za-z0-9._-]+$/.test(queue))
      throw new Error(`SPARK_EXECUTOR_QUEUES: "${queue}" is not a valid queue name`);
    // Those belong to other teams' workers (docs/external-workers.md); the executor has no handler for them.
    if (queue.startsWith(EXTERNAL_QUEUE_PREFIX)) {
      throw new Error(`SPARK_EXECUTOR_QUEUES: "${queue}" is an external workers' queue`);
    }
  }
  if (queues.length === 0) throw new Error('SPARK_EXECUTOR_QUEUES is empty');
  const commitMode = env.SPARK_EXECUTOR_COMMIT ?? 'after-start';
  if (commitMode !== 'after-start' && commitMode !== 'after-result') {
    throw new Error(`SPARK_EXECUTOR_COMMIT="${commitMode}" is neither after-start nor after-result`);
  }
  return {
    queues,
    groupId: env.SPARK_EXECUTOR_GROUP ?? EXECUTOR_GROUP_ID,
    commitMode,
    concurrencyOf: (handler) =>
      positiveInteger(
        env,
        `SPARK_EXECUTOR_CONCURRENCY_${handler.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`,
        DEFAULT_CONCURRENCY[handler] ?? DEFAULT_OTHER_CONCURRENCY,
      ),
    heartbeatThrottleMs: positiveInteger(env, 'SPARK_EXECUTOR_HEARTBEAT_THROTTLE_MS', 5000),
    startedReportDelayMs: integerSetting(env, 'SPARK_EXECUTOR_STARTED_REPORT_DELAY_MS', 100, 0, 60_000),
    priorityAgingMs: positiveInteger(env, 'SPARK_EXECUTOR_PRIORITY_AGING_MS', DEFAULT_PRIORITY_AGING_MS),
    circuitBreaker: {
      errorThresholdPercentage: positiveInteger(
        env,
        'SPARK_EXECUTOR_CIRCUIT_ERROR_PERCENT',
        DEFAULT_CIRCUIT_BREAKER_SETTINGS.errorThresholdPercentage,
      ),
      volumeThreshold: positiveInteger(
        env,
        'SPARK_EXECUTOR_CIRCUIT_VOLUME',
        DEFAULT_CIRCUIT_BREAKER_SETTINGS.volumeThreshold,
      ),
      rollingCountTimeoutMs: positiveInteger(
        env,
        'SPARK_EXECUTOR_CIRCUIT_WINDOW_MS',
        DEFAULT_CIRCUIT_BREAKER_SETTINGS.rollingCountTimeoutMs,
      ),
      resetTimeoutMs: positiveInteger(
        env,
        'SPARK_EXECUTOR_CIRCUIT_RESET_MS',
        DEFAULT_CIRCUIT_BREAKER_SETTINGS.resetTimeoutMs,
      ),
    },
  };
}
