import {
  BUILT_IN_HANDLERS,
  type BuiltInHandler,
  DEFAULT_TASK_QUEUE,
  EXTERNAL_QUEUE_PREFIX,
} from '@spark/contracts';
import { choice, type ConfigSchema, integer, positive, readConfig, text } from '@spark/service-kit';
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

const concurrencyVariable = (handler: string) =>
  `SPARK_EXECUTOR_CONCURRENCY_${handler.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

const queueList = (raw: string): string[] => {
  const queues = raw
    .split(',')
    .map((queue) => queue.trim())
    .filter(Boolean);
  for (const queue of queues) {
    if (!/^[A-Za-z0-9._-]+$/.test(queue)) throw new Error(`has "${queue}", not a valid queue name`);
    // Those belong to other teams' workers (docs/external-workers.md); the executor has no handler for them.
    if (queue.startsWith(EXTERNAL_QUEUE_PREFIX))
      throw new Error(`has "${queue}", an external workers' queue`);
  }
  if (queues.length === 0) throw new Error('names no queue');
  return queues;
};

export const EXECUTOR_CONFIG_SCHEMA = {
  SPARK_EXECUTOR_QUEUES: {
    desc: 'task queues to consume (comma-separated): topic spark.tasks.<queue> each',
    default: [DEFAULT_TASK_QUEUE],
    defaultText: DEFAULT_TASK_QUEUE,
    parse: queueList,
  },
  SPARK_EXECUTOR_GROUP: text('Kafka consumer group', EXECUTOR_GROUP_ID),
  SPARK_EXECUTOR_COMMIT: choice(
    "when a dispatch's offset is committed (docs/adr/0030)",
    ['after-start', 'after-result'] as const,
    'after-start',
  ),
  ...Object.fromEntries(
    BUILT_IN_HANDLERS.map((handler) => [
      concurrencyVariable(handler),
      positive(`${handler} tasks run at once`, DEFAULT_CONCURRENCY[handler] ?? DEFAULT_OTHER_CONCURRENCY),
    ]),
  ),
  SPARK_EXECUTOR_HEARTBEAT_THROTTLE_MS: positive('least time between two heartbeats sent for a task', 5000),
  SPARK_EXECUTOR_STARTED_REPORT_DELAY_MS: integer(
    'how long a task may run before its start is reported (quick ones report none)',
    100,
    0,
    60_000,
  ),
  SPARK_EXECUTOR_PRIORITY_AGING_MS: positive(
    'how long a task waiting for a slot takes to gain one priority level (docs/adr/0121)',
    DEFAULT_PRIORITY_AGING_MS,
  ),
  SPARK_EXECUTOR_CIRCUIT_ERROR_PERCENT: positive(
    'failure percentage that opens a circuit',
    DEFAULT_CIRCUIT_BREAKER_SETTINGS.errorThresholdPercentage,
  ),
  SPARK_EXECUTOR_CIRCUIT_VOLUME: positive(
    'calls in the window before a circuit may open',
    DEFAULT_CIRCUIT_BREAKER_SETTINGS.volumeThreshold,
  ),
  SPARK_EXECUTOR_CIRCUIT_WINDOW_MS: positive(
    "a circuit's rolling window",
    DEFAULT_CIRCUIT_BREAKER_SETTINGS.rollingCountTimeoutMs,
  ),
  SPARK_EXECUTOR_CIRCUIT_RESET_MS: positive(
    'how long an open circuit waits before a trial call',
    DEFAULT_CIRCUIT_BREAKER_SETTINGS.resetTimeoutMs,
  ),
} satisfies ConfigSchema;

export function loadExecutorSettings(env: NodeJS.ProcessEnv = process.env): ExecutorSettings {
  const config = readConfig(EXECUTOR_CONFIG_SCHEMA, env);
  const concurrency = new Map(
    BUILT_IN_HANDLERS.map((handler) => [
      handler,
      (config as Record<string, unknown>)[concurrencyVariable(handler)] as number,
    ]),
  );
  return {
    queues: config.SPARK_EXECUTOR_QUEUES,
    groupId: config.SPARK_EXECUTOR_GROUP,
    commitMode: config.SPARK_EXECUTOR_COMMIT,
    // External handlers never run here; any other name gets the default limit.
    concurrencyOf: (handler) => concurrency.get(handler as BuiltInHandler) ?? DEFAULT_OTHER_CONCURRENCY,
    heartbeatThrottleMs: config.SPARK_EXECUTOR_HEARTBEAT_THROTTLE_MS,
    startedReportDelayMs: config.SPARK_EXECUTOR_STARTED_REPORT_DELAY_MS,
    priorityAgingMs: config.SPARK_EXECUTOR_PRIORITY_AGING_MS,
    circuitBreaker: {
      errorThresholdPercentage: config.SPARK_EXECUTOR_CIRCUIT_ERROR_PERCENT,
      volumeThreshold: config.SPARK_EXECUTOR_CIRCUIT_VOLUME,
      rollingCountTimeoutMs: config.SPARK_EXECUTOR_CIRCUIT_WINDOW_MS,
      resetTimeoutMs: config.SPARK_EXECUTOR_CIRCUIT_RESET_MS,
    },
  };
}
