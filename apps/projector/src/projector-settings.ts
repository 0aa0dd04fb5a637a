import { eventStoreSettingsFromEnv, type EventStoreSettings } from '@spark/engine';
import { pgUrlFromEnv } from '@spark/postgres';
import { readModelSchemaFromEnv } from '@spark/read-model';
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
  SPARK_PROJECTOR_BATCH_SIZE: integer('most events per read-model transaction', 500, 1),
  SPARK_PROJECTOR_BATCH_MS: integer('longest a batch waits for more events once it has one', 20, 0),
  SPARK_PROJECTOR_PUBLISH: switchedOffBy('publishing public CloudEvents', 'false'),
} satisfies ConfigSchema;

export function loadProjectorSettings(env: NodeJS.ProcessEnv = process.env): ProjectorSettings {
  const config = readConfig(PROJECTOR_CONFIG_SCHEMA, env);
  return {
    pgUrl: pgUrlFromEnv(env),
    schema: readModelSchemaFromEnv(env),
    eventStore: eventStoreSettingsFromEnv(env),
    batchSize: config.SPARK_PROJECTOR_BATCH_SIZE,
    batchWindowMs: config.SPARK_PROJECTOR_BATCH_MS,
    publish: config.SPARK_PROJECTOR_PUBLISH,
  };
}
