import { Pool } from 'pg';

export const DEFAULT_PG_URL = 'postgres://spark:spark@127.0.0.1:55432/spark';

export function pgUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.SPARK_PG_URL ?? DEFAULT_PG_URL;
  if (!/^postgres(ql)?:\/\//.test(url))
    throw new Error(`SPARK_PG_URL must be a postgres:// URL, got "${url}"`);
  return url;
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
