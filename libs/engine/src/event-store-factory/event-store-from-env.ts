import {
  type EventStore,
  KurrentDbEventStore,
  migrateEventStoreSchema,
  PostgresEventStore,
} from '@spark/event-store';

export type EventStoreKind = 'postgres' | 'kurrentdb';

export interface EventStoreSettings {
  kind: EventStoreKind;
  /** postgres: a postgres:// URL; kurrentdb: a kurrentdb:// (or esdb://) connection string. */
  url: string;
  /** postgres only: the schema of the events table. */
  schema: string;
}

/**
 * `SPARK_EVENT_STORE` picks the adapter: `postgres` (default; `SPARK_PG_URL`, schema
 * `SPARK_EVENT_STORE_SCHEMA` or `event_store`) or `kurrentdb` (`EVENTSTORE_URL`).
 */
export function eventStoreSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): EventStoreSettings {
  const kind = (env.SPARK_EVENT_STORE ?? 'postgres') as EventStoreKind;
  if (kind !== 'postgres' && kind !== 'kurrentdb') {
    throw new Error(`SPARK_EVENT_STORE must be "postgres" or "kurrentdb", got "${String(kind)}"`);
  }
  if (kind === 'kurrentdb') {
    if (!env.EVENTSTORE_URL)
      throw new Error(
        'SPARK_EVENT_STORE=kurrentdb needs EVENTSTORE_URL (e.g. kurrentdb://127.0.0.1:2113?tls=false)',
      );
    return { kind, url: env.EVENTSTORE_URL, schema: '' };
  }
  return {
    kind,
    url: env.SPARK_PG_URL ?? 'postgres://spark:spark@127.0.0.1:55432/spark',
    schema: env.SPARK_EVENT_STORE_SCHEMA ?? 'event_store',
  };
}

/** Opens the configured event store; the PostgreSQL one brings its schema up to date first. */
export async function openEventStore(
  settings: EventStoreSettings,
  applicationName: string,
): Promise<EventStore> {
  if (settings.kind === 'kurrentdb') return new KurrentDbEventStore({ connectionString: settings.url });
  await migrateEventStoreSchema({ connection: settings.url, schema: settings.schema });
  return new PostgresEventStore({
    connectionString: settings.url,
    schema: settings.schema,
    poolConfig: { application_name: applicationName, max: 10 },
  });
}
