import { preparedStatement } from '@spark/postgres';
import { type ClientConfig, Pool, type PoolConfig } from 'pg';
import {
  ConcurrencyConflictError,
  EventStoreValidationError,
  StreamNotFoundError,
} from '../errors/event-store-errors';
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
import { type RecordedEvent } from '../port/events';
import { type ExpectedRevision } from '../port/expected-revision';
import {
  validateAppend,
  validateMultiStreamAppend,
  validateReadAll,
  validateStreamName,
  validateReadStream,
  validateSubscribeToAll,
} from '../port/validation';
import { ChangeNotifier } from './change-notifier';
import { migrateEventStoreSchema } from './migrate';
import { PostgresSubscription } from './postgres-subscription';
import { type EventRow, EVENT_COLUMNS, toRecordedEvent } from './event-row';
import { jsonTextArray } from './json-text-array';

export type PostgresEventStoreOptions = {
  /** e.g. `postgres://spark:spark@127.0.0.1:55432/spark`, or pass `pool`. */
  connectionString?: string;
  /** A pool the caller owns; `close()` leaves it open. */
  pool?: Pool;
  /** Extra settings for the pool the store creates (ignored with `pool`). */
  poolConfig?: PoolConfig;
  /** The schema holding the store's tables; created by `migrate`. Default `event_store`. */
  schema?: string;
  /** Rows per query when reading and catching up. Default 1000. */
  readBatchSize?: number;
  /** Longest a caught-up subscription waits without a notification before it looks again. Default 500 ms. */
  pollIntervalMs?: number;
};

/** The append limit the position encoding allows (20 bits for the index within a transaction). */
export const MAX_EVENTS_PER_APPEND = (1 << 20) - 1;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,47}$/;
const CONFLICT_SQLSTATE = 'ES409';
const END_OF_LOG = 2n ** 63n - 1n;

/** The local default event store: PostgreSQL, one schema, one events table (docs/adr/0021). */
export class PostgresEventStore implements EventStore {
  private readonly pool: Pool;
  private readonly ownsPool: boolean;
  private readonly schema: string;
  private readonly readBatchSize: number;
  private readonly pollIntervalMs: number;
  private readonly notifier: ChangeNotifier;
  private readonly subscriptions = new Set<PostgresSubscription>();
  private readonly sql: ReturnType<typeof statements>;
  private readonly connection: string | ClientConfig;

  constructor(options: PostgresEventStoreOptions) {
    this.schema = options.schema ?? 'event_store';
    if (!SCHEMA_NAME.test(this.schema)) {
      throw new EventStoreValidationError('A schema name must match /^[a-z_][a-z0-9_]{0,47}$/', 'schema');
    }
    if (options.pool) {
      this.pool = options.pool;
      this.ownsPool = false;
    } else {
      if (!options.connectionString)
        throw new EventStoreValidationError('Pass a connectionString or a pool', 'connectionString');
      this.pool = new Pool({ connectionString: options.connectionString, max: 10, ...options.poolConfig });
      // A connection the server ends (a restart) is an 'error' on the pool (idle) or on the client (checked
      // out): without a listener the process dies. pg-pool drops an idle one; a checked-out one fails its
      // next query, which its caller sees.
      this.pool.on('error', () => undefined);
      this.pool.on('connect', (client) => client.on('error', () => undefined));
      this.ownsPool = true;
    }
    this.readBatchSize = options.readBatchSize ?? 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.connection = options.connectionString ?? connectionSettingsOf(this.pool);
    this.notifier = new ChangeNotifier(
      typeof this.connection === 'string' ? { connectionString: this.connection } : this.connection,
      `${this.schema}_events`,
    );
    this.sql = statements(this.schema);
  }

  /** Creates or upgrades the schema (node-pg-migrate). Call once at start-up. */
  async migrate(): Promise<void> {
    await migrateEventStoreSchema({ connection: this.connection, schema: this.schema });
  }

  async appendToStream(
    streamName: string,
    events: Parameters<EventStore['appendToStream']>[1],
    options: AppendOptions,
  ): Promise<AppendResult> {
    const validated = validateAppend(streamName, events, options);
    if (validated.length > MAX_EVENTS_PER_APPEND) {
      throw new EventStoreValidationError(`At most ${MAX_EVENTS_PER_APPEND} events per append`, 'events');
    }
    const expected = options.expectedRevision;
    try {
      const { rows } = await this.pool.query<{ next_expected_revision: string; last_position: string }>({
        ...this.sql.append,
        values: [
          streamName,
          encodeExpectedRevision(expected),
          validated.map((event) => event.id),
          validated.map((event) => event.type),
          jsonTextArray(validated.map((event) => event.dataJson)),
          jsonTextArray(validated.map((event) => event.metadataJson)),
        ],
      });
      const row = rows[0];
      if (!row) throw new Error('append_to_stream returned no row');
      return {
        nextExpectedRevision: BigInt(row.next_expected_revision),
        position: BigInt(row.last_position),
      };
    } catch (error) {
      if (isPgError(error) && error.code === CONFLICT_SQLSTATE) {
        const actual = BigInt(error.detail ?? '-1');
        throw new ConcurrencyConflictError(streamName, expected, actual < 0n ? 'no_stream' : actual, {
          cause: error,
        });
      }
      throw error;
    }
  }

  readonly atomicMultiStreamAppend = true;

  /** One statement, one transaction: every stream or none (append_to_streams, migration 0002). */
  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    const validated = validateMultiStreamAppend(appends);
    if (validated.length === 0) return [];
    const events = validated.flat();
    if (events.length > MAX_EVENTS_PER_APPEND) {
      throw new EventStoreValidationError(`At most ${MAX_EVENTS_PER_APPEND} events per append`, 'appends');
    }
    try {
      const { rows } = await this.pool.query<{
        stream_index: number;
        next_expected_revision: string;
        last_position: string;
      }>({
        ...this.sql.appendMany,
        values: [
          appends.map((append) => append.streamName),
          appends.map((append) => encodeExpectedRevision(append.expectedRevision)),
          validated.map((part) => part.length),
          events.map((event) => event.id),
          events.map((event) => event.type),
          jsonTextArray(events.map((event) => event.dataJson)),
          jsonTextArray(events.map((event) => event.metadataJson)),
        ],
      });
      if (rows.length !== appends.length)
        throw new Error(`append_to_streams returned ${rows.length} rows for ${appends.length} streams`);
      return rows
        .sort((a, b) => a.stream_index - b.stream_index)
        .map((row) => ({
          nextExpectedRevision: BigInt(row.next_expected_revision),
          position: BigInt(row.last_position),
        }));
    } catch (error) {
      if (isPgError(error) && error.code === CONFLICT_SQLSTATE) {
        const [index, actual] = (error.detail ?? '0:-1').split(':').map((part) => BigInt(part));
        const append = appends[Number(index)]!;
        throw new ConcurrencyConflictError(
          append.streamName,
          append.expectedRevision,
          actual! < 0n ? 'no_stream' : actual!,
          { cause: error },
        );
      }
      throw error;
    }
  }

  async readStreams(
    streamNames: readonly string[],
    options: ReadStreamsOptions = {},
  ): Promise<Map<string, RecordedEvent[]>> {
    streamNames.forEach((name, index) => validateStreamName(name, `streamNames[${index}]`));
    const read = new Map<string, RecordedEvent[]>(streamNames.map((name) => [name, []]));
    if (streamNames.length === 0) return read;
    const names = [...read.keys()];
    const from = names.map((name) => {
      const revision = options.fromRevisions?.get(name) ?? 0n;
      if (revision < 0n) throw new RangeError(`fromRevisions: ${name} has a negative revision`);
      return revision.toString();
    });
    const { rows } = await this.pool.query<EventRow>({ ...this.sql.readStreams, values: [names, from] });
    for (const row of rows) read.get(row.stream_name)!.push(toRecordedEvent(row));
    return read;
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    validateReadStream(streamName, options);
    const backwards = options.direction === 'backwards';
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const events: RecordedEvent[] = [];
    let from = options.fromRevision ?? (backwards ? END_OF_LOG : 0n);
    // Reading on from a later revision (catching up) also reads the one before it: finding it proves
    // the stream exists, so "nothing new" costs one query, not a second one asking whether it exists.
    let exists = false;
    let peek = !backwards && from > 0n;
    while (events.length < maxCount) {
      const limit = Math.min(this.readBatchSize, maxCount - events.length);
      const { rows } = await this.pool.query<EventRow>({
        ...(backwards ? this.sql.readStreamBackwards : this.sql.readStreamForwards),
        values: [streamName, (peek ? from - 1n : from).toString(), peek ? limit + 1 : limit],
      });
      const page = rows.map(toRecordedEvent);
      if (peek && page[0]?.revision === from - 1n) {
        exists = true;
        page.shift();
      }
      peek = false;
      events.push(...page);
      if (page.length < limit) break;
      const last = events[events.length - 1]!.revision;
      if (backwards && last === 0n) break;
      from = backwards ? last - 1n : last + 1n;
    }
    // Nothing from revision 0 on means no stream; from a later revision, the stream may still exist.
    const fromStart = !backwards && (options.fromRevision ?? 0n) === 0n;
    if (events.length === 0 && !exists && (fromStart || !(await this.streamExists(streamName))))
      throw new StreamNotFoundError(streamName);
    return events;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    validateReadAll(options);
    const backwards = options.direction === 'backwards';
    const maxCount = options.maxCount ?? 1000;
    const events: RecordedEvent[] = [];
    let from = options.fromPosition ?? (backwards ? END_OF_LOG : -1n);
    while (events.length < maxCount) {
      const limit = Math.min(this.readBatchSize, maxCount - events.length);
      const rows = backwards
        ? await this.readAllBackwardsPage(from, limit)
        : (await this.readAllPage(from, limit)).rows;
      events.push(...rows.map(toRecordedEvent));
      if (rows.length < limit) break;
      from = events[events.length - 1]!.position;
    }
    return events;
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): EventSubscription {
    validateSubscribeToAll(options);
    const subscription = new PostgresSubscription({
      fromPosition: options.fromPosition ?? -1n,
      filter: options.filter ?? {},
      batchSize: this.readBatchSize,
      pollIntervalMs: this.pollIntervalMs,
      notifier: this.notifier,
      readPage: (from, limit, filter) => this.readAllPage(from, limit, filter),
      onClose: (closed) => this.subscriptions.delete(closed),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.notifier.close();
    if (this.ownsPool) await this.pool.end();
  }

  /**
   * One page of `$all` after `from`, only below the visibility barrier (positions of transactions
   * older than the oldest one still running), so no later commit can land behind the reader.
   */
  private async readAllPage(
    from: bigint,
    limit: number,
    filter: { streamNamePrefixes?: readonly string[]; eventTypes?: readonly string[] } = {},
  ): Promise<{ rows: EventRow[]; barrier: bigint; heldBack: boolean }> {
    const { rows } = await this.pool.query<EventRow & { barrier: string; held_back: boolean }>({
      ...this.sql.readAllForwards,
      values: [from.toString(), limit, filter.streamNamePrefixes ?? null, filter.eventTypes ?? null],
    });
    const first = rows[0];
    if (!first) throw new Error('readAll returned no barrier row');
    // With an empty page the query still returns one row (event columns NULL) to carry the barrier.
    return {
      rows: rows.filter((row) => row.position !== null),
      barrier: BigInt(first.barrier),
      heldBack: first.held_back,
    };
  }

  private async readAllBackwardsPage(before: bigint, limit: number): Promise<EventRow[]> {
    const { rows } = await this.pool.query<EventRow>({
      ...this.sql.readAllBackwards,
      values: [before.toString(), limit],
    });
    return rows;
  }

  private async streamExists(streamName: string): Promise<boolean> {
    const { rowCount } = await this.pool.query({ ...this.sql.streamExists, values: [streamName] });
    return (rowCount ?? 0) > 0;
  }
}

function statements(schema: string) {
  const events = `"${schema}".events`;
  const barrier = `(pg_snapshot_xmin(pg_current_snapshot())::text::bigint << 20)`;
  // Whether a transaction newer than the oldest one running has ended: it may have appended events the
  // barrier holds back, and they become readable without a NOTIFY once that oldest one ends (it may be
  // no append at all), so the reader looks again soon. Read from the snapshot alone: probing the index
  // above the barrier for a visible event walks every row of the appends still in flight there, which
  // under load made this check most of the server's time per read (docs/adr/0021, addendum).
  const heldBack = `(pg_snapshot_xmax(pg_current_snapshot())::text::bigint - pg_snapshot_xmin(pg_current_snapshot())::text::bigint > (SELECT count(*) FROM pg_snapshot_xip(pg_current_snapshot())))`;
  return {
    append: preparedStatement(
      `SELECT next_expected_revision::text, last_position::text FROM "${schema}".append_to_stream($1, $2, $3, $4, $5, $6)`,
    ),
    // ORDER BY names the table's columns (e.*): EVENT_COLUMNS casts position and revision to text under
    // the same names, and an unqualified ORDER BY would sort those text aliases ("10" before "2").
    appendMany: preparedStatement(
      `SELECT stream_index, next_expected_revision::text, last_position::text FROM "${schema}".append_to_streams($1, $2, $3, $4, $5, $6, $7)`,
    ),
    readStreamForwards: preparedStatement(
      `SELECT ${EVENT_COLUMNS} FROM ${events} e WHERE e.stream_name = $1 AND e.revision >= $2::bigint ORDER BY e.revision LIMIT $3`,
    ),
    // One stream at a time through (stream_name, revision): as a plain join, a generic plan (the array's
    // length unknown) on a table without statistics yet (a new installation's first minutes) hashed the
    // wanted names and scanned the whole table, 226 ms a call for 700 streams under bench/engine.
    readStreams:
      preparedStatement(`SELECT ${EVENT_COLUMNS} FROM unnest($1::text[], $2::bigint[]) AS r(wanted, from_revision)
      CROSS JOIN LATERAL (SELECT * FROM ${events} s WHERE s.stream_name = r.wanted AND s.revision >= r.from_revision
                          ORDER BY s.revision) e
      ORDER BY e.stream_name, e.revision`),
    readStreamBackwards: preparedStatement(
      `SELECT ${EVENT_COLUMNS} FROM ${events} e WHERE e.stream_name = $1 AND e.revision <= $2::bigint ORDER BY e.revision DESC LIMIT $3`,
    ),
    streamExists: preparedStatement(`SELECT 1 FROM ${events} WHERE stream_name = $1 LIMIT 1`),
    readAllForwards: preparedStatement(`
      WITH visible AS (
        SELECT ${barrier} AS barrier, ${heldBack} AS held_back
      ),
      page AS (
        SELECT e.position AS sort_key, ${EVENT_COLUMNS} FROM ${events} e
         WHERE e.position > $1::bigint AND e.position < (SELECT barrier FROM visible)
           AND ($3::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest($3::text[]) AS prefix WHERE starts_with(e.stream_name, prefix)))
           AND ($4::text[] IS NULL OR e.event_type = ANY($4::text[]))
         ORDER BY e.position LIMIT $2
      )
      SELECT visible.barrier::text AS barrier, visible.held_back, page.*
        FROM visible LEFT JOIN page ON true
       ORDER BY page.sort_key`),
    readAllBackwards: preparedStatement(`
      SELECT ${EVENT_COLUMNS} FROM ${events} e
       WHERE e.position < least($1::bigint, ${barrier})
       ORDER BY e.position DESC LIMIT $2`),
  };
}

function connectionSettingsOf(pool: Pool): ClientConfig {
  const { connectionString, host, port, user, password, database, ssl } = pool.options;
  if (typeof password === 'function')
    throw new EventStoreValidationError(
      'A pool with a password function needs a connectionString too',
      'pool',
    );
  return { connectionString, host, port, user, password, database, ssl };
}

function encodeExpectedRevision(expected: ExpectedRevision): string {
  switch (expected) {
    case 'no_stream':
      return '-1';
    case 'any':
      return '-2';
    case 'stream_exists':
      return '-3';
    default:
      return expected.toString();
  }
}

function isPgError(error: unknown): error is { code: string; detail?: string } {
  return (
    typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
  );
}
