import { positiveInteger } from '@spark/service-kit';
import { eventStoreSettingsFromEnv, type EventStoreSettings } from '@spark/engine';
import { pgUrlFromEnv } from '@spark/postgres';

export interface SchedulerSettings {
  pgUrl: string;
  /** Schema of the scheduler's tables (timers, relay checkpoint). */
  schema: string;
  eventStore: EventStoreSettings;
  /** Runs whose state stays cached in memory. */
  runCacheSize: number;
  /**
   * Kafka partitions handled at once by this instance. The default covers every partition of its two
   * input topics (6 each), so one instance alone never leaves a partition waiting (bench/engine: 186
   * runs/s at 12 against 77-115 at 6 on 2 cores).
   */
  concurrency: number;
}

export function loadSchedulerSettings(env: NodeJS.ProcessEnv = process.env): SchedulerSettings {
  const schema = env.SPARK_SCHEDULER_SCHEMA ?? 'scheduler';
  if (!/^[a-z_][a-z0-9_]{0,47}$/.test(schema))
    throw new Error(`SPARK_SCHEDULER_SCHEMA="${schema}" is not a valid schema name`);
  return {
    pgUrl: pgUrlFromEnv(env),
    schema,
    eventStore: eventStoreSettingsFromEnv(env),
    runCacheSize: positiveInteger(env, 'SPARK_SCHEDULER_RUN_CACHE', 10_000),
    concurrency: positiveInteger(env, 'SPARK_SCHEDULER_CONCURRENCY', 12),
  };
}
