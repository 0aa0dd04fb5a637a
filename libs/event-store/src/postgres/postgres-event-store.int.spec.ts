import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { describeEventStoreConformance } from '../conformance/describe-event-store-conformance';
import { PostgresEventStore } from './postgres-event-store';

const connectionString = process.env.SPARK_PG_URL ?? 'postgres://spark:spark@127.0.0.1:55432/spark';

/** A store in a schema of its own, dropped afterwards, so parallel runs never meet. */
export async function createTestPostgresStore(label = 'es_test'): Promise<{ store: PostgresEventStore; dispose: () => Promise<void> }> {
  const schema = `${label}_${randomBytes(4).toString('hex')}`;
  const store = new PostgresEventStore({ connectionString, schema });
  await store.migrate();
  return {
    store,
    dispose: async () => {
      const client = new Client({ connectionString });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

describeEventStoreConformance('PostgreSQL', () => createTestPostgresStore());
