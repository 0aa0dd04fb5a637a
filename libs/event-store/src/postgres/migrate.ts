import path from 'node:path';
import { type MigrateOptions, runPostgresMigrations } from '@spark/postgres';

/** Brings the event store's schema up to date (SQL migrations in ./migrations). Safe on every start. */
export async function migrateEventStoreSchema({ connection, schema }: MigrateOptions): Promise<void> {
  await runPostgresMigrations({ connection, schema, dir: path.join(__dirname, 'migrations') });
}
