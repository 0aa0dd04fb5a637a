/** One event as the double stores it: the bytes and metadata map of the wire format. */
export type StoredEvent = {
  streamName: string;
  revision: bigint;
  /** commit == prepare: the double has no explicit transactions. */
  position: bigint;
  id: string;
  metadata: Map<string, string>;
  customMetadata: Uint8Array;
  data: Uint8Array;
};

export type ProposedEvent = Pick<StoredEvent, 'id' | 'metadata' | 'customMetadata' | 'data'>;

/** The server-side expectation, as EventStoreDB receives it. */
export type StreamExpectation =
  | { kind: 'revision'; revision: bigint }
  | { kind: 'no_stream' }
  | { kind: 'any' }
  | { kind: 'stream_exists' };

export type AppendOutcome =
  | { ok: true; currentRevision: bigint; position: bigint }
  | { ok: false; currentRevision: bigint | undefined };

/** Positions grow like log offsets (not by one), as a real server's do. */
const POSITION_STRIDE = 128n;
const TICKS_PER_MILLISECOND = 10_000n;

/** The double's whole state: an append-only log and a per-stream index. Synchronous, so appends never interleave. */
export class InMemoryLog {
  readonly events: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly listeners = new Set<(event: StoredEvent) => void>();
  private nextPosition = POSITION_STRIDE;

  stream(streamName: string): readonly StoredEvent[] | undefined {
    return this.streams.get(streamName);
  }

  onAppended(listener: (event: StoredEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  append(
    streamName: string,
    expectation: StreamExpectation,
    proposed: readonly ProposedEvent[],
  ): AppendOutcome {
    const stream = this.streams.get(streamName) ?? [];
    const current = stream.length === 0 ? undefined : BigInt(stream.length - 1);

    const replayed = this.idempotentReplay(stream, expectation, proposed);
    if (replayed) return replayed;

    const satisfied =
      expectation.kind === 'any' ||
      (expectation.kind === 'no_stream' && current === undefined) ||
      (expectation.kind === 'stream_exists' && current !== undefined) ||
      (expectation.kind === 'revision' && current === expectation.revision);
    if (!satisfied) return { ok: false, currentRevision: current };

    const created = (BigInt(Date.now()) * TICKS_PER_MILLISECOND).toString();
    const appended = proposed.map((event, index): StoredEvent => {
      const stored: StoredEvent = {
        ...event,
        metadata: new Map([...event.metadata, ['created', created]]),
        streamName,
        revision: BigInt(stream.length + index),
        position: this.nextPosition,
      };
      this.nextPosition += POSITION_STRIDE;
      return stored;
    });
    stream.push(...appended);
    this.streams.set(streamName, stream);
    this.events.push(...appended);
    for (const event of appended) for (const listener of this.listeners) listener(event);
    const last = appended[appended.length - 1]!;
    return { ok: true, currentRevision: last.revision, position: last.position };
  }

  /** EventStoreDB's rule: the same ids, in order, where the expectation would have put them. */
  private idempotentReplay(
    stream: readonly StoredEvent[],
    expectation: StreamExpectation,
    proposed: readonly ProposedEvent[],
  ): AppendOutcome | undefined {
    const first = proposed[0];
    if (!first) return undefined;
    const start = stream.findIndex((event) => event.id === first.id);
    if (start < 0) return undefined;
    const expectedStart =
      expectation.kind === 'revision'
        ? Number(expectation.revision) + 1
        : expectation.kind === 'no_stream'
          ? 0
          : start;
    if (start !== expectedStart) return undefined;
    const matches = proposed.every((event, index) => stream[start + index]?.id === event.id);
    if (!matches) return undefined;
    const last = stream[start + proposed.length - 1]!;
    return { ok: true, currentRevision: last.revision, position: last.position };
  }
}
