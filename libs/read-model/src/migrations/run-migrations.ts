import { type PostgresMigrationOptions, runPostgresMigrations } from '@spark/event-store';

export interface MigrationOptions extends PostgresMigrationOptions {
  /** A postgres:// URL. */
  connection: string;
}

/** Brings a schema up to date with its SQL migrations (the event store's migration runner). */
export function runMigrations(options: MigrationOptions): Promise<void> {
  return runPostgresMigrations(options);
}
