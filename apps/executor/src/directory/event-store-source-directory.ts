import {
  type SecretDefinedData,
  SECRET_STREAM_PREFIX,
  secretStreamName,
  type SourceDefinedData,
  SOURCE_DIRECTORY_EVENTS,
  SOURCE_STREAM_PREFIX,
  sourceStreamName,
} from '@spark/contracts';
import {
  type EventStore,
  type EventSubscription,
  type RecordedEvent,
  StreamNotFoundError,
} from '@spark/event-store';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { TaskExecutionError } from '../handlers/task-execution-error';
import type { SourceDirectory } from './source-directory';

interface Entry {
  change: number;
  /** The Defined event's data; undefined once removed. */
  defined: SourceDefinedData | SecretDefinedData | undefined;
}

const DEFINED = new Set<string>([
  SOURCE_DIRECTORY_EVENTS.sourceDefined,
  SOURCE_DIRECTORY_EVENTS.secretDefined,
]);
const DIRECTORY_TYPES = new Set<string>(Object.values(SOURCE_DIRECTORY_EVENTS));

export interface EventStoreSourceDirectoryOptions {
  /** How long a name found nowhere is not looked up again (a just-defined one is found after that). */
  missTtlMs?: number;
  /** Wait before subscribing again after the subscription failed. */
  resubscribeDelayMs?: number;
  clock?: () => number;
}

/**
 * The `source-<name>` and `secret-<name>` streams folded in memory: a name is read from its stream when
 * first used (so a source defined a moment ago works on the next task), and a subscription to `$all`
 * (filtered to those prefixes, from the log's end at start) keeps every name current as the gateway
 * publishes. Per name the event
 * with the highest `change` wins, whatever order events arrive in.
 */
export class EventStoreSourceDirectory implements SourceDirectory {
  private readonly entries = new Map<string, Entry>();
  private readonly misses: LRUCache<string, number>;
  private readonly missTtlMs: number;
  private readonly resubscribeDelayMs: number;
  private readonly clock: () => number;
  private subscription: EventSubscription | undefined;
  private following: Promise<void> | undefined;
  private stopped = false;
  private lastPosition: bigint | undefined;
  /** False from start() until the subscription knows where it starts: what is read before may not be kept. */
  private followsFromKnownPosition = true;

  constructor(
    private readonly store: EventStore,
    private readonly logger: Logger,
    options: EventStoreSourceDirectoryOptions = {},
  ) {
    this.missTtlMs = options.missTtlMs ?? 1_000;
    this.resubscribeDelayMs = options.resubscribeDelayMs ?? 1_000;
    this.clock = options.clock ?? Date.now;
    this.misses = new LRUCache({ max: 10_000 });
  }

  /** Starts following the streams (returns at once; lookups work before it has caught up). */
  start(): void {
    if (this.following) return;
    this.followsFromKnownPosition = false;
    this.following = this.follow();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.close();
    await this.following;
  }

  source(name: string): Promise<SourceDefinedData | undefined> {
    return this.lookup(sourceStreamName(name), 'source', name) as Promise<SourceDefinedData | undefined>;
  }

  secret(name: string): Promise<SecretDefinedData | undefined> {
    return this.lookup(secretStreamName(name), 'secret', name) as Promise<SecretDefinedData | undefined>;
  }

  private async lookup(stream: string, what: 'source' | 'secret', name: string) {
    const known = this.entries.get(stream)?.defined;
    if (known) return known;
    const missedAt = this.misses.get(stream);
    if (missedAt !== undefined && this.clock() - missedAt < this.missTtlMs) return undefined;
    // A read that began before the subscription knew its start may miss a change the subscription
    // will not bring either (it was committed before that start): its answer is used, not kept.
    const keep = this.followsFromKnownPosition;
    let events: RecordedEvent[];
    try {
      events = await this.store.readStream(stream);
    } catch (error) {
      if (!(error instanceof StreamNotFoundError))
        throw TaskExecutionError.retryable(
          `${what.toUpperCase()}_LOOKUP_FAILED`,
          `could not read ${what} "${name}": ${(error as Error).message}`,
        );
      events = [];
    }
    const entries = keep ? this.entries : new Map<string, Entry>();
    for (const event of events) this.apply(event, entries);
    const found = entries.get(stream)?.defined;
    if (!found && keep) this.misses.set(stream, this.clock());
    return found;
  }

  private apply(event: RecordedEvent, entries = this.entries): void {
    if (!DIRECTORY_TYPES.has(event.type)) return;
    const data = event.data as unknown as SourceDefinedData | SecretDefinedData;
    const current = entries.get(event.streamName);
    if (current && current.change >= data.change) return;
    entries.set(event.streamName, {
      change: data.change,
      defined: DEFINED.has(event.type) ? data : undefined,
    });
    if (DEFINED.has(event.type) && entries === this.entries) this.misses.delete(event.streamName);
  }

  private async follow(): Promise<void> {
    while (!this.stopped) {
      try {
        if (this.lastPosition === undefined) {
          // From the log's end, not its start: a name is read when first used, so only later changes
          // need following, and a start does not scan the whole log (which only grows).
          const [last] = await this.store.readAll({ direction: 'backwards', maxCount: 1 });
          if (last) this.lastPosition = last.position;
          this.followsFromKnownPosition = true;
        }
        this.subscription = this.store.subscribeToAll({
          ...(this.lastPosition !== undefined ? { fromPosition: this.lastPosition } : {}),
          filter: { streamNamePrefixes: [SOURCE_STREAM_PREFIX, SECRET_STREAM_PREFIX] },
        });
        for await (const event of this.subscription) {
          this.apply(event);
          this.lastPosition = event.position;
        }
      } catch (error) {
        if (this.stopped) return;
        this.logger.warn({ err: error }, 'following sources and secrets failed; subscribing again');
      }
      if (this.stopped) return;
      await new Promise((resolve) => setTimeout(resolve, this.resubscribeDelayMs).unref());
    }
  }
}
