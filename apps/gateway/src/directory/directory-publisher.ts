import {
  type DirectoryRemovedData,
  secretAssociatedData,
  type SecretDefinedData,
  secretStreamName,
  SOURCE_DIRECTORY_EVENTS,
  sourceKeyAssociatedData,
  type SourceDefinedData,
  sourceStreamName,
} from '@spark/contracts';
import { type EventStore, type JsonValue, type NewEvent, type RecordedEvent } from '@spark/event-store';
import { type ExecutorSealer, type SecretBox } from '@spark/service-kit';
import { type Pool, type PoolClient } from 'pg';
import type { Logger } from 'pino';
import { v5 as uuidv5 } from 'uuid';

/** Namespace of directory event ids (a fixed random UUID): one id per stream and change number. */
const DIRECTORY_EVENT_NAMESPACE = '3d0a8f52-6c41-4b7e-9a15-7e2c4b9d0f63';

export type DirectoryKind = 'source' | 'secret';

/** The columns of a `sources` row the executors need (plus its change number). */
export interface SourceRowForDirectory {
  name: string;
  kind: string;
  base_url: string;
  api_key_iv: Buffer | null;
  api_key_cipher: Buffer | null;
  api_key_tag: Buffer | null;
  change: string | number;
}

export interface SecretRowForDirectory {
  name: string;
  value_iv: Buffer;
  value_cipher: Buffer;
  value_tag: Buffer;
  change: string | number;
}

type Row<K extends DirectoryKind> = K extends 'source' ? SourceRowForDirectory : SecretRowForDirectory;

const streamOf = (kind: DirectoryKind, name: string) =>
  kind === 'source' ? sourceStreamName(name) : secretStreamName(name);

/** The event of a name with the highest change number (the one readers keep). */
export function newestDirectoryEvent(events: readonly RecordedEvent[]): RecordedEvent | undefined {
  let newest: RecordedEvent | undefined;
  for (const event of events) if (!newest || changeOf(event) > changeOf(newest)) newest = event;
  return newest;
}

const changeOf = (event: RecordedEvent): number => (event.data as { change?: number }).change ?? -1;

/**
 * Publishes the gateway's sources and secrets to the executors' streams (docs/adr/0134). A create or
 * update commits its row first and publishes after; a removal publishes inside the transaction that
 * deletes the row. `reconcile` (at start and every few seconds) publishes what a failed append or a
 * crash left behind, and re-seals values sealed to an executor key other than the configured one.
 */
export class DirectoryPublisher {
  constructor(
    private readonly store: EventStore,
    private readonly pool: Pool,
    private readonly schema: string,
    private readonly box: SecretBox | undefined,
    private readonly sealer: ExecutorSealer | undefined,
    private readonly logger: Logger,
  ) {}

  /** Whether a value can be sealed for the executors at all (no SPARK_EXECUTOR_PUBLIC_KEY: no). */
  get canSeal(): boolean {
    return this.sealer !== undefined;
  }

  private table(kind: DirectoryKind): string {
    return `"${this.schema}"."${kind === 'source' ? 'sources' : 'secrets'}"`;
  }

  /** SQL for the next change number. */
  get nextChange(): string {
    return `nextval('"${this.schema}".directory_changes')`;
  }

  /**
   * After a committed create or update: the row's state on its stream. A failed append is logged and
   * left to the reconcile (the row is saved; executors see it within one reconcile interval).
   */
  async published<K extends DirectoryKind>(kind: K, row: Row<K>): Promise<void> {
    try {
      await this.append(kind, row.name, this.definedEvent(kind, row));
    } catch (error) {
      this.logger.warn(
        { err: error, [kind]: row.name },
        `${kind} saved, but not yet published to executors: the reconcile will`,
      );
    }
  }

  /** Inside the deleting transaction: the removal on the stream (a failure rolls the delete back). */
  async removed(kind: DirectoryKind, name: string, client: PoolClient): Promise<void> {
    const { rows } = await client.query<{ change: string }>(`SELECT ${this.nextChange} AS change`);
    const data: DirectoryRemovedData = { name, change: Number(rows[0]!.change) };
    const type =
      kind === 'source' ? SOURCE_DIRECTORY_EVENTS.sourceRemoved : SOURCE_DIRECTORY_EVENTS.secretRemoved;
    await this.append(kind, name, { type, data: data as unknown as JsonValue });
  }

  /** Makes every stream agree with its row; returns how many rows it published. Idempotent. */
  async reconcile(): Promise<number> {
    let published = 0;
    for (const kind of ['source', 'secret'] as const) {
      const { rows } = await this.pool.query<Row<typeof kind>>(`SELECT * FROM ${this.table(kind)}`);
      if (rows.length === 0) continue;
      const streams = await this.store.readStreams(rows.map((row) => streamOf(kind, row.name)));
      for (const row of rows) {
        try {
          if (await this.reconcileRow(kind, row, streams.get(streamOf(kind, row.name)) ?? [])) published++;
        } catch (error) {
          this.logger.warn({ err: error, [kind]: row.name }, `${kind} not published to executors`);
        }
      }
    }
    return published;
  }

  /** Whether the row had to be published. */
  private async reconcileRow(
    kind: DirectoryKind,
    row: Row<DirectoryKind>,
    events: RecordedEvent[],
  ): Promise<boolean> {
    const newest = newestDirectoryEvent(events);
    const change = Number(row.change);
    const sealedTo = (
      newest?.data as { apiKey?: { keyId: string }; value?: { keyId: string } } | undefined
    )?.[kind === 'source' ? 'apiKey' : 'value']?.keyId;
    const resealed = sealedTo !== undefined && this.sealer !== undefined && sealedTo !== this.sealer.keyId;
    const current =
      newest !== undefined && changeOf(newest) === change && newest.type.endsWith('Defined') && !resealed;
    if (current) return false;
    if (this.needsSealer(kind, row) && !this.sealer) {
      this.logger.warn({ [kind]: row.name }, `${kind} not published: no SPARK_EXECUTOR_PUBLIC_KEY`);
      return false;
    }
    let toPublish: Row<DirectoryKind> | undefined = row;
    // A stream ahead of its row (a removal whose delete did not commit) or a re-seal: a new number,
    // taken only if no other write changed the row meanwhile (that write publishes itself).
    if (newest !== undefined && (changeOf(newest) >= change || resealed)) {
      const bumped = await this.pool.query<Row<DirectoryKind>>(
        `UPDATE ${this.table(kind)} SET change = ${this.nextChange} WHERE name = $1 AND change = $2 RETURNING *`,
        [row.name, row.change],
      );
      toPublish = bumped.rows[0];
      if (!toPublish) return false;
    }
    await this.append(kind, row.name, this.definedEvent(kind, toPublish));
    return true;
  }

  private needsSealer(kind: DirectoryKind, row: Row<DirectoryKind>): boolean {
    return kind === 'secret' || (row as SourceRowForDirectory).api_key_cipher !== null;
  }

  private definedEvent(kind: DirectoryKind, row: Row<DirectoryKind>): NewEvent {
    const change = Number(row.change);
    if (kind === 'source') {
      const source = row as SourceRowForDirectory;
      const apiKey =
        source.api_key_cipher && source.api_key_iv && source.api_key_tag
          ? this.reseal(
              { iv: source.api_key_iv, ciphertext: source.api_key_cipher, tag: source.api_key_tag },
              sourceKeyAssociatedData(source.name),
            )
          : null;
      const data: SourceDefinedData = {
        name: source.name,
        change,
        kind: source.kind,
        baseUrl: source.base_url,
        apiKey,
      };
      return { type: SOURCE_DIRECTORY_EVENTS.sourceDefined, data: data as unknown as JsonValue };
    }
    const secret = row as SecretRowForDirectory;
    const data: SecretDefinedData = {
      name: secret.name,
      change,
      value: this.reseal(
        { iv: secret.value_iv, ciphertext: secret.value_cipher, tag: secret.value_tag },
        secretAssociatedData(secret.name),
      ),
    };
    return { type: SOURCE_DIRECTORY_EVENTS.secretDefined, data: data as unknown as JsonValue };
  }

  /** From the gateway's at-rest key to the executors' public key (the same additional data). */
  private reseal(sealed: { iv: Buffer; ciphertext: Buffer; tag: Buffer }, associatedData: string) {
    if (!this.box) throw new Error('a stored value cannot be read: the gateway has no SPARK_SECRETS_KEY');
    if (!this.sealer)
      throw new Error('a value cannot be sealed: the gateway has no SPARK_EXECUTOR_PUBLIC_KEY');
    return { ...this.sealer.seal(this.box.open(sealed, associatedData), associatedData) };
  }

  private async append(kind: DirectoryKind, name: string, event: NewEvent): Promise<void> {
    const stream = streamOf(kind, name);
    const change = (event.data as { change: number }).change;
    await this.store.appendToStream(
      stream,
      [{ ...event, id: uuidv5(`${stream}:${change}`, DIRECTORY_EVENT_NAMESPACE) }],
      {
        expectedRevision: 'any',
      },
    );
  }
}
