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
  // An idle connection the server ends (a restart's fast shutdown, a terminated backend) is emitted as
  // an 'error' on the pool; with no listener that is an uncaught exception and the process dies. pg-pool
  // has already dropped that client and opens a new one on the next checkout: nothing else to do.
  pool.on('error', () => undefined);
  return pool;
}
