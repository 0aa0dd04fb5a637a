import path from 'node:path';
import { runPostgresMigrations } from '@spark/postgres';

export const DEFAULT_READ_MODEL_SCHEMA = 'read_model';

/** Tables of the read model (one schema holds them all; a rebuild swaps the whole schema). */
export const READ_MODEL_TABLES = [
  'workflows',
  'workflow_versions',
  'runs',
  'step_attempts',
  'run_timeline',
  'schedules',
  'projection_checkpoints',
] as const;

export function readModelSchemaFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const schema = env.SPARK_READ_MODEL_SCHEMA ?? DEFAULT_READ_MODEL_SCHEMA;
  assertSchemaName(schema);
  return schema;
}

export function assertSchemaName(schema: string): void {
  if (!/^[a-z_][a-z0-9_]{0,47}$/.test(schema))
    throw new Error(`"${schema}" is not a valid read-model schema name`);
}

/** Creates or brings up to date the read-model tables in `schema`. */
export async function migrateReadModel({
  connection,
  schema,
}: {
  connection: string;
  schema: string;
}): Promise<void> {
  assertSchemaName(schema);
  await runPostgresMigrations({ connection, schema, dir: path.join(__dirname, '../migrations-sql') });
}
