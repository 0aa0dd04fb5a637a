import {
  BACKWARDS,
  END,
  FORWARDS,
  jsonEvent,
  type JSONType,
  KurrentDBClient,
  START,
  StreamNotFoundError as KurrentStreamNotFoundError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
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
import { type NewEvent, type RecordedEvent } from '../port/events';
import {
  validateAppend,
  validateMultiStreamAppend,
  validateReadAll,
  validateReadStream,
  validateSubscribeToAll,
} from '../port/validation';
import { KurrentSubscription } from './kurrentdb-subscription';
import {
  isSystemEvent,
  toKurrentPosition,
  toRecordedEvent,
  toServerFilter,
  toStreamState,
} from './kurrentdb-mapping';

export type KurrentDbEventStoreOptions = {
  /** e.g. `kurrentdb://127.0.0.1:2113?tls=false` (also accepts `esdb://`). */
  connectionString: string;
};

/** The event store on KurrentDB/EventStoreDB through the official client (ADR 0022). */
export class KurrentDbEventStore implements EventStore {
  private readonly client: KurrentDBClient;
  private readonly subscriptions = new Set<KurrentSubscription>();

  constructor(options: KurrentDbEventStoreOptions) {
    this.client = KurrentDBClient.connectionString(options.connectionString);
  }

  async appendToStream(
    streamName: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    const validated = validateAppend(streamName, events, options);
    try {
      const result = await this.client.appendToStream(
        streamName,
        validated.map((event) =>
          jsonEvent({
            id: event.id,
            type: event.type,
            data: event.data as JSONType,
            metadata: event.metadata as JSONType,
          }),
        ),
        { streamState: toStreamState(options.expectedRevision) },
      );
      if (!result.position)
        throw new Error(`KurrentDB acknowledged the append to "${streamName}" without a position`);
      return { nextExpectedRevision: result.nextExpectedRevision, position: result.position.commit };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        throw new ConcurrencyConflictError(streamName, options.expectedRevision, error.actualState, {
          cause: error,
        });
      }
      throw error;
    }
  }

  /**
   * Stream by stream, in order (docs/adr/0042): the client's multiStreamAppend needs KurrentDB 25.1's
   * v2 protocol, which the test double this adapter is verified against does not speak.
   */
  readonly atomicMultiStreamAppend = false;

  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    validateMultiStreamAppend(appends);
    const results: AppendResult[] = [];
    for (const append of appends)
      results.push(
        await this.appendToStream(append.streamName, append.events, {
          expectedRevision: append.expectedRevision,
        }),
      );
    return results;
  }

  /** One read per stream, side by side: KurrentDB has no multi-stream read. */
  async readStreams(
    streamNames: readonly string[],
    options: ReadStreamsOptions = {},
  ): Promise<Map<string, RecordedEvent[]>> {
    const reads = await Promise.all(
      [...new Set(streamNames)].map(async (name) => {
        const fromRevision = options.fromRevisions?.get(name);
        try {
          return [name, await this.readStream(name, fromRevision ? { fromRevision } : {})] as const;
        } catch (error) {
          if (error instanceof StreamNotFoundError) return [name, []] as const;
          throw error;
        }
      }),
    );
    return new Map<string, RecordedEvent[]>(reads.map(([name, events]) => [name, [...events]]));
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    validateReadStream(streamName, options);
    const backwards = options.direction === 'backwards';
    const events: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamName, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: options.fromRevision ?? (backwards ? END : START),
        ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
      });
      for await (const resolved of read) {
        const event = toRecordedEvent(resolved);
        if (event) events.push(event);
      }
    } catch (error) {
      if (error instanceof KurrentStreamNotFoundError)
        throw new StreamNotFoundError(streamName, { cause: error });
      throw error;
    }
    return events;
  }

  /** KurrentDB reads $all forwards from a position inclusively; the port's position is exclusive. */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    validateReadAll(options);
    const backwards = options.direction === 'backwards';
    const maxCount = options.maxCount ?? 1000;
    const from = options.fromPosition;
    const read = this.client.readAll({
      direction: backwards ? BACKWARDS : FORWARDS,
      fromPosition: from === undefined ? (backwards ? END : START) : toKurrentPosition(from),
      maxCount: maxCount + 1,
      filter: toServerFilter({}).server,
    });
    const events: RecordedEvent[] = [];
    for await (const resolved of read) {
      const event = toRecordedEvent(resolved);
      if (!event || event.position === from || isSystemEvent(event.streamName, event.type)) continue;
      events.push(event);
      if (events.length === maxCount) break;
    }
    return events;
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): EventSubscription {
    validateSubscribeToAll(options);
    const { server, matchesTypes } = toServerFilter(options.filter ?? {});
    const subscription = new KurrentSubscription(
      this.client.subscribeToAll({
        fromPosition: options.fromPosition === undefined ? START : toKurrentPosition(options.fromPosition),
        filter: server,
      }),
      (event) => !isSystemEvent(event.streamName, event.type) && matchesTypes(event.type),
      (closed) => this.subscriptions.delete(closed),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.client.dispose();
  }
}
