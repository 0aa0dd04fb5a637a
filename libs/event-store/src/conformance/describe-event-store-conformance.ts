import {
  ConcurrencyConflictError,
  EventStoreValidationError,
  StreamNotFoundError,
} from '../errors/event-store-errors';
import { type EventStore } from '../port/event-store';
import { type NewEvent, type RecordedEvent } from '../port/events';
import { type ExpectedRevision } from '../port/expected-revision';
import {
  expectStrictlyIncreasing,
  newEvent,
  numberedEvents,
  take,
  uniquePrefix,
} from './conformance-helpers';

export type EventStoreUnderTest = {
  store: EventStore;
  /** Cleans up what the factory created (a schema, a server); the suite closes the store first. */
  dispose?: () => Promise<void>;
};

export type ConformanceOptions = {
  concurrentWriters?: number;
  eventsPerWriter?: number;
  eventsPerAppend?: number;
};

/**
 * The contract every adapter of the port must honour. Streams are named with a fresh prefix per
 * test so the suite can run against a shared, non-empty server.
 */
export function describeEventStoreConformance(
  name: string,
  factory: () => Promise<EventStoreUnderTest>,
  options: ConformanceOptions = {},
): void {
  const { concurrentWriters = 8, eventsPerWriter = 5000, eventsPerAppend = 100 } = options;

  describe(`event store conformance: ${name}`, () => {
    let underTest: EventStoreUnderTest;
    let store: EventStore;

    beforeAll(async () => {
      underTest = await factory();
      store = underTest.store;
    });

    afterAll(async () => {
      await store?.close();
      await underTest?.dispose?.();
    });

    async function lastPositionOfAll(): Promise<bigint | undefined> {
      const [last] = await store.readAll({ direction: 'backwards', maxCount: 1 });
      return last?.position;
    }

    describe('append and read', () => {
      it('appends to a new stream and reads the events back with ids, data, metadata and revisions', async () => {
        const stream = `run-${uniquePrefix('append')}`;
        const metadata = {
          correlationId: 'run-1',
          causationId: 'cmd-1',
          traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
          tenant: 'acme',
        };
        const events = [
          newEvent('RunStarted', { input: { a: 1, nested: [true, null, 'x'] } }, metadata),
          newEvent('StepScheduled', { stepId: 's1' }),
        ];

        const result = await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
        const read = await store.readStream(stream);

        expect(result.nextExpectedRevision).toBe(1n);
        expect(typeof result.position).toBe('bigint');
        expect(read.map((event) => [event.id, event.type, event.revision, event.streamName])).toEqual([
          [events[0]!.id, 'RunStarted', 0n, stream],
          [events[1]!.id, 'StepScheduled', 1n, stream],
        ]);
        expect(read[0]!.data).toEqual({ input: { a: 1, nested: [true, null, 'x'] } });
        expect(read[0]!.metadata).toEqual(metadata);
        expect(read[1]!.metadata).toEqual({});
        expect(read[1]!.position).toBe(result.position);
        expect(read[0]!.position).toBeLessThan(read[1]!.position);
        expect(read[0]!.recordedAt).toBeInstanceOf(Date);
      });

      it('continues a stream from the revision the last append returned', async () => {
        const stream = `run-${uniquePrefix('continue')}`;
        const first = await store.appendToStream(stream, numberedEvents(3), {
          expectedRevision: 'no_stream',
        });
        const second = await store.appendToStream(stream, numberedEvents(2, 'Numbered', 3), {
          expectedRevision: first.nextExpectedRevision,
        });

        expect(second.nextExpectedRevision).toBe(4n);
        expect(second.position).toBeGreaterThan(first.position);
        expect((await store.readStream(stream)).map((event) => (event.data as { n: number }).n)).toEqual([
          0, 1, 2, 3, 4,
        ]);
      });

      it('reads a stream forwards and backwards from a revision with a limit', async () => {
        const stream = `run-${uniquePrefix('read')}`;
        await store.appendToStream(stream, numberedEvents(10), { expectedRevision: 'no_stream' });
        const revisions = (events: RecordedEvent[]) => events.map((event) => event.revision);

        expect(revisions(await store.readStream(stream, { fromRevision: 3n, maxCount: 4 }))).toEqual([
          3n,
          4n,
          5n,
          6n,
        ]);
        expect(revisions(await store.readStream(stream, { direction: 'backwards', maxCount: 3 }))).toEqual([
          9n,
          8n,
          7n,
        ]);
        expect(
          revisions(
            await store.readStream(stream, { direction: 'backwards', fromRevision: 4n, maxCount: 10 }),
          ),
        ).toEqual([4n, 3n, 2n, 1n, 0n]);
        expect(revisions(await store.readStream(stream, { fromRevision: 8n }))).toEqual([8n, 9n]);
        expect(await store.readStream(stream, { fromRevision: 10n })).toEqual([]);
      });

      it('orders by revision as a number, past revision 9 (not as text)', async () => {
        const stream = `run-${uniquePrefix('order')}`;
        await store.appendToStream(stream, numberedEvents(25), { expectedRevision: 'no_stream' });
        const all = Array.from({ length: 25 }, (_, i) => BigInt(i));
        expect((await store.readStream(stream)).map((event) => event.revision)).toEqual(all);
        expect(
          (await store.readStream(stream, { direction: 'backwards' })).map((event) => event.revision),
        ).toEqual([...all].reverse());
        expect(
          (await store.readStream(stream, { fromRevision: 8n, maxCount: 4 })).map((event) => event.revision),
        ).toEqual([8n, 9n, 10n, 11n]);
      });

      it('reading on from a revision: the events from it, nothing past the end, not found for no stream', async () => {
        const stream = `run-${uniquePrefix('catch-up')}`;
        await store.appendToStream(stream, numberedEvents(3), { expectedRevision: 'no_stream' });
        expect((await store.readStream(stream, { fromRevision: 2n })).map((event) => event.revision)).toEqual(
          [2n],
        );
        expect(await store.readStream(stream, { fromRevision: 3n })).toEqual([]);
        expect(await store.readStream(stream, { fromRevision: 7n })).toEqual([]);
        await expect(store.readStream(`${stream}-none`, { fromRevision: 3n })).rejects.toBeInstanceOf(
          StreamNotFoundError,
        );
      });

      it('throws StreamNotFoundError for a stream without events', async () => {
        const stream = `run-${uniquePrefix('missing')}`;
        const error = await store.readStream(stream).catch((caught: unknown) => caught);

        expect(error).toBeInstanceOf(StreamNotFoundError);
        expect(error).toMatchObject({ code: 'STREAM_NOT_FOUND', streamName: stream });
      });

      it('reads $all forwards and backwards from a position (exclusive) with a limit', async () => {
        const stream = `run-${uniquePrefix('all')}`;
        await store.appendToStream(stream, numberedEvents(5), { expectedRevision: 'no_stream' });
        const positions = (await store.readStream(stream)).map((event) => event.position);
        const ours = (events: RecordedEvent[]) =>
          events.filter((event) => event.streamName === stream).map((event) => event.position);

        expect(ours(await store.readAll({ fromPosition: positions[0]!, maxCount: 3 }))).toEqual(
          positions.slice(1, 4),
        );
        expect(
          ours(await store.readAll({ direction: 'backwards', fromPosition: positions[4]!, maxCount: 2 })),
        ).toEqual([positions[3], positions[2]]);
        expect(ours(await store.readAll({ direction: 'backwards', maxCount: 2 }))).toEqual([
          positions[4],
          positions[3],
        ]);
        const forwards = await store.readAll({ maxCount: 50 });
        expect(forwards.length).toBeGreaterThan(0);
        expectStrictlyIncreasing(forwards.map((event) => event.position));
      });

      it('keeps unicode stream names, types and data intact', async () => {
        const stream = `run-ünïcödé-流れ-🚀-${uniquePrefix('u')}`;
        const event = newEvent('ÉtapeTerminée✓', { text: 'naïve café — 日本語 🎉', zero: '\u0000' });
        await store.appendToStream(stream, [event], { expectedRevision: 'no_stream' });

        const [read] = await store.readStream(stream);
        expect(read).toMatchObject({
          streamName: stream,
          type: 'ÉtapeTerminée✓',
          data: event.data,
          id: event.id,
        });
        const subscription = store.subscribeToAll({
          fromPosition: undefined,
          filter: { streamNamePrefixes: [stream] },
        });
        expect((await take(subscription, 1)).map((received) => received.id)).toEqual([event.id]);
      });

      it('stores and returns a 1 MiB payload', async () => {
        const stream = `run-${uniquePrefix('big')}`;
        const oneMiB = 1024 * 1024;
        const data = { blob: 'ü'.repeat(1000) + 'x'.repeat(oneMiB - 2000 - '{"blob":""}'.length) };
        expect(Buffer.byteLength(JSON.stringify(data))).toBe(oneMiB);

        await store.appendToStream(stream, [newEvent('LargeOutputRecorded', data)], {
          expectedRevision: 'no_stream',
        });

        const [read] = await store.readStream(stream);
        expect((read!.data as { blob: string }).blob.length).toBe(data.blob.length);
        expect(read!.data).toEqual(data);
      });
    });

    describe('optimistic concurrency', () => {
      async function conflictOf(
        stream: string,
        expectedRevision: ExpectedRevision,
      ): Promise<ConcurrencyConflictError> {
        const error = await store
          .appendToStream(stream, [newEvent('Late')], { expectedRevision })
          .catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(ConcurrencyConflictError);
        return error as ConcurrencyConflictError;
      }

      it('refuses an exact revision that is not the current one, naming expected and actual', async () => {
        const stream = `run-${uniquePrefix('exact')}`;
        await store.appendToStream(stream, numberedEvents(3), { expectedRevision: 'no_stream' });

        for (const stale of [0n, 1n, 3n, 7n]) {
          const conflict = await conflictOf(stream, stale);
          expect(conflict).toMatchObject({
            code: 'CONCURRENCY_CONFLICT',
            streamName: stream,
            expectedRevision: stale,
            actualRevision: 2n,
          });
        }
        expect(await store.readStream(stream)).toHaveLength(3);
      });

      it('refuses an exact revision on a stream that does not exist', async () => {
        const stream = `run-${uniquePrefix('exact-missing')}`;
        expect(await conflictOf(stream, 0n)).toMatchObject({
          expectedRevision: 0n,
          actualRevision: 'no_stream',
        });
        await expect(store.readStream(stream)).rejects.toBeInstanceOf(StreamNotFoundError);
      });

      it("refuses 'no_stream' when the stream exists", async () => {
        const stream = `run-${uniquePrefix('no-stream')}`;
        await store.appendToStream(stream, numberedEvents(2), { expectedRevision: 'no_stream' });
        expect(await conflictOf(stream, 'no_stream')).toMatchObject({
          expectedRevision: 'no_stream',
          actualRevision: 1n,
        });
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it("refuses 'stream_exists' when the stream does not exist, and accepts it when it does", async () => {
        const stream = `run-${uniquePrefix('exists')}`;
        expect(await conflictOf(stream, 'stream_exists')).toMatchObject({
          expectedRevision: 'stream_exists',
          actualRevision: 'no_stream',
        });
        await expect(store.readStream(stream)).rejects.toBeInstanceOf(StreamNotFoundError);

        await store.appendToStream(stream, numberedEvents(1), { expectedRevision: 'no_stream' });
        const result = await store.appendToStream(stream, numberedEvents(1), {
          expectedRevision: 'stream_exists',
        });
        expect(result.nextExpectedRevision).toBe(1n);
      });

      it("accepts 'any' whether or not the stream exists", async () => {
        const stream = `run-${uniquePrefix('any')}`;
        expect(
          (await store.appendToStream(stream, numberedEvents(2), { expectedRevision: 'any' }))
            .nextExpectedRevision,
        ).toBe(1n);
        expect(
          (await store.appendToStream(stream, numberedEvents(1), { expectedRevision: 'any' }))
            .nextExpectedRevision,
        ).toBe(2n);
      });

      it('lets exactly one of two racing appends with the same expected revision win', async () => {
        const stream = `run-${uniquePrefix('race')}`;
        await store.appendToStream(stream, numberedEvents(1), { expectedRevision: 'no_stream' });

        const outcomes = await Promise.allSettled(
          Array.from({ length: 5 }, () =>
            store.appendToStream(stream, numberedEvents(2), { expectedRevision: 0n }),
          ),
        );

        expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
        for (const outcome of outcomes.filter((candidate) => candidate.status === 'rejected')) {
          expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyConflictError);
        }
        expect(await store.readStream(stream)).toHaveLength(3);
      });
    });

    describe('idempotent appends', () => {
      it.each<[string, (previous: bigint | undefined) => ExpectedRevision]>([
        ['no_stream', () => 'no_stream'],
        ['an exact revision', (previous) => previous!],
        ['any', () => 'any'],
        ['stream_exists', () => 'stream_exists'],
      ])(
        're-appending the same event ids with %s returns the original result and writes nothing',
        async (_label, expectation) => {
          const stream = `run-${uniquePrefix('idempotent')}`;
          let previous: bigint | undefined;
          if (_label !== 'no_stream')
            previous = (
              await store.appendToStream(stream, numberedEvents(2), { expectedRevision: 'no_stream' })
            ).nextExpectedRevision;
          const events = numberedEvents(3, 'Retried');
          const expectedRevision = expectation(previous);

          const original = await store.appendToStream(stream, events, { expectedRevision });
          const replay = await store.appendToStream(stream, events, { expectedRevision });

          expect(replay).toEqual(original);
          const stored = await store.readStream(stream);
          expect(stored.filter((event) => event.type === 'Retried').map((event) => event.id)).toEqual(
            events.map((event) => event.id),
          );
        },
      );
    });

    describe('multi-stream appends', () => {
      it('appends to several streams in one call, each continuing its own revisions, in global order', async () => {
        const [a, b, c] = ['a', 'b', 'c'].map((name) => `run-${uniquePrefix(`multi-${name}`)}`) as [
          string,
          string,
          string,
        ];
        await store.appendToStream(b, numberedEvents(2), { expectedRevision: 'no_stream' });
        const before = await lastPositionOfAll();

        const results = await store.appendToStreams([
          { streamName: a, events: numberedEvents(3), expectedRevision: 'no_stream' },
          { streamName: b, events: numberedEvents(1, 'More'), expectedRevision: 1n },
          { streamName: c, events: numberedEvents(2), expectedRevision: 'any' },
        ]);

        expect(results.map((result) => result.nextExpectedRevision)).toEqual([2n, 2n, 1n]);
        expect((await store.readStream(b)).map((event) => [event.type, event.revision])).toEqual([
          ['Numbered', 0n],
          ['Numbered', 1n],
          ['More', 2n],
        ]);
        const all = await store.readAll(before === undefined ? {} : { fromPosition: before });
        const ours = all.filter((event) => [a, b, c].includes(event.streamName));
        expect(ours.map((event) => event.streamName)).toEqual([a, a, a, b, c, c]);
        const positions = ours.map((event) => event.position);
        expect([...positions].sort((x, y) => (x < y ? -1 : 1))).toEqual(positions);
        expect(new Set(positions).size).toBe(positions.length);
        expect(results.map((result) => result.position)).toEqual([positions[2], positions[3], positions[5]]);
      });

      it('refuses a failed expectation naming its stream; an atomic adapter writes none of the streams', async () => {
        const [fresh, taken] = ['fresh', 'taken'].map((name) => `run-${uniquePrefix(`multi-${name}`)}`) as [
          string,
          string,
        ];
        await store.appendToStream(taken, numberedEvents(1), { expectedRevision: 'no_stream' });

        const refused = await store
          .appendToStreams([
            { streamName: fresh, events: numberedEvents(1), expectedRevision: 'no_stream' },
            { streamName: taken, events: numberedEvents(1), expectedRevision: 'no_stream' },
          ])
          .catch((error: unknown) => error);

        expect(refused).toBeInstanceOf(ConcurrencyConflictError);
        expect((refused as ConcurrencyConflictError).streamName).toBe(taken);
        expect((refused as ConcurrencyConflictError).actualRevision).toBe(0n);
        if (store.atomicMultiStreamAppend)
          await expect(store.readStream(fresh)).rejects.toBeInstanceOf(StreamNotFoundError);
      });

      it('is idempotent: repeating the same call returns the same results and writes nothing', async () => {
        const [a, b] = ['a', 'b'].map((name) => `run-${uniquePrefix(`multi-replay-${name}`)}`) as [
          string,
          string,
        ];
        const appends = [
          { streamName: a, events: numberedEvents(2), expectedRevision: 'no_stream' as const },
          { streamName: b, events: numberedEvents(1), expectedRevision: 'no_stream' as const },
        ];
        const original = await store.appendToStreams(appends);
        const replay = await store.appendToStreams(appends);

        expect(replay).toEqual(original);
        expect(await store.readStream(a)).toHaveLength(2);
        expect(await store.readStream(b)).toHaveLength(1);
      });

      it('a call that repeats one stream of an earlier call and adds another: the repeat writes nothing', async () => {
        const [a, b] = ['a', 'b'].map((name) => `run-${uniquePrefix(`multi-partial-${name}`)}`) as [
          string,
          string,
        ];
        const first = { streamName: a, events: numberedEvents(2), expectedRevision: 'no_stream' as const };
        const [original] = await store.appendToStreams([first]);
        const results = await store.appendToStreams([
          { streamName: b, events: numberedEvents(3), expectedRevision: 'no_stream' },
          first,
        ]);

        expect(results[1]).toEqual(original);
        expect(results[0]!.nextExpectedRevision).toBe(2n);
        expect(await store.readStream(a)).toHaveLength(2);
        expect((await store.readStream(b)).map((event) => event.revision)).toEqual([0n, 1n, 2n]);
      });

      it('reads several whole streams in one call, a missing one as empty', async () => {
        const [a, b, missing] = ['a', 'b', 'missing'].map(
          (name) => `run-${uniquePrefix(`multi-read-${name}`)}`,
        ) as [string, string, string];
        await store.appendToStreams([
          { streamName: a, events: numberedEvents(12), expectedRevision: 'no_stream' },
          { streamName: b, events: numberedEvents(1), expectedRevision: 'no_stream' },
        ]);
        const read = await store.readStreams([a, missing, b]);
        expect(read.get(a)!.map((event) => event.revision)).toEqual(
          Array.from({ length: 12 }, (_, index) => BigInt(index)),
        );
        expect(read.get(b)!.map((event) => event.streamName)).toEqual([b]);
        expect(read.get(missing)).toEqual([]);
      });

      it('reads several streams each from its own revision (catching up), the rest from the start', async () => {
        const [a, b, c, missing] = ['a', 'b', 'c', 'missing'].map(
          (name) => `run-${uniquePrefix(`multi-from-${name}`)}`,
        ) as [string, string, string, string];
        await store.appendToStreams([
          { streamName: a, events: numberedEvents(5), expectedRevision: 'no_stream' },
          { streamName: b, events: numberedEvents(3), expectedRevision: 'no_stream' },
          { streamName: c, events: numberedEvents(2), expectedRevision: 'no_stream' },
        ]);
        const read = await store.readStreams([a, b, c, missing], {
          fromRevisions: new Map([
            [a, 3n],
            [b, 3n],
            [missing, 2n],
          ]),
        });
        expect(read.get(a)!.map((event) => event.revision)).toEqual([3n, 4n]);
        expect(read.get(b)).toEqual([]);
        expect(read.get(c)!.map((event) => event.revision)).toEqual([0n, 1n]);
        expect(read.get(missing)).toEqual([]);
      });

      it('refuses the same stream twice in one call, and nothing is written', async () => {
        const stream = `run-${uniquePrefix('multi-twice')}`;
        await expect(
          store.appendToStreams([
            { streamName: stream, events: numberedEvents(1), expectedRevision: 'no_stream' },
            { streamName: stream, events: numberedEvents(1), expectedRevision: 'any' },
          ]),
        ).rejects.toThrow(/once in a multi-stream append \(at appends\[1\]\.streamName\)/);
        await expect(store.readStream(stream)).rejects.toBeInstanceOf(StreamNotFoundError);
      });
    });

    describe('subscriptions to $all', () => {
      it(`delivers every event of ${concurrentWriters} concurrent writers exactly once, in global order`, async () => {
        const prefix = `run-${uniquePrefix('load')}`;
        const total = concurrentWriters * eventsPerWriter;
        const start = await lastPositionOfAll();
        const subscription = store.subscribeToAll({
          fromPosition: start,
          filter: { streamNamePrefixes: [prefix] },
        });
        const received = take(subscription, total, 240_000);

        const appendedIds = new Set<string>();
        const streamsPerWriter = 4;
        await Promise.all(
          Array.from({ length: concurrentWriters }, async (_, writer) => {
            const revisions = new Map<string, bigint>();
            for (let appended = 0, round = 0; appended < eventsPerWriter; round++) {
              const stream = `${prefix}-w${writer}-s${round % streamsPerWriter}`;
              const batch = numberedEvents(
                Math.min(eventsPerAppend, eventsPerWriter - appended),
                'LoadGenerated',
                appended,
              );
              const result = await store.appendToStream(stream, batch, {
                expectedRevision: revisions.get(stream) ?? 'no_stream',
              });
              revisions.set(stream, result.nextExpectedRevision);
              batch.forEach((event) => appendedIds.add(event.id));
              appended += batch.length;
            }
          }),
        );

        const events = await received;
        expect(events).toHaveLength(total);
        expect(new Set(events.map((event) => event.id))).toEqual(appendedIds);
        expectStrictlyIncreasing(events.map((event) => event.position));
        const nextRevision = new Map<string, bigint>();
        for (const event of events) {
          expect(event.revision).toBe(nextRevision.get(event.streamName) ?? 0n);
          nextRevision.set(event.streamName, event.revision + 1n);
        }
      }, 300_000);

      it('resumes from a checkpoint without gaps or repeats, through catch-up and live events', async () => {
        const prefix = `run-${uniquePrefix('resume')}`;
        const start = await lastPositionOfAll();
        const firstBatch = [...numberedEvents(6, 'Before')];
        await store.appendToStream(`${prefix}-a`, firstBatch.slice(0, 3), { expectedRevision: 'no_stream' });
        await store.appendToStream(`${prefix}-b`, firstBatch.slice(3), { expectedRevision: 'no_stream' });

        const firstRun = await take(
          store.subscribeToAll({ fromPosition: start, filter: { streamNamePrefixes: [prefix] } }),
          4,
        );
        const checkpoint = firstRun[firstRun.length - 1]!.position;

        const resumed = store.subscribeToAll({
          fromPosition: checkpoint,
          filter: { streamNamePrefixes: [prefix] },
        });
        const secondRunPromise = take(resumed, 2 + 5);
        const live = numberedEvents(5, 'After');
        await store.appendToStream(`${prefix}-a`, live.slice(0, 2), { expectedRevision: 2n });
        await store.appendToStream(`${prefix}-c`, live.slice(2), { expectedRevision: 'no_stream' });
        const secondRun = await secondRunPromise;

        const ids = [...firstRun, ...secondRun].map((event) => event.id);
        expect(ids).toEqual([...firstBatch, ...live].map((event) => event.id));
        expectStrictlyIncreasing([...firstRun, ...secondRun].map((event) => event.position));
      });

      it('filters by event type and by stream-name prefix', async () => {
        const prefix = `run-${uniquePrefix('filter')}`;
        const start = await lastPositionOfAll();
        const wanted = newEvent(`${prefix}.Wanted`);
        await store.appendToStream(`${prefix}-x`, [newEvent(`${prefix}.Other`), wanted], {
          expectedRevision: 'no_stream',
        });
        await store.appendToStream(`other-${prefix}`, [newEvent(`${prefix}.Wanted`)], {
          expectedRevision: 'no_stream',
        });
        const marker = newEvent(`${prefix}.Wanted`);
        await store.appendToStream(`${prefix}-y`, [marker], { expectedRevision: 'no_stream' });

        const byType = await take(
          store.subscribeToAll({ fromPosition: start, filter: { eventTypes: [`${prefix}.Wanted`] } }),
          3,
        );
        expect(byType.map((event) => event.streamName)).toEqual([
          `${prefix}-x`,
          `other-${prefix}`,
          `${prefix}-y`,
        ]);
        const both = await take(
          store.subscribeToAll({
            fromPosition: start,
            filter: { eventTypes: [`${prefix}.Wanted`], streamNamePrefixes: [prefix] },
          }),
          2,
        );
        expect(both.map((event) => event.id)).toEqual([wanted.id, marker.id]);
      });

      it('ends the iteration when the subscription is closed', async () => {
        const subscription = store.subscribeToAll({
          filter: { streamNamePrefixes: [uniquePrefix('nothing')] },
        });
        const drained = (async () => {
          const seen: RecordedEvent[] = [];
          for await (const event of subscription) seen.push(event);
          return seen;
        })();
        await new Promise((resolve) => setTimeout(resolve, 100));
        await subscription.close();
        await expect(drained).resolves.toEqual([]);
      });
    });

    describe('bad input is refused with a clear error and nothing is written', () => {
      async function refusal(append: () => Promise<unknown>): Promise<EventStoreValidationError> {
        const before = await lastPositionOfAll();
        const error = await append().catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(EventStoreValidationError);
        expect(error).toMatchObject({ code: 'VALIDATION' });
        expect(await lastPositionOfAll()).toBe(before);
        return error as EventStoreValidationError;
      }

      it('an empty stream name', async () => {
        const error = await refusal(() =>
          store.appendToStream('', [newEvent('E')], { expectedRevision: 'any' }),
        );
        expect(error.message).toMatch(/stream name/);
        await expect(store.readStream('')).rejects.toBeInstanceOf(EventStoreValidationError);
      });

      it.each<[string, unknown]>([
        ['undefined', undefined],
        ['a function', () => 1],
        ['a bigint', { amount: 10n }],
        ['NaN', { ratio: Number.NaN }],
        ['a Date', { at: new Date(0) }],
        [
          'a circular object',
          (() => {
            const cyclic: Record<string, unknown> = {};
            cyclic.self = cyclic;
            return cyclic;
          })(),
        ],
      ])('data that is not JSON (%s)', async (_label, data) => {
        const stream = `run-${uniquePrefix('bad-data')}`;
        const good = newEvent('Good');
        const error = await refusal(() =>
          store.appendToStream(stream, [good, { type: 'Bad', data } as unknown as NewEvent], {
            expectedRevision: 'any',
          }),
        );
        expect(error.message).toMatch(/JSON/);
        expect(error.path).toMatch(/^events\[1\]\.data/);
        await expect(store.readStream(stream)).rejects.toBeInstanceOf(StreamNotFoundError);
      });

      it('a negative expected revision', async () => {
        const stream = `run-${uniquePrefix('negative')}`;
        const error = await refusal(() =>
          store.appendToStream(stream, [newEvent('E')], { expectedRevision: -1n }),
        );
        expect(error.message).toMatch(/negative/);
        expect(error.path).toBe('expectedRevision');
        await expect(store.readStream(stream, { fromRevision: -1n })).rejects.toBeInstanceOf(
          EventStoreValidationError,
        );
      });

      it('no events, an empty type, a malformed id, or duplicate ids in one append', async () => {
        const stream = `run-${uniquePrefix('malformed')}`;
        const twice = newEvent('E');
        await refusal(() => store.appendToStream(stream, [], { expectedRevision: 'any' }));
        await refusal(() =>
          store.appendToStream(stream, [{ type: '', data: {} }], { expectedRevision: 'any' }),
        );
        await refusal(() =>
          store.appendToStream(stream, [{ id: 'not-a-uuid', type: 'E', data: {} }], {
            expectedRevision: 'any',
          }),
        );
        await refusal(() => store.appendToStream(stream, [twice, twice], { expectedRevision: 'any' }));
        await expect(store.readStream(stream)).rejects.toBeInstanceOf(StreamNotFoundError);
      });
    });
  });
}
