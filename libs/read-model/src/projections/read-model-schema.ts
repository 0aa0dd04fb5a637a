import path from 'node:path';
import { runPostgresMigrations } from '@spark/postgres';

export const DEFAULT_READ_MODEL_SCHEMA = 'read_model';

/** Tables of the read model (one schema holds them all; a rebuild swaps the whole schema). */
export const READ_MODEL_TABLES = [
  'workflows',
  'workflow_versions',
  'runs',
  'step_attempts',
  'run_views',
  'schedules',
  'projection_checkpoints',
] as const;

/** The read model's setting as a config schema (service-kit's `readConfig` and `--help` read it). */
export const READ_MODEL_SETTINGS = {
  SPARK_READ_MODEL_SCHEMA: {
    desc: 'PostgreSQL schema of the read-model tables',
    default: DEFAULT_READ_MODEL_SCHEMA,
    parse: (raw: string): string => {
      if (!SCHEMA_NAME.test(raw)) throw new Error('is not a valid schema name');
      return raw;
    },
  },
};

/** Without service-kit (tests, tools): the same rule; an empty value counts as unset. */
export function readModelSchemaFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return READ_MODEL_SETTINGS.SPARK_READ_MODEL_SCHEMA.parse(
    env.SPARK_READ_MODEL_SCHEMA || DEFAULT_READ_MODEL_SCHEMA,
  );
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,47}$/;

export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`"${schema}" is not a valid read-model schema name`);
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
