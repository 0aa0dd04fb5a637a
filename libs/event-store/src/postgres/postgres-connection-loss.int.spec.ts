import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { PostgresEventStore } from './postgres-event-store';
import { testConnectionString } from './postgres-test-store';

// Found by bench/chaos: a PostgreSQL restart (fast shutdown) ends the pool's idle connections; the error
// reached the pool with no listener and killed the process that owned the store.
describe('PostgreSQL event store: the server ends an idle connection of its pool', () => {
  it('drops it and serves the next call on a new connection, without an uncaught error', async () => {
    const applicationName = `es_conn_loss_${randomBytes(4).toString('hex')}`;
    const schema = applicationName;
    const store = new PostgresEventStore({
      connectionString: testConnectionString,
      schema,
      poolConfig: { application_name: applicationName, max: 1 },
    });
    const admin = new Client({ connectionString: testConnectionString });
    await admin.connect();
    try {
      await store.migrate();
      await store.appendToStream('run-a', [{ type: 'Before', data: {} }], { expectedRevision: 'no_stream' });
      const { rowCount } = await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
        [applicationName],
      );
      expect(rowCount).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await store.appendToStream('run-a', [{ type: 'After', data: {} }], { expectedRevision: 0n });
      const events = await store.readStream('run-a');
      expect(events.map((event) => event.type)).toEqual(['Before', 'After']);
    } finally {
      await store.close();
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    }
  });
});
