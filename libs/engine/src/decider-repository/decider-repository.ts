import { LRUCache } from 'lru-cache';
import { randomUUID } from 'node:crypto';
import {
  ANY,
  type AppendResult,
  ConcurrencyConflictError,
  type EventMetadata,
  type EventStore,
  type JsonValue,
  type NewEvent,
  type RecordedEvent,
  NO_STREAM,
  StreamNotFoundError,
} from '@spark/event-store';
import { type Decider } from '@spark/workflow-domain';
import { FreshReads } from './fresh-reads';
import { deterministicEventId } from './event-ids';

export interface DomainEvent {
  type: string;
  data: unknown;
}

export interface CommandContext {
  /** The id of the message that carries the command; becomes each event's causation id. */
  causationId: string;
  correlationId?: string;
  traceparent?: string;
}

export interface Decided<State, Event> {
  /** The events this command appended (empty when it changed nothing). */
  events: Event[];
  state: State;
  /** The stream's revision after the command; -1n for a stream that does not exist. */
  revision: bigint;
}

/** One command of a batch, for the aggregate `id`. */
export interface BatchCommand<Command> {
  id: string;
  command: Command;
  context: CommandContext;
}

/** What one command of a batch came to: its decision, or the error its decide threw. */
export type BatchOutcome<State, Event> =
  { ok: true; decided: Decided<State, Event> } | { ok: false; error: unknown };

/** What one stream received in a successful append, for `onAppended`. */
export interface AppendedStream {
  streamName: string;
  events: NewEvent[];
  /** The revision of the first of `events`. */
  firstRevision: bigint;
  /** The global position of the last of `events`. */
  position: bigint;
}

export interface BatchOptions {
  /**
   * Aggregates to decide as new (no stream yet) without reading their streams, when not cached: their
   * appends expect no stream, so a wrong presumption is a conflict, and the retry reads.
   */
  presumedNew?: ReadonlySet<string>;
}

interface Loaded<State> {
  state: State;
  revision: bigint;
}

/**
 * Snapshots of long-lived aggregates: every `every` events the state is appended to a stream of its own
 * (`streamNameOf(id)`, outside the prefixes anything relays or projects), and a cold load starts from the
 * latest one. A snapshot is only a shortcut: one with another `schemaVersion` is ignored, and the
 * aggregate's own stream stays the truth.
 */
export interface SnapshotOptions {
  every: number;
  streamNameOf: (id: string) => string;
  schemaVersion: number;
}

interface StoredSnapshot {
  schemaVersion: number;
  revision: string;
  state: unknown;
}

/**
 * Runs commands against event-sourced aggregates: load (from a bounded in-memory cache, or the
 * stream), decide, append with the loaded revision as the expected one, evolve. A conflict means
 * another writer got there first: drop the cached state, reload, decide again (bounded). The stream
 * stays the truth; the cache only saves reads for the instance that owns the key's partition.
 */
export class DeciderRepository<State, Command, Event extends DomainEvent> {
  /** Least recently used states go first once `cacheSize` (default 10,000) are held. */
  private readonly cache: LRUCache<string, Loaded<State>>;
  private readonly caching: boolean;

  constructor(
    private readonly store: EventStore,
    private readonly decider: Decider<State, Command, Event>,
    private readonly streamNameOf: (id: string) => string,
    private readonly options: {
      cacheSize?: number;
      maxConflictRetries?: number;
      /**
       * Read what other writers appended after a cached state before deciding. Needed where a command
       * can decide "nothing to do" on stale state (so no conflict would reveal it) and more than one
       * writer shares the stream, as with schedules (gateway and scheduler).
       */
      catchUpCachedState?: boolean;
      /**
       * Commands that, when they decide nothing on a cached state, are decided again on what the stream
       * has since (one read, batched). A cached state is stale when another writer appended meanwhile
       * (e.g. the stream's partition went to another instance and back unseen), and a stale "nothing to
       * do" is the one mistake no conflict reveals: a timer or a task result ignored for good.
       */
      recheckWhenUnchanged?: (command: Command) => boolean;
      snapshots?: SnapshotOptions;
      /**
       * Told of every successful append, right after it: e.g. the scheduler's relay, which carries out
       * what its own instance appended without waiting for the log to bring it back. Must not throw.
       */
      onAppended?: (streams: AppendedStream[]) => void;
    } = {},
  ) {
    const size = options.cacheSize ?? 10_000;
    // A size of 0 keeps nothing: every command reads its stream (lru-cache itself needs a size of 1 or more).
    this.caching = size > 0;
    this.cache = new LRUCache({ max: Math.max(size, 1) });
  }

  async handle(id: string, command: Command, context: CommandContext): Promise<Decided<State, Event>> {
    const maxRetries = this.options.maxConflictRetries ?? 5;
    const streamName = this.streamNameOf(id);
    for (let attempt = 0; ; attempt++) {
      const cached = this.cache.has(id);
      const loaded = await this.load(id);
      const events = await this.decider.decide(command, loaded.state);
      if (events.length === 0) {
        const recheck = cached && attempt < maxRetries && this.recheckWhenUnchanged([command]);
        if (recheck && (await this.caughtUpWhereStale([{ id, loaded }]))) continue;
        return { events, ...loaded };
      }
      const metadata = metadataOf(context, this.decider.eventSchemaVersion);
      const newEvents = events.map((event, index) => ({
        id: deterministicEventId(context.causationId, streamName, Number(loaded.revision) + 1 + index, event),
        type: event.type,
        data: event.data as JsonValue,
        metadata,
      }));
      try {
        const result = await this.store.appendToStream(streamName, newEvents, {
          expectedRevision: loaded.revision < 0n ? NO_STREAM : loaded.revision,
        });
        this.options.onAppended?.([
          { streamName, events: newEvents, firstRevision: loaded.revision + 1n, position: result.position },
        ]);
        const state = events.reduce(this.decider.evolve, loaded.state);
        this.remember(id, { state, revision: result.nextExpectedRevision });
        await this.snapshotIfDue(id, loaded.revision, { state, revision: result.nextExpectedRevision });
        return { events, state, revision: result.nextExpectedRevision };
      } catch (error) {
        this.cache.delete(id);
        if (!(error instanceof ConcurrencyConflictError) || attempt >= maxRetries) throw error;
      }
    }
  }

  /**
   * Runs a batch of commands: each aggregate's commands in order against its state, every new event of
   * the batch in one multi-stream append. Outcomes come back in the order of `commands`. A command whose
   * decide throws changes nothing and the others go on. On a conflict (another writer got to one of the
   * streams first) the batch is decided again on fresh states, as `handle` retries; with an adapter whose
   * multi-stream append is not atomic, or after the last retry, each command is run again on its own:
   * a batch is as safe as its commands one by one, only cheaper.
   */
  async handleBatch(
    commands: readonly BatchCommand<Command>[],
    options: BatchOptions = {},
  ): Promise<BatchOutcome<State, Event>[]> {
    const retries = this.store.atomicMultiStreamAppend ? (this.options.maxConflictRetries ?? 5) : 0;
    for (let attempt = 0; attempt <= retries; attempt++) {
      // A presumption that proved wrong is a conflict: the retries read the streams.
      const outcomes = await this.tryBatch(commands, attempt === 0 ? options.presumedNew : undefined);
      if (outcomes) return outcomes;
    }
    return this.handleOneByOne(commands);
  }

  /** Whether the aggregate's state is in the cache (so deciding on it costs no read). */
  isCached(id: string): boolean {
    return this.cache.has(id);
  }

  /** One attempt at a batch: its outcomes, or undefined when another writer got to a stream first. */
  private async tryBatch(
    commands: readonly BatchCommand<Command>[],
    presumedNew: ReadonlySet<string> | undefined,
  ): Promise<BatchOutcome<State, Event>[] | undefined> {
    const outcomes: BatchOutcome<State, Event>[] = new Array(commands.length);
    const byId = new Map<string, number[]>();
    commands.forEach(({ id }, index) => byId.set(id, [...(byId.get(id) ?? []), index]));
    const cached = new Set([...byId.keys()].filter((id) => this.cache.has(id)));
    const fresh = new Map<string, Loaded<State>>();
    for (const id of byId.keys())
      if (presumedNew?.has(id) && !this.cache.has(id))
        fresh.set(id, { state: this.decider.initialState(), revision: -1n });
    const preloaded = await this.loadMissing([...byId.keys()].filter((id) => !fresh.has(id)));
    const pending = await Promise.all(
      [...byId].map(async ([id, indexes]) => {
        const loaded = fresh.get(id) ?? preloaded.get(id) ?? (await this.load(id));
        const streamName = this.streamNameOf(id);
        let { state } = loaded;
        let revision = loaded.revision;
        const events: NewEvent[] = [];
        for (const index of indexes) {
          const { command, context } = commands[index]!;
          let decided: Event[];
          try {
            decided = await this.decider.decide(command, state);
          } catch (error) {
            outcomes[index] = { ok: false, error };
            continue;
          }
          const metadata = metadataOf(context, this.decider.eventSchemaVersion);
          for (const event of decided) {
            revision++;
            events.push({
              id: deterministicEventId(context.causationId, streamName, Number(revision), event),
              type: event.type,
              data: event.data as JsonValue,
              metadata,
            });
          }
          state = decided.reduce(this.decider.evolve, state);
          outcomes[index] = { ok: true, decided: { events: decided, state, revision } };
        }
        return { id, indexes, streamName, loaded, events, after: { state, revision } };
      }),
    );
    const unchanged = pending.filter(
      ({ id, indexes, events }) =>
        events.length === 0 &&
        cached.has(id) &&
        this.recheckWhenUnchanged(indexes.map((index) => commands[index]!.command)),
    );
    if (unchanged.length > 0 && (await this.caughtUpWhereStale(unchanged))) return undefined;
    const writes = pending.filter((entry) => entry.events.length > 0);
    if (writes.length === 0) return outcomes;
    let results: AppendResult[];
    try {
      results = await this.store.appendToStreams(
        writes.map(({ streamName, loaded, events }) => ({
          streamName,
          events,
          expectedRevision: loaded.revision < 0n ? NO_STREAM : loaded.revision,
        })),
      );
    } catch (error) {
      for (const { id } of writes) this.cache.delete(id);
      if (!(error instanceof ConcurrencyConflictError)) throw error;
      return undefined;
    }
    this.options.onAppended?.(
      writes.map(({ streamName, loaded, events }, index) => ({
        streamName,
        events,
        firstRevision: loaded.revision + 1n,
        position: results[index]!.position,
      })),
    );
    for (const { id, loaded, after } of writes) {
      this.remember(id, after);
      await this.snapshotIfDue(id, loaded.revision, after);
    }
    return outcomes;
  }

  private async handleOneByOne(
    commands: readonly BatchCommand<Command>[],
  ): Promise<BatchOutcome<State, Event>[]> {
    const outcomes: BatchOutcome<State, Event>[] = [];
    for (const { id, command, context } of commands) {
      try {
        outcomes.push({ ok: true, decided: await this.handle(id, command, context) });
      } catch (error) {
        if (error instanceof ConcurrencyConflictError) throw error;
        outcomes.push({ ok: false, error });
      }
    }
    return outcomes;
  }

  /** The aggregate's current state, from the cache or its stream. */
  async load(id: string): Promise<Loaded<State>> {
    if (this.options.catchUpCachedState) return this.caughtUp.get(id);
    const cached = this.cache.get(id);
    if (cached) {
      // Refresh the entry's place in the insertion order: the map doubles as an LRU list.
      this.remember(id, cached);
      return cached;
    }
    const loaded = await this.readStream(id);
    this.remember(id, loaded);
    return loaded;
  }

  /**
   * With `catchUpCachedState`, every load reads what was appended after the cached state, and loads of
   * one aggregate that arrive together share a read (e.g. the gateway's look-up of a workflow's latest
   * version for every start): each still sees everything appended before it was called.
   */
  private readonly caughtUp = new FreshReads<string, Loaded<State>>(async (id) => {
    const cached = this.cache.get(id);
    const current = cached ? await this.readStream(id, cached) : await this.readStream(id);
    this.remember(id, current);
    return current;
  });

  /**
   * The states of several aggregates read in one call (cached afterwards): cached states caught up
   * where that is asked for, uncached ones from their streams. An uncached aggregate with snapshots
   * is left to `load` (its snapshot is a read of its own); so are cached ones that need no catch-up.
   */
  private async loadMissing(ids: string[]): Promise<Map<string, Loaded<State>>> {
    const loaded = new Map<string, Loaded<State>>();
    const toRead = ids.filter((id) =>
      this.cache.has(id) ? this.options.catchUpCachedState : !this.options.snapshots,
    );
    if (toRead.length < 2) return loaded;
    const fromRevisions = new Map<string, bigint>();
    for (const id of toRead) {
      const cached = this.cache.get(id);
      if (cached) fromRevisions.set(this.streamNameOf(id), cached.revision + 1n);
    }
    const streams = await this.store.readStreams(toRead.map(this.streamNameOf), { fromRevisions });
    for (const id of toRead) {
      const cached = this.cache.get(id);
      let state = cached?.state ?? this.decider.initialState();
      let revision = cached?.revision ?? -1n;
      for (const recorded of streams.get(this.streamNameOf(id)) ?? []) {
        state = this.decider.evolve(state, this.decode(recorded, state));
        revision = recorded.revision;
      }
      loaded.set(id, { state, revision });
      this.remember(id, { state, revision });
    }
    return loaded;
  }

  private recheckWhenUnchanged(commands: readonly Command[]): boolean {
    const recheck = this.options.recheckWhenUnchanged;
    // A caught-up load has just read the stream: nothing to recheck.
    return !!recheck && !this.options.catchUpCachedState && commands.some(recheck);
  }

  /**
   * Reads what the streams have after these cached states, in one call; caches the caught-up states
   * and says whether any had moved on (its decisions were made on a stale state).
   */
  private async caughtUpWhereStale(
    entries: readonly { id: string; loaded: Loaded<State> }[],
  ): Promise<boolean> {
    const fromRevisions = new Map(
      entries.map(({ id, loaded }) => [this.streamNameOf(id), loaded.revision + 1n] as const),
    );
    const streams = await this.store.readStreams([...fromRevisions.keys()], { fromRevisions });
    let stale = false;
    for (const { id, loaded } of entries) {
      const newer = streams.get(this.streamNameOf(id)) ?? [];
      if (newer.length === 0) continue;
      stale = true;
      let { state } = loaded;
      for (const recorded of newer) state = this.decider.evolve(state, this.decode(recorded, state));
      this.remember(id, { state, revision: newer.at(-1)!.revision });
    }
    return stale;
  }

  /** A stored event as the decider reads it: through its decoder (schema versions, upcasters), if it has one. */
  private decode(recorded: RecordedEvent, state: State): Event {
    return this.decider.decodeEvent
      ? this.decider.decodeEvent(recorded, state)
      : ({ type: recorded.type, data: recorded.data } as Event);
  }

  /** Forget cached state, e.g. when the partitions holding these keys are revoked. */
  forget(ids?: Iterable<string>): void {
    if (!ids) this.cache.clear();
    else for (const id of ids) this.cache.delete(id);
  }

  /** The state from the stream (from its latest snapshot on), or from `from` on with the events after it. */
  private async readStream(id: string, from?: Loaded<State>): Promise<Loaded<State>> {
    const start = from ?? (await this.latestSnapshot(id));
    let state = start?.state ?? this.decider.initialState();
    let revision = start?.revision ?? -1n;
    try {
      const events = await this.store.readStream(
        this.streamNameOf(id),
        revision >= 0n ? { fromRevision: revision + 1n } : {},
      );
      for (const recorded of events) {
        state = this.decider.evolve(state, this.decode(recorded, state));
        revision = recorded.revision;
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return { state, revision };
  }

  private async latestSnapshot(id: string): Promise<Loaded<State> | undefined> {
    const snapshots = this.options.snapshots;
    if (!snapshots) return undefined;
    try {
      const [latest] = await this.store.readStream(snapshots.streamNameOf(id), {
        direction: 'backwards',
        maxCount: 1,
      });
      const stored = latest?.data as unknown as StoredSnapshot | undefined;
      if (stored?.schemaVersion !== snapshots.schemaVersion) return undefined;
      return { state: stored.state as State, revision: BigInt(stored.revision) };
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw error;
    }
  }

  /** Appends a snapshot when the stream crossed a multiple of `every` (best effort: a failure only costs reads). */
  private async snapshotIfDue(id: string, before: bigint, after: Loaded<State>): Promise<void> {
    const snapshots = this.options.snapshots;
    if (!snapshots) return;
    const every = BigInt(snapshots.every);
    if ((after.revision + 1n) / every === (before + 1n) / every) return;
    const snapshot: StoredSnapshot = {
      schemaVersion: snapshots.schemaVersion,
      revision: after.revision.toString(),
      // As JSON: absent optional fields must not travel as `undefined`.
      state: JSON.parse(JSON.stringify(after.state)) as unknown,
    };
    await this.store
      .appendToStream(
        snapshots.streamNameOf(id),
        [{ id: randomUUID(), type: 'Snapshot', data: snapshot as unknown as JsonValue, metadata: {} }],
        { expectedRevision: ANY },
      )
      .catch(() => undefined);
  }

  private remember(id: string, loaded: Loaded<State>): void {
    if (this.caching) this.cache.set(id, loaded);
  }
}

function metadataOf(context: CommandContext, schemaVersion: number | undefined): EventMetadata {
  return {
    causationId: context.causationId,
    ...(schemaVersion === undefined ? {} : { schemaVersion }),
    ...(context.correlationId ? { correlationId: context.correlationId } : {}),
    ...(context.traceparent ? { traceparent: context.traceparent } : {}),
  };
}
