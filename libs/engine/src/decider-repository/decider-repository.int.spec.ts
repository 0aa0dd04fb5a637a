import { randomUUID } from 'node:crypto';
import { PostgresEventStore, migrateEventStoreSchema } from '@spark/event-store';
import { type Decider } from '@spark/workflow-domain';
import { DeciderRepository } from './decider-repository';

// A counter aggregate: `Add` appends Added unless the counter would exceed its limit.
type Added = { type: 'Added'; data: { amount: number } };
type Add = { type: 'Add'; amount: number };
const counter: Decider<{ total: number }, Add, Added> = {
  initialState: () => ({ total: 0 }),
  decide: (command, state) =>
    state.total + command.amount > 10 ? [] : [{ type: 'Added', data: { amount: command.amount } }],
  evolve: (state, event) => ({ total: state.total + event.data.amount }),
};

// A run's start in miniature: the first Stamp records when it was decided; a later one changes nothing.
type Stamped = { type: 'Stamped'; data: { at: number } };
type Stamp = { type: 'Stamp'; at: number };
const stamper: Decider<{ at?: number }, Stamp, Stamped> = {
  initialState: () => ({}),
  decide: (command, state) => (state.at === undefined ? [{ type: 'Stamped', data: { at: command.at } }] : []),
  evolve: (_state, event) => ({ at: event.data.at }),
};

// A timer in miniature: `Fire` records the firing only of a timer the state knows to be live.
type TimerEvent =
  { type: 'Scheduled'; data: { timerId: string } } | { type: 'Fired'; data: { timerId: string } };
type TimerCommand = { type: 'Schedule'; timerId: string } | { type: 'Fire'; timerId: string };
const timers: Decider<{ live: string[] }, TimerCommand, TimerEvent> = {
  initialState: () => ({ live: [] }),
  decide: (command, state) => {
    if (command.type === 'Schedule') return [{ type: 'Scheduled', data: { timerId: command.timerId } }];
    return state.live.includes(command.timerId)
      ? [{ type: 'Fired', data: { timerId: command.timerId } }]
      : [];
  },
  evolve: (state, event) => ({
    live:
      event.type === 'Scheduled'
        ? [...state.live, event.data.timerId]
        : state.live.filter((timerId) => timerId !== event.data.timerId),
  }),
};

describe('DeciderRepository on the real PostgreSQL event store', () => {
  const url = process.env.SPARK_PG_URL ?? 'postgres://spark:spark@127.0.0.1:55432/spark';
  const schema = `es_repo_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  let store: PostgresEventStore;

  beforeAll(async () => {
    await migrateEventStoreSchema({ connection: url, schema });
    store = new PostgresEventStore({ connectionString: url, schema });
  });
  afterAll(async () => {
    await store.close();
    const { Client } = await import('pg');
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it('creates the stream, then appends at the cached revision', async () => {
    const repository = new DeciderRepository(store, counter, (id) => `counter-${id}`);
    const id = randomUUID();
    const first = await repository.handle(
      id,
      { type: 'Add', amount: 2 },
      { causationId: 'c1', correlationId: id },
    );
    const second = await repository.handle(id, { type: 'Add', amount: 3 }, { causationId: 'c2' });
    expect([first.revision, second.revision]).toEqual([0n, 1n]);
    expect(second.state).toEqual({ total: 5 });
    const events = await store.readStream(`counter-${id}`);
    expect(events.map((event) => [event.type, event.data, event.metadata.causationId])).toEqual([
      ['Added', { amount: 2 }, 'c1'],
      ['Added', { amount: 3 }, 'c2'],
    ]);
    expect(events[0]!.metadata.correlationId).toBe(id);
  });

  it('with a cache size of 0 keeps no state: each command reads what the stream holds', async () => {
    const uncached = new DeciderRepository(store, counter, (id) => `counter-${id}`, { cacheSize: 0 });
    const other = new DeciderRepository(store, counter, (id) => `counter-${id}`);
    const id = randomUUID();
    await uncached.handle(id, { type: 'Add', amount: 2 }, { causationId: 'u1' });
    expect(uncached.isCached(id)).toBe(false);
    await other.handle(id, { type: 'Add', amount: 3 }, { causationId: 'o1' });
    // No conflict to find out from: the uncached repository decides on 2 + 3 from the start.
    const decided = await uncached.handle(id, { type: 'Add', amount: 4 }, { causationId: 'u2' });
    expect([decided.revision, decided.state]).toEqual([2n, { total: 9 }]);
  });

  // The chaos run's stuck runs: a StartRun redelivered after its append (the broker went away before the
  // offset commit) was decided again at a later time by another instance. Same causation, same event ids:
  // the append was taken for an idempotent replay, and the instance cached the state it had just decided
  // (later timers), not the one stored; the stored timer's firing was then ignored as "moved later".
  it.each(['handleBatch', 'handle'] as const)(
    'a redelivered command decided again differently (%s) is decided on what is stored, not cached as decided',
    async (path) => {
      const id = randomUUID();
      const stream = (key: string) => `stamp-${key}`;
      const first = new DeciderRepository(store, stamper, stream);
      const second = new DeciderRepository(store, stamper, stream);
      const context = { causationId: 'kafka:spark.commands:2:206' };
      const decide = (repository: typeof first, at: number) =>
        path === 'handle'
          ? repository.handle(id, { type: 'Stamp', at }, context)
          : repository
              .handleBatch([{ id, command: { type: 'Stamp', at }, context }], { presumedNew: new Set([id]) })
              .then(([outcome]) => (outcome!.ok ? outcome!.decided : Promise.reject(outcome!.error)));
      await decide(first, 1);
      const again = await decide(second, 2);
      expect((await store.readStream(stream(id))).map((event) => event.data)).toEqual([{ at: 1 }]);
      expect({ events: again.events, state: again.state }).toEqual({ events: [], state: { at: 1 } });
      expect((await second.load(id)).state).toEqual({ at: 1 });
    },
  );

  it('on a conflict with another writer, reloads and decides again on the fresh state', async () => {
    const id = randomUUID();
    const mine = new DeciderRepository(store, counter, (key) => `counter-${key}`);
    const theirs = new DeciderRepository(store, counter, (key) => `counter-${key}`);
    await mine.handle(id, { type: 'Add', amount: 4 }, { causationId: 'a' });
    await theirs.handle(id, { type: 'Add', amount: 5 }, { causationId: 'b' });
    // `mine` still caches total=4 at revision 0; the append conflicts, the retry sees total=9.
    const result = await mine.handle(id, { type: 'Add', amount: 3 }, { causationId: 'c' });
    expect(result.events).toEqual([]);
    expect(result.state).toEqual({ total: 9 });
    const retried = await mine.handle(id, { type: 'Add', amount: 1 }, { causationId: 'd' });
    expect(retried.state).toEqual({ total: 10 });
    expect(retried.revision).toBe(2n);
  });

  it('runs a batch: each id in order on its own state, all new events in one multi-stream append', async () => {
    const repository = new DeciderRepository(store, counter, (key) => `counter-${key}`);
    const [a, b] = [randomUUID(), randomUUID()];
    const multi = jest.spyOn(store, 'appendToStreams');
    const single = jest.spyOn(store, 'appendToStream');
    const readMany = jest.spyOn(store, 'readStreams');
    const readOne = jest.spyOn(store, 'readStream');
    const add = (id: string, amount: number, causationId: string) => ({
      id,
      command: { type: 'Add' as const, amount },
      context: { causationId },
    });

    const outcomes = await repository.handleBatch([
      add(a, 4, 'a1'),
      add(b, 1, 'b1'),
      add(a, 9, 'a2'),
      add(a, 5, 'a3'),
    ]);

    // One read for both new streams, one append for all their events.
    expect([readMany.mock.calls.length, readOne.mock.calls.length]).toEqual([1, 0]);
    expect(multi).toHaveBeenCalledTimes(1);
    expect(single).not.toHaveBeenCalled();
    for (const spy of [multi, single, readMany, readOne]) spy.mockRestore();
    // a: 4, then 9 would exceed the limit (nothing), then 5; b: 1.
    expect(
      outcomes.map((outcome) => outcome.ok && [outcome.decided.events.length, outcome.decided.revision]),
    ).toEqual([
      [1, 0n],
      [1, 0n],
      [0, 0n],
      [1, 1n],
    ]);
    const stored = await store.readStream(`counter-${a}`);
    expect(stored.map((event) => [event.data, event.metadata.causationId])).toEqual([
      [{ amount: 4 }, 'a1'],
      [{ amount: 5 }, 'a3'],
    ]);
    // The cache moved on: the next command appends at revision 2 without a conflict.
    expect((await repository.handle(a, { type: 'Add', amount: 1 }, { causationId: 'a4' })).revision).toBe(2n);
  });

  it('a batch that conflicts with another writer is run again command by command on fresh state', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const mine = new DeciderRepository(store, counter, (key) => `counter-${key}`);
    const theirs = new DeciderRepository(store, counter, (key) => `counter-${key}`);
    await mine.handle(a, { type: 'Add', amount: 4 }, { causationId: 'a1' });
    await theirs.handle(a, { type: 'Add', amount: 5 }, { causationId: 'a2' });

    const outcomes = await mine.handleBatch([
      { id: a, command: { type: 'Add', amount: 3 }, context: { causationId: 'a3' } },
      { id: b, command: { type: 'Add', amount: 2 }, context: { causationId: 'b1' } },
    ]);

    // a is at 9 (4 + theirs 5): adding 3 would exceed 10, so nothing; b is appended all the same.
    expect(outcomes.map((outcome) => outcome.ok && outcome.decided.state)).toEqual([
      { total: 9 },
      { total: 2 },
    ]);
    expect(await store.readStream(`counter-${a}`)).toHaveLength(2);
    expect(await store.readStream(`counter-${b}`)).toHaveLength(1);
  });

  it('a command of a batch whose decide throws is reported and the others are appended', async () => {
    const throwing: Decider<{ total: number }, Add, Added> = {
      ...counter,
      decide: (command, state) => {
        if (command.amount < 0) throw new Error('negative amount');
        return counter.decide(command, state);
      },
    };
    const repository = new DeciderRepository(store, throwing, (key) => `counter-${key}`);
    const id = randomUUID();
    const outcomes = await repository.handleBatch([
      { id, command: { type: 'Add', amount: -1 }, context: { causationId: 'x1' } },
      { id, command: { type: 'Add', amount: 2 }, context: { causationId: 'x2' } },
    ]);
    expect(outcomes[0]).toMatchObject({ ok: false, error: new Error('negative amount') });
    expect(outcomes[1]).toMatchObject({ ok: true, decided: { revision: 0n, state: { total: 2 } } });
  });

  it('returns no events and appends nothing when the decider decides nothing', async () => {
    const repository = new DeciderRepository(store, counter, (key) => `counter-${key}`);
    const id = randomUUID();
    const result = await repository.handle(id, { type: 'Add', amount: 11 }, { causationId: 'x' });
    expect(result).toEqual({ events: [], state: { total: 0 }, revision: -1n });
    await expect(store.readStream(`counter-${id}`)).rejects.toMatchObject({ code: 'STREAM_NOT_FOUND' });
  });

  it('with catchUpCachedState, a decision of nothing on a cached state first sees what other writers appended', async () => {
    const id = randomUUID();
    const options = { catchUpCachedState: true };
    const mine = new DeciderRepository(store, counter, (key) => `counter-${key}`, options);
    const theirs = new DeciderRepository(store, counter, (key) => `counter-${key}`, options);
    await mine.handle(id, { type: 'Add', amount: 9 }, { causationId: 'a' });
    await theirs.handle(id, { type: 'Add', amount: -5 }, { causationId: 'b' });
    // On its cached total of 9, `mine` would decide nothing (9 + 3 > 10) and never learn it was stale.
    const result = await mine.handle(id, { type: 'Add', amount: 3 }, { causationId: 'c' });
    expect(result.state).toEqual({ total: 7 });
    expect(result.revision).toBe(2n);
  });

  it('with catchUpCachedState, loads that arrive together share a read and each sees what was appended before it', async () => {
    const id = randomUUID();
    const options = { catchUpCachedState: true };
    const mine = new DeciderRepository(store, counter, (key) => `counter-${key}`, options);
    const theirs = new DeciderRepository(store, counter, (key) => `counter-${key}`, options);
    await mine.handle(id, { type: 'Add', amount: 1 }, { causationId: 'a' });
    await theirs.handle(id, { type: 'Add', amount: 2 }, { causationId: 'b' });
    const reads = jest.spyOn(store, 'readStream');
    try {
      const loads = await Promise.all(Array.from({ length: 20 }, () => mine.load(id)));
      // The first load reads at once; the nineteen that came after it began share the next read.
      expect(reads).toHaveBeenCalledTimes(2);
      expect(loads.map((loaded) => loaded.state.total)).toEqual(Array.from({ length: 20 }, () => 3));
    } finally {
      reads.mockRestore();
    }
  });

  it('with catchUpCachedState, a batch catches up every cached state it touches in one read', async () => {
    const [stale, fresh, cold] = [randomUUID(), randomUUID(), randomUUID()];
    const options = { catchUpCachedState: true };
    const mine = new DeciderRepository(store, counter, (key) => `counter-${key}`, options);
    const theirs = new DeciderRepository(store, counter, (key) => `counter-${key}`, options);
    await mine.handle(stale, { type: 'Add', amount: 9 }, { causationId: 'a' });
    await mine.handle(fresh, { type: 'Add', amount: 1 }, { causationId: 'b' });
    await theirs.handle(stale, { type: 'Add', amount: -5 }, { causationId: 'c' });
    await theirs.handle(cold, { type: 'Add', amount: 8 }, { causationId: 'd' });
    const reads = jest.spyOn(store, 'readStreams');
    const readOne = jest.spyOn(store, 'readStream');
    const outcomes = await mine.handleBatch([
      { id: stale, command: { type: 'Add', amount: 3 }, context: { causationId: 'e' } },
      { id: fresh, command: { type: 'Add', amount: 2 }, context: { causationId: 'f' } },
      { id: cold, command: { type: 'Add', amount: 3 }, context: { causationId: 'g' } },
    ]);
    expect(reads).toHaveBeenCalledTimes(1);
    expect(readOne).not.toHaveBeenCalled();
    reads.mockRestore();
    readOne.mockRestore();
    // `stale` would decide nothing on its cached total of 9; caught up, it is 4 + 3.
    expect(
      outcomes.map((outcome) => outcome.ok && [outcome.decided.state, outcome.decided.revision]),
    ).toEqual([
      [{ total: 7 }, 2n],
      [{ total: 3 }, 1n],
      [{ total: 8 }, 0n],
    ]);
  });

  it('with snapshots, a cold load reads the latest snapshot and only the events after it', async () => {
    const id = randomUUID();
    const snapshots = {
      every: 3,
      streamNameOf: (key: string) => `counter-snapshot-${key}`,
      schemaVersion: 1,
    };
    const writer = new DeciderRepository(store, counter, (key) => `counter-${key}`, { snapshots });
    for (let n = 0; n < 8; n++) await writer.handle(id, { type: 'Add', amount: 1 }, { causationId: `c${n}` });
    const taken = await store.readStream(`counter-snapshot-${id}`);
    expect(taken.map((event) => event.data)).toEqual([
      { schemaVersion: 1, revision: '2', state: { total: 3 } },
      { schemaVersion: 1, revision: '5', state: { total: 6 } },
    ]);

    const reads: unknown[] = [];
    const watched = Object.create(store) as PostgresEventStore;
    watched.readStream = (name, options) => {
      reads.push([name, options]);
      return store.readStream(name, options);
    };
    const cold = new DeciderRepository(watched, counter, (key) => `counter-${key}`, { snapshots });
    expect(await cold.load(id)).toEqual({ state: { total: 8 }, revision: 7n });
    expect(reads).toEqual([
      [`counter-snapshot-${id}`, { direction: 'backwards', maxCount: 1 }],
      [`counter-${id}`, { fromRevision: 6n }],
    ]);
    // A snapshot of another schema version is ignored: the stream is read from the start.
    const newer = new DeciderRepository(store, counter, (key) => `counter-${key}`, {
      snapshots: { ...snapshots, schemaVersion: 2 },
    });
    expect(await newer.load(id)).toEqual({ state: { total: 8 }, revision: 7n });
  });

  it('decides again on the stream a command that changed nothing on a stale cached state, when asked to', async () => {
    // Instance A caches a state; instance B (which held the partition meanwhile) schedules a timer; the
    // partition comes back to A unseen. Without the recheck, A ignores the timer's firing for good.
    const recheckFires = (command: TimerCommand) => command.type === 'Fire';
    for (const mode of ['handle', 'handleBatch'] as const) {
      const id = randomUUID();
      const a = new DeciderRepository(store, timers, (key) => `timers-${key}`, {
        recheckWhenUnchanged: recheckFires,
      });
      const b = new DeciderRepository(store, timers, (key) => `timers-${key}`);
      await a.handle(id, { type: 'Schedule', timerId: 'first' }, { causationId: `${mode}-1` });
      await b.handle(id, { type: 'Schedule', timerId: 'second' }, { causationId: `${mode}-2` });
      const fire: TimerCommand = { type: 'Fire', timerId: 'second' };
      const decided =
        mode === 'handle'
          ? await a.handle(id, fire, { causationId: `${mode}-3` })
          : await a
              .handleBatch([{ id, command: fire, context: { causationId: `${mode}-3` } }])
              .then(([outcome]) => (outcome?.ok ? outcome.decided : undefined));
      expect(decided?.events).toEqual([{ type: 'Fired', data: { timerId: 'second' } }]);
      expect((await store.readStream(`timers-${id}`)).map((event) => event.type)).toEqual([
        'Scheduled',
        'Scheduled',
        'Fired',
      ]);
      // A command that changes nothing on a state that is current costs one read and stays unchanged.
      const again = await a.handle(id, fire, { causationId: `${mode}-4` });
      expect(again.events).toEqual([]);
      expect(again.revision).toBe(2n);
    }
  });
});
