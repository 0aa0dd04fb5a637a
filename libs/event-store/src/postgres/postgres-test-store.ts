import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { PostgresEventStore } from './postgres-event-store';

/** Used by the int specs only. */
export const testConnectionString =
  process.env.SPARK_PG_URL ?? 'postgres://spark:spark@127.0.0.1:55432/spark';

/** A store in a schema of its own (`es_test_<random>`), dropped by `dispose`, so parallel runs never meet. */
export async function createTestPostgresStore(
  label = 'es_test',
): Promise<{ store: PostgresEventStore; schema: string; dispose: () => Promise<void> }> {
  const schema = `${label}_${randomBytes(4).toString('hex')}`;
  const store = new PostgresEventStore({ connectionString: testConnectionString, schema });
  await store.migrate();
  return {
    store,
    schema,
    dispose: async () => {
      const client = new Client({ connectionString: testConnectionString });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
