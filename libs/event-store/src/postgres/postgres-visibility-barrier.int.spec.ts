import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { type RecordedEvent } from '../port/events';
import { PostgresEventStore } from './postgres-event-store';
import { createTestPostgresStore, testConnectionString } from './postgres-test-store';

describe('PostgreSQL event store: an append that commits late with a lower position', () => {
  it('is delivered before the later positions, never skipped, by a live subscriber', async () => {
    const { store, schema, dispose } = await createTestPostgresStore();
    const slowWriter = new Client({ connectionString: testConnectionString });
    await slowWriter.connect();
    try {
      await store.appendToStream('run-seed', [{ type: 'Seeded', data: {} }], {
        expectedRevision: 'no_stream',
      });
      const [seed] = await store.readAll({ direction: 'backwards', maxCount: 1 });
      const received: RecordedEvent[] = [];
      const subscription = store.subscribeToAll({ fromPosition: seed!.position });
      const consuming = (async () => {
        for await (const event of subscription) {
          received.push(event);
          if (received.length === 2) break;
        }
      })();

      // The slow transaction takes its transaction id (hence its position) first, then stalls.
      await slowWriter.query('BEGIN');
      const slowId = randomUUID();
      await slowWriter.query(`SELECT * FROM "${schema}".append_to_stream($1, -1, $2, $3, $4, $5)`, [
        'run-slow',
        [slowId],
        ['CommittedLate'],
        ['{}'],
        ['{}'],
      ]);
      const fast = await store.appendToStream('run-fast', [{ type: 'CommittedFirst', data: {} }], {
        expectedRevision: 'no_stream',
      });

      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(received).toEqual([]);
      expect(await store.readAll({ fromPosition: seed!.position })).toEqual([]);

      await slowWriter.query('COMMIT');
      await consuming;

      expect(received.map((event) => event.type)).toEqual(['CommittedLate', 'CommittedFirst']);
      expect(received[0]!.id).toBe(slowId);
      expect(received[0]!.position).toBeLessThan(fast.position);
    } finally {
      await slowWriter.end();
      await store.close();
      await dispose();
    }
  });

  it('is delivered soon after a transaction that holds it back ends, even one that appends nothing (no NOTIFY)', async () => {
    const { store: migrated, schema, dispose } = await createTestPostgresStore();
    // A poll interval far longer than the test waits: only the held-back retry can deliver in time.
    const store = new PostgresEventStore({
      connectionString: testConnectionString,
      schema,
      pollIntervalMs: 60_000,
    });
    const blocker = new Client({ connectionString: testConnectionString });
    await blocker.connect();
    try {
      const seeded = await store.appendToStream('run-seed', [{ type: 'Seeded', data: {} }], {
        expectedRevision: 'no_stream',
      });
      const subscription = store.subscribeToAll({ fromPosition: seeded.position });
      const first = (async () => {
        for await (const event of subscription) return event;
        return undefined;
      })();
      // A writer that is no append: it takes a transaction id (older than the append below) and stalls.
      await blocker.query('BEGIN');
      await blocker.query(`CREATE TEMP TABLE held_open (id int)`);
      await blocker.query('SELECT txid_current()');
      const appended = await store.appendToStream('run-held', [{ type: 'HeldBack', data: {} }], {
        expectedRevision: 'no_stream',
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await store.readAll({ fromPosition: seeded.position })).toEqual([]);
      const ended = Date.now();
      await blocker.query('COMMIT');
      const event = await first;
      expect(event?.position).toBe(appended.position);
      expect(Date.now() - ended).toBeLessThan(5_000);
      await subscription.close();
    } finally {
      await blocker.end();
      await store.close();
      await migrated.close();
      await dispose();
    }
  });
});
