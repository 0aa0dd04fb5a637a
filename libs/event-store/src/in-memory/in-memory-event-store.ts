import { ConcurrencyConflictError, StreamNotFoundError } from '../errors/event-store-errors';
import {
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type EventSubscription,
  type ReadAllOptions,
  type ReadStreamOptions,
  type ReadStreamsOptions,
  type StreamAppend,
  type SubscribeToAllOptions,
} from '../port/event-store';
import { type JsonValue, type NewEvent, type RecordedEvent } from '../port/events';
import { type ExpectedRevision } from '../port/expected-revision';
import {
  type ValidatedEvent,
  validateAppend,
  validateMultiStreamAppend,
  validateReadAll,
  validateReadStream,
  validateStreamName,
  validateSubscribeToAll,
} from '../port/validation';
import { InMemorySubscription } from './in-memory-subscription';

const DEFAULT_READ_ALL_COUNT = 1000;

/** What one stream's part of an append comes to, worked out before anything is written. */
type Planned = { kind: 'replay'; result: AppendResult } | { kind: 'append'; events: ValidatedEvent[] };

/**
 * The event store port in memory: one process, no durability. It passes the same conformance suite as
 * the PostgreSQL and KurrentDB adapters, so deciders, command processors and the relay can be unit-tested
 * against it in milliseconds. Every method is synchronous inside, so appends never interleave, and a
 * multi-stream append is all or nothing.
 */
export class InMemoryEventStore implements EventStore {
  readonly atomicMultiStreamAppend = true;
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly subscriptions = new Set<InMemorySubscription>();
  private closed = false;

  /** Every stored event in global order (a copy), for assertions. */
  get events(): RecordedEvent[] {
    return this.log.map(copyOf);
  }

  async appendToStream(
    streamName: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    this.assertOpen();
    const validated = validateAppend(streamName, events, options);
    const [result] = this.commit([{ streamName, expectedRevision: options.expectedRevision, validated }]);
    return result!;
  }

  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    this.assertOpen();
    const validated = validateMultiStreamAppend(appends);
    return this.commit(
      appends.map((append, index) => ({
        streamName: append.streamName,
        expectedRevision: append.expectedRevision,
        validated: validated[index]!,
      })),
    );
  }

  async readStreams(
    streamNames: readonly string[],
    options: ReadStreamsOptions = {},
  ): Promise<Map<string, RecordedEvent[]>> {
    this.assertOpen();
    streamNames.forEach((name, index) => validateStreamName(name, `streamNames[${index}]`));
    return new Map(
      streamNames.map((name) => {
        const from = Number(options.fromRevisions?.get(name) ?? 0n);
        return [name, (this.streams.get(name) ?? []).slice(from).map(copyOf)];
      }),
    );
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    validateReadStream(streamName, options);
    const stream = this.streams.get(streamName);
    if (!stream) throw new StreamNotFoundError(streamName);
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    if (options.direction === 'backwards') {
      const from = options.fromRevision ?? BigInt(stream.length - 1);
      return stream
        .filter((event) => event.revision <= from)
        .reverse()
        .slice(0, maxCount)
        .map(copyOf);
    }
    const from = options.fromRevision ?? 0n;
    return stream
      .filter((event) => event.revision >= from)
      .slice(0, maxCount)
      .map(copyOf);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    validateReadAll(options);
    const maxCount = options.maxCount ?? DEFAULT_READ_ALL_COUNT;
    const from = options.fromPosition;
    if (options.direction === 'backwards') {
      return this.log
        .filter((event) => from === undefined || event.position < from)
        .reverse()
        .slice(0, maxCount)
        .map(copyOf);
    }
    return this.eventsAfter(from).slice(0, maxCount).map(copyOf);
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): EventSubscription {
    this.assertOpen();
    validateSubscribeToAll(options);
    const subscription = new InMemorySubscription(
      this.eventsAfter(options.fromPosition).map(copyOf),
      options.filter ?? {},
      () => this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
  }

  /** Checks every stream's expectation first, then writes all of them: all or nothing. */
  private commit(
    parts: { streamName: string; expectedRevision: ExpectedRevision; validated: ValidatedEvent[] }[],
  ): AppendResult[] {
    const plans = parts.map((part) => this.plan(part.streamName, part.expectedRevision, part.validated));
    const appended: RecordedEvent[] = [];
    const results = plans.map((plan, index): AppendResult => {
      if (plan.kind === 'replay') return plan.result;
      const streamName = parts[index]!.streamName;
      const stream = this.streams.get(streamName) ?? [];
      const recordedAt = new Date();
      for (const event of plan.events) {
        const recorded: RecordedEvent = {
          id: event.id,
          type: event.type,
          data: JSON.parse(event.dataJson) as JsonValue,
          metadata: JSON.parse(event.metadataJson) as RecordedEvent['metadata'],
          streamName,
          revision: BigInt(stream.length),
          position: BigInt(this.log.length + 1),
          recordedAt,
        };
        stream.push(recorded);
        this.log.push(recorded);
        appended.push(recorded);
      }
      this.streams.set(streamName, stream);
      const last = stream.at(-1)!;
      return { nextExpectedRevision: last.revision, position: last.position };
    });
    for (const subscription of this.subscriptions) subscription.push(appended.map(copyOf));
    return results;
  }

  private plan(streamName: string, expected: ExpectedRevision, events: ValidatedEvent[]): Planned {
    const stream = this.streams.get(streamName) ?? [];
    const replay = idempotentReplay(stream, expected, events);
    if (replay) return { kind: 'replay', result: replay };
    const current = stream.length === 0 ? undefined : BigInt(stream.length - 1);
    const satisfied =
      expected === 'any' ||
      (expected === 'no_stream' && current === undefined) ||
      (expected === 'stream_exists' && current !== undefined) ||
      (typeof expected === 'bigint' && current === expected);
    if (!satisfied) throw new ConcurrencyConflictError(streamName, expected, current ?? 'no_stream');
    return { kind: 'append', events };
  }

  private eventsAfter(position: bigint | undefined): RecordedEvent[] {
    // Positions are 1, 2, 3, ...: the event at position p sits at index p - 1.
    return position === undefined ? this.log : this.log.slice(Number(position));
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The in-memory event store is closed');
  }
}

/**
 * Re-appending events already stored is a no-op that returns the original result: the same ids, in
 * order, where the expectation would have put them.
 */
function idempotentReplay(
  stream: readonly RecordedEvent[],
  expected: ExpectedRevision,
  events: readonly ValidatedEvent[],
): AppendResult | undefined {
  const start = stream.findIndex((event) => event.id === events[0]?.id);
  if (start < 0) return undefined;
  const expectedStart =
    typeof expected === 'bigint' ? Number(expected) + 1 : expected === 'no_stream' ? 0 : start;
  if (start !== expectedStart) return undefined;
  if (!events.every((event, index) => stream[start + index]?.id === event.id)) return undefined;
  const last = stream[start + events.length - 1]!;
  return { nextExpectedRevision: last.revision, position: last.position };
}

/**
 * Callers get their own objects: mutating what was read never changes what is stored. A JSON round trip,
 * not structuredClone: that one builds its objects in Node's own realm, which the store's JSON check
 * refuses as class instances when they come back in the next append under Jest's sandbox.
 */
function copyOf(event: RecordedEvent): RecordedEvent {
  return {
    ...event,
    data: JSON.parse(JSON.stringify(event.data)) as JsonValue,
    metadata: JSON.parse(JSON.stringify(event.metadata)) as RecordedEvent['metadata'],
    recordedAt: new Date(event.recordedAt),
  };
}
