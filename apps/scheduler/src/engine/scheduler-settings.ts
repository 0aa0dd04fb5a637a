import { type ConfigSchema, positive, readConfig, schemaName } from '@spark/service-kit';
import { EVENT_STORE_SETTINGS, eventStoreSettingsOf, type EventStoreSettings } from '@spark/engine';
import { POSTGRES_SETTINGS } from '@spark/postgres';

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

export const SCHEDULER_CONFIG_SCHEMA = {
  SPARK_SCHEDULER_SCHEMA: schemaName(
    "schema of the scheduler's tables (timers, relay checkpoint)",
    'scheduler',
  ),
  SPARK_SCHEDULER_RUN_CACHE: positive('runs whose state stays cached in memory', 10_000),
  SPARK_SCHEDULER_CONCURRENCY: positive('Kafka partitions handled at once by this instance', 12),
  ...POSTGRES_SETTINGS,
  ...EVENT_STORE_SETTINGS,
} satisfies ConfigSchema;

export function loadSchedulerSettings(env: NodeJS.ProcessEnv = process.env): SchedulerSettings {
  const config = readConfig(SCHEDULER_CONFIG_SCHEMA, env);
  return {
    pgUrl: config.SPARK_PG_URL,
    schema: config.SPARK_SCHEDULER_SCHEMA,
    eventStore: eventStoreSettingsOf(config),
    runCacheSize: config.SPARK_SCHEDULER_RUN_CACHE,
    concurrency: config.SPARK_SCHEDULER_CONCURRENCY,
  };
}
