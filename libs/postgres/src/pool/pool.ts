import { Pool } from 'pg';

export const DEFAULT_PG_URL = 'postgres://spark:spark@127.0.0.1:55432/spark';

/** The PostgreSQL setting as a config schema (service-kit's `readConfig` and `--help` read it). */
export const POSTGRES_SETTINGS = {
  SPARK_PG_URL: {
    desc: 'PostgreSQL of the read models, the local event store and the services’ tables',
    default: DEFAULT_PG_URL,
    // It may hold a password.
    secret: true as const,
    parse: (raw: string): string => {
      if (!/^postgres(ql)?:\/\//.test(raw)) throw new Error('is not a postgres:// URL');
      return raw;
    },
  },
};

/** Without service-kit (tests, tools): the same rule; an empty value counts as unset. */
export function pgUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  if (!env.SPARK_PG_URL) return DEFAULT_PG_URL;
  try {
    return POSTGRES_SETTINGS.SPARK_PG_URL.parse(env.SPARK_PG_URL);
  } catch (error) {
    throw new Error(`SPARK_PG_URL ${(error as Error).message}`);
  }
}

/** One pool per process and database; connections are reused, never opened per call. */
export function createPgPool(url: string, applicationName: string, max = 10): Pool {
  const pool = new Pool({
    connectionString: url,
    application_name: applicationName,
    max,
    connectionTimeoutMillis: 5000,
  });
  // A connection the server ends (a restart's fast shutdown, a terminated backend) is an 'error' event:
  // on the pool while the client is idle, on the client while it is checked out between two queries.
  // With no listener either is an uncaught exception and the process dies. pg-pool drops an idle one and
  // opens a new one on the next checkout; a checked-out one fails its next query, which its caller sees.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}
