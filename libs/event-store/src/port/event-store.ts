import { type EventMetadata, type JsonValue, type NewEvent, type RecordedEvent } from './events';
import { type ExpectedRevision } from './expected-revision';

export type Direction = 'forwards' | 'backwards';

export type AppendOptions = { expectedRevision: ExpectedRevision };

export type AppendResult = {
  /** The revision of the stream's last event after the append: pass it as the next expected revision. */
  nextExpectedRevision: bigint;
  /** The global position of the last appended event. */
  position: bigint;
};

/** One stream's part of a multi-stream append. */
export type StreamAppend = {
  streamName: string;
  events: readonly NewEvent[];
  expectedRevision: ExpectedRevision;
};

export type ReadStreamOptions = {
  direction?: Direction;
  /** Inclusive. Defaults to the start (forwards) or the end (backwards). */
  fromRevision?: bigint;
  maxCount?: number;
};

export type ReadAllOptions = {
  direction?: Direction;
  /** Exclusive: the position of the last event already seen. Defaults to the start or the end. */
  fromPosition?: bigint;
  /** Defaults to 1000. */
  maxCount?: number;
};

export type SubscriptionFilter = {
  /** Only streams whose name starts with one of these. */
  streamNamePrefixes?: readonly string[];
  /** Only events of one of these types. */
  eventTypes?: readonly string[];
};

export type SubscribeToAllOptions = {
  /** Exclusive checkpoint: the position of the last event already processed. Omit to start from the beginning. */
  fromPosition?: bigint;
  filter?: SubscriptionFilter;
};

/**
 * Events of `$all` in global order: first the stored ones after the checkpoint, then live ones as they
 * commit. Consume with `for await`; leaving the loop (break, return, throw) or calling `close()` ends it.
 */
export interface EventSubscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

/** The event store port. Adapters: PostgreSQL (local default) and KurrentDB/EventStoreDB. */
export interface ReadStreamsOptions {
  /** Where to start reading a stream (inclusive); streams not named here are read from the start. */
  fromRevisions?: ReadonlyMap<string, bigint>;
}

export interface EventStore {
  appendToStream(
    streamName: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult>;
  /**
   * Appends to several streams (each at most once) in one call; results in the order of `appends`.
   * A failed expectation throws ConcurrencyConflictError naming the stream. Atomic where the adapter
   * says so (PostgreSQL: one transaction, all or nothing); otherwise stream by stream in order, and on
   * a failure the earlier streams may have been appended (repeat the call: appends are idempotent by
   * event id).
   */
  appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]>;
  /** Whether `appendToStreams` is all or nothing. */
  readonly atomicMultiStreamAppend: boolean;
  /**
   * Several streams at once, forwards: each name maps to its events, empty for a stream that does not
   * exist (or has nothing from the revision asked for). From the start, or for a stream named in
   * `fromRevisions` from that revision on (catching up cached states). One round trip where the
   * adapter can.
   */
  readStreams(
    streamNames: readonly string[],
    options?: ReadStreamsOptions,
  ): Promise<Map<string, RecordedEvent[]>>;
  /** Throws StreamNotFoundError when the stream has no events. */
  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options?: SubscribeToAllOptions): EventSubscription;
  /** Releases what the adapter owns (connections, listeners); open subscriptions end. */
  close(): Promise<void>;
}

export type { EventMetadata, JsonValue, NewEvent, RecordedEvent };
