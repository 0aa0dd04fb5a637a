import {
  type EventStore,
  KurrentDbEventStore,
  migrateEventStoreSchema,
  PostgresEventStore,
} from '@spark/event-store';
import { pgUrlFromEnv } from '@spark/postgres';

export type EventStoreKind = 'postgres' | 'kurrentdb';

export interface EventStoreSettings {
  kind: EventStoreKind;
  /** postgres: a postgres:// URL; kurrentdb: a kurrentdb:// (or esdb://) connection string. */
  url: string;
  /** postgres only: the schema of the events table. */
  schema: string;
}

const EVENT_STORE_KINDS: readonly EventStoreKind[] = ['postgres', 'kurrentdb'];

/**
 * The event store's settings as a config schema (service-kit's `readConfig` and `--help` read it, with
 * `POSTGRES_SETTINGS` for `SPARK_PG_URL`): `SPARK_EVENT_STORE` picks the adapter, `postgres` (default;
 * `SPARK_PG_URL`, schema `SPARK_EVENT_STORE_SCHEMA`) or `kurrentdb` (`EVENTSTORE_URL`).
 */
export const EVENT_STORE_SETTINGS = {
  SPARK_EVENT_STORE: {
    desc: `event store adapter: ${EVENT_STORE_KINDS.join(' or ')}`,
    default: 'postgres' as EventStoreKind,
    parse: (raw: string): EventStoreKind => {
      if (!(EVENT_STORE_KINDS as readonly string[]).includes(raw))
        throw new Error(`is not one of ${EVENT_STORE_KINDS.join(', ')}`);
      return raw as EventStoreKind;
    },
  },
  SPARK_EVENT_STORE_SCHEMA: {
    desc: 'PostgreSQL schema of the events table (SPARK_EVENT_STORE=postgres)',
    default: 'event_store',
    parse: (raw: string): string => {
      if (!/^[a-z_][a-z0-9_]{0,47}$/.test(raw)) throw new Error('is not a valid schema name');
      return raw;
    },
  },
  EVENTSTORE_URL: {
    desc: 'KurrentDB connection string, e.g. kurrentdb://127.0.0.1:2113?tls=false (SPARK_EVENT_STORE=kurrentdb)',
    optional: true as const,
    defaultText: 'unset',
    // It may hold credentials.
    secret: true as const,
    parse: (raw: string): string | undefined => raw,
  },
};

/** The settings from values read with {@link EVENT_STORE_SETTINGS} and `SPARK_PG_URL`. */
export function eventStoreSettingsOf(config: {
  SPARK_EVENT_STORE: EventStoreKind;
  SPARK_EVENT_STORE_SCHEMA: string;
  EVENTSTORE_URL: string | undefined;
  SPARK_PG_URL: string;
}): EventStoreSettings {
  if (config.SPARK_EVENT_STORE === 'kurrentdb') {
    if (!config.EVENTSTORE_URL)
      throw new Error(
        'SPARK_EVENT_STORE=kurrentdb needs EVENTSTORE_URL (e.g. kurrentdb://127.0.0.1:2113?tls=false)',
      );
    return { kind: 'kurrentdb', url: config.EVENTSTORE_URL, schema: '' };
  }
  return { kind: 'postgres', url: config.SPARK_PG_URL, schema: config.SPARK_EVENT_STORE_SCHEMA };
}

/** Without service-kit (tests, tools): the same rules; an empty value counts as unset. */
export function eventStoreSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): EventStoreSettings {
  const { SPARK_EVENT_STORE: kind, SPARK_EVENT_STORE_SCHEMA: schema } = EVENT_STORE_SETTINGS;
  const read = <T>(name: string, parse: (raw: string) => T, fallback: T): T => {
    const raw = env[name];
    if (!raw) return fallback;
    try {
      return parse(raw);
    } catch (error) {
      throw new Error(`${name} "${raw}" ${(error as Error).message}`);
    }
  };
  return eventStoreSettingsOf({
    SPARK_EVENT_STORE: read('SPARK_EVENT_STORE', kind.parse, kind.default),
    SPARK_EVENT_STORE_SCHEMA: read('SPARK_EVENT_STORE_SCHEMA', schema.parse, schema.default),
    EVENTSTORE_URL: env.EVENTSTORE_URL || undefined,
    SPARK_PG_URL: pgUrlFromEnv(env),
  });
}

/** Opens the configured event store; the PostgreSQL one brings its schema up to date first. */
export async function openEventStore(
  settings: EventStoreSettings,
  applicationName: string,
  options: { migrate?: boolean } = {},
): Promise<EventStore> {
  if (settings.kind === 'kurrentdb') return new KurrentDbEventStore({ connectionString: settings.url });
  if (options.migrate ?? true)
    await migrateEventStoreSchema({ connection: settings.url, schema: settings.schema });
  return new PostgresEventStore({
    connectionString: settings.url,
    schema: settings.schema,
    poolConfig: { application_name: applicationName, max: 10 },
  });
}
