import { randomUUID } from 'node:crypto';
import { migrateEventStoreSchema, PostgresEventStore } from '@spark/event-store';
import {
  concurrencyDecider,
  type ConcurrencyEvent,
  concurrencyStreamName,
  fold,
  type ConcurrencyCommand,
} from '@spark/workflow-domain';
import { Client } from 'pg';
import { ConcurrencyCoordinator } from './concurrency-coordinator';
import { type ScopeCommand } from './concurrency-effects';

// Slots of one scope decided by two relay leaders in turn over the real PostgreSQL event store: the old
// leader's cached state is stale when it comes back, and the stream's revision makes it decide again.
describe('ConcurrencyCoordinator on the real PostgreSQL event store', () => {
  const url = process.env.SPARK_PG_URL ?? 'postgres://spark:spark@127.0.0.1:55432/spark';
  const schema = `int_slots_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  let store: PostgresEventStore;
  let position = 1000n;

  beforeAll(async () => {
    await migrateEventStoreSchema({ connection: url, schema });
    store = new PostgresEventStore({ connectionString: url, schema });
  });
  afterAll(async () => {
    await store.close();
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  const now = { now: '2026-01-01T00:00:00.000Z' };
  const command = (scope: string, value: ConcurrencyCommand, at = position): ScopeCommand => ({
    scope,
    command: value,
    causationId: `relay:${scope}:${at}`,
  });
  const acquire = (scope: string, runId: string, at = ++position) =>
    command(
      scope,
      {
        type: 'AcquireSlot',
        data: { runId, runAttempt: 1, key: 'tenant-a', limit: 2, strategy: 'queue', relayPosition: `${at}` },
        metadata: now,
      },
      at,
    );
  const release = (scope: string, runId: string, at = ++position) =>
    command(
      scope,
      { type: 'ReleaseSlot', data: { runId, key: 'tenant-a', relayPosition: `${at}` }, metadata: now },
      at,
    );
  const stream = async (scope: string): Promise<ConcurrencyEvent[]> =>
    (await store.readStream(concurrencyStreamName(scope))).map(
      (event) => ({ type: event.type, data: event.data }) as unknown as ConcurrencyEvent,
    );

  it('a leader coming back with a stale cache decides again on the stream, and a replay changes nothing', async () => {
    const scope = `run:ingest:${randomUUID()}`;
    const oldLeader = new ConcurrencyCoordinator(store);
    const newLeader = new ConcurrencyCoordinator(store);
    const first = acquire(scope, 'r1');
    await oldLeader.decide([first, acquire(scope, 'r2'), acquire(scope, 'r3')]);
    // The new leader takes over: r1 ends, r3 (first in line) gets its slot.
    await newLeader.decide([release(scope, 'r1')]);
    // The old leader, still holding its cached state (r1 holding, r3 in line), decides a new start.
    await oldLeader.decide([acquire(scope, 'r4')]);
    // A replay of the first request (a relay restarted from an older checkpoint) decides nothing.
    const before = (await stream(scope)).length;
    await newLeader.decide([first]);
    const events = await stream(scope);
    expect(events).toHaveLength(before);

    expect(events.map((event) => [event.type, event.data.runId])).toEqual([
      ['SlotGranted', 'r1'],
      ['SlotGranted', 'r2'],
      ['SlotQueued', 'r3'],
      ['SlotReleased', 'r1'],
      ['SlotGranted', 'r3'],
      ['SlotQueued', 'r4'],
    ]);
    // r4 queued behind nobody: its place was decided on the stream, not on the stale cache.
    expect(events.at(-1)).toMatchObject({ data: { position: 1, inUse: 2 } });
    const state = fold(concurrencyDecider, events);
    expect(state.holders.map((ticket) => ticket.runId)).toEqual(['r2', 'r3']);
    expect(state.waiting.map((ticket) => ticket.runId)).toEqual(['r4']);
    expect(newLeader.scopes).toEqual([{ workflow: 'ingest', key: 'tenant-a', inUse: 2, waiting: 0 }]);
  });

  it('a long-lived scope loads from its snapshot to the same state as the whole stream', async () => {
    const scope = `run:ingest:${randomUUID()}`;
    const leader = new ConcurrencyCoordinator(store);
    for (let i = 0; i < 120; i++) {
      await leader.decide([acquire(scope, `r${i}`)]);
      if (i >= 2) await leader.decide([release(scope, `r${i - 2}`)]);
    }
    const snapshots = await store.readStream(`snapshot-${concurrencyStreamName(scope)}`);
    expect(snapshots.length).toBeGreaterThan(0);
    // A cold leader (from the snapshot) decides the next start exactly as the whole stream says.
    const cold = new ConcurrencyCoordinator(store);
    await cold.decide([acquire(scope, 'late')]);
    const state = fold(concurrencyDecider, await stream(scope));
    expect(state.holders.map((ticket) => ticket.runId)).toEqual(['r118', 'r119']);
    expect(state.waiting.map((ticket) => ticket.runId)).toEqual(['late']);
  });

  it('reports only keys with a slot in use or a run waiting', async () => {
    const scope = `run:ingest:${randomUUID()}`;
    const leader = new ConcurrencyCoordinator(store);
    await leader.decide([acquire(scope, 'only')]);
    expect(leader.scopes).toEqual([{ workflow: 'ingest', key: 'tenant-a', inUse: 1, waiting: 0 }]);
    await leader.decide([release(scope, 'only')]);
    expect(leader.scopes).toEqual([]);
  });
});
