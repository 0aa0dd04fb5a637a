import { eventStoreSettingsFromEnv, type EventStoreSettings } from '@spark/engine';
import { pgUrlFromEnv } from '@spark/postgres';
import { readModelSchemaFromEnv } from '@spark/read-model';

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

export function loadProjectorSettings(env: NodeJS.ProcessEnv = process.env): ProjectorSettings {
  return {
    pgUrl: pgUrlFromEnv(env),
    schema: readModelSchemaFromEnv(env),
    eventStore: eventStoreSettingsFromEnv(env),
    batchSize: integer(env, 'SPARK_PROJECTOR_BATCH_SIZE', 500, 1),
    batchWindowMs: integer(env, 'SPARK_PROJECTOR_BATCH_MS', 20, 0),
    publish: env.SPARK_PROJECTOR_PUBLISH !== 'false',
  };
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name}="${raw}" must be an integer ≥ ${min}`);
  return value;
}
