import { EVENT_STORE_SETTINGS, eventStoreSettingsOf, type EventStoreSettings } from '@spark/engine';
import { POSTGRES_SETTINGS } from '@spark/postgres';
import { READ_MODEL_SETTINGS } from '@spark/read-model';
import { type ConfigSchema, integer, readConfig, switchedOffBy } from '@spark/service-kit';

export interface ProjectorSettings {
  pgUrl: string;
  /** Schema of the read-model tables (SPARK_READ_MODEL_SCHEMA, default read_model). */
  schema: string;
  eventStore: EventStoreSettings;
  /** Most events per read-model transaction. */
  batchSize: number;
  /** Longest a batch waits for more events once it has one. */
  batchWindowMs: number;
  /** Publish public CloudEvents (SPARK_PROJECTOR_PUBLISH=false turns it off). */
  publish: boolean;
}

export const PROJECTOR_CONFIG_SCHEMA = {
  SPARK_PROJECTOR_BATCH_SIZE: integer('most events per read-model transaction', 2000, 1),
  SPARK_PROJECTOR_BATCH_MS: integer('longest a batch waits for more events once it has one', 20, 0),
  SPARK_PROJECTOR_PUBLISH: switchedOffBy('publishing public CloudEvents', 'false'),
  ...POSTGRES_SETTINGS,
  ...READ_MODEL_SETTINGS,
  ...EVENT_STORE_SETTINGS,
} satisfies ConfigSchema;

export function loadProjectorSettings(env: NodeJS.ProcessEnv = process.env): ProjectorSettings {
  const config = readConfig(PROJECTOR_CONFIG_SCHEMA, env);
  return {
    pgUrl: config.SPARK_PG_URL,
    schema: config.SPARK_READ_MODEL_SCHEMA,
    eventStore: eventStoreSettingsOf(config),
    batchSize: config.SPARK_PROJECTOR_BATCH_SIZE,
    batchWindowMs: config.SPARK_PROJECTOR_BATCH_MS,
    publish: config.SPARK_PROJECTOR_PUBLISH,
  };
}
