import { RUN_STREAM_PREFIX, Topics, toCloudEventMessage } from '@spark/contracts';
import { type EventStore, type EventSubscription, type RecordedEvent } from '@spark/event-store';
import { type OutgoingMessage } from '@spark/messaging';
import {
  advanceCheckpoint,
  CheckpointConflictError,
  loadCheckpoint,
  PROJECTED_STREAM_PREFIXES,
  ProjectionApplier,
  PUBLIC_EVENTS_CHECKPOINT,
  READ_MODEL_CHECKPOINT,
} from '@spark/read-model';
import { type Pool } from 'pg';
import type { Logger } from 'pino';
import { toPublicEvent } from '../public-events';
import { inBatches } from './batches';
import { startProjectionSpans } from './projection-spans';

/** Where public events go; `KafkaMessaging` in the service, a double in tests. */
export interface PublicEventSink {
  publish(topic: string, messages: OutgoingMessage[]): Promise<void>;
}

export interface ProjectionRunnerOptions {
  batchSize: number;
  batchWindowMs: number;
  /** Undefined: no public events. */
  sink?: PublicEventSink;
  topic?: string;
}

/** The last event the runner applied, for the lag metric. */
export interface ProjectionProgress {
  position: bigint;
  recordedAt: Date;
}

/**
 * Follows the event store's global log and keeps the read model in `schema` up to date, one
 * transaction per batch (rows + checkpoint, compare-and-set). Then it publishes the batch's public
 * events and moves their own checkpoint: at least once, in run order (docs/adr/0050). After a crash
 * between the two it resumes from the lower checkpoint and only publishes what the read model has.
 *
 * The two stages overlap by one batch: a batch's public events go out while the next batch is
 * applied, and that next batch waits for them before it publishes (order kept, at most one batch
 * published ahead of the read model's next transaction).
 */
export class ProjectionRunner {
  private subscription?: EventSubscription;
  private loop?: Promise<void>;
  private stopped = false;
  private readModelAt = -1n;
  private publishedAt = -1n;
  private lastApplied?: ProjectionProgress;
  private appliedEvents = 0;
  private caughtUpWaiters: { position: bigint; resolve: () => void }[] = [];
  /** The latest batch's publish (and its checkpoint), which the next batch's publish follows. */
  private publishing: Promise<void> = Promise.resolve();
  readonly applier: ProjectionApplier;

  constructor(
    private readonly store: EventStore,
    private readonly pool: Pool,
    readonly schema: string,
    private readonly options: ProjectionRunnerOptions,
    private readonly logger: Logger,
  ) {
    this.applier = new ProjectionApplier(pool, schema);
  }

  get progress(): ProjectionProgress | undefined {
    return this.lastApplied;
  }

  get checkpoint(): bigint {
    return this.readModelAt;
  }

  get eventsApplied(): number {
    return this.appliedEvents;
  }

  start(): void {
    this.stopped = false;
    this.loop = this.followForever();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.close();
    await this.loop;
    // A publish still in flight finishes (or fails, and is repeated from its checkpoint next time).
    await this.publishing.catch(() => undefined);
  }

  /** Resolves once the read model (and publishing, if on) has reached `position`. */
  waitFor(position: bigint): Promise<void> {
    if (this.doneUpTo() >= position) return Promise.resolve();
    return new Promise((resolve) => this.caughtUpWaiters.push({ position, resolve }));
  }

  private doneUpTo(): bigint {
    return this.options.sink && this.publishedAt < this.readModelAt ? this.publishedAt : this.readModelAt;
  }

  private async followForever(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.publishing.catch(() => undefined);
        this.publishing = Promise.resolve();
        this.readModelAt = await loadCheckpoint(this.pool, this.schema, READ_MODEL_CHECKPOINT);
        this.publishedAt = this.options.sink
          ? await loadCheckpoint(this.pool, this.schema, PUBLIC_EVENTS_CHECKPOINT)
          : this.readModelAt;
        const from = this.publishedAt < this.readModelAt ? this.publishedAt : this.readModelAt;
        this.logger.info(
          { readModel: this.readModelAt.toString(), publicEvents: this.publishedAt.toString() },
          'projector following the event store',
        );
        this.subscription = this.store.subscribeToAll({
          ...(from >= 0n ? { fromPosition: from } : {}),
          filter: { streamNamePrefixes: [...PROJECTED_STREAM_PREFIXES] },
        });
        for await (const batch of inBatches(
          this.subscription,
          this.options.batchSize,
          this.options.batchWindowMs,
        )) {
          await this.handle(batch);
          if (this.stopped) break;
        }
      } catch (error) {
        if (this.stopped) return;
        if (error instanceof CheckpointConflictError)
          this.logger.warn({ err: error }, 'checkpoint moved under the projector; reloading');
        else this.logger.error({ err: error }, 'projection failed; resuming in 1 s');
        await this.subscription?.close().catch(() => undefined);
        await new Promise((resolve) =>
          setTimeout(resolve, error instanceof CheckpointConflictError ? 50 : 1000),
        );
      }
    }
  }

  /** Applies the batch; its publish is under way when this resolves (the previous batch's is done). */
  private async handle(batch: RecordedEvent[]): Promise<void> {
    const spans = startProjectionSpans(batch);
    let published: Promise<void>;
    try {
      ({ published } = await this.applyAndPublish(batch));
    } catch (error) {
      spans.end(error);
      throw error;
    }
    published.then(
      () => spans.end(),
      (error: unknown) => spans.end(error),
    );
  }

  /** Resolves with the batch's publish once the batch is applied and the previous batch is published. */
  private async applyAndPublish(batch: RecordedEvent[]): Promise<{ published: Promise<void> }> {
    const toApply = batch.filter((event) => event.position > this.readModelAt);
    let known = new Map<string, { name: string; version: number }>();
    if (toApply.length > 0) {
      const applied = await this.applier.applyBatch(toApply, this.readModelAt);
      known = applied.runWorkflows;
      this.readModelAt = applied.position;
      const last = toApply.at(-1)!;
      this.lastApplied = { position: last.position, recordedAt: last.recordedAt };
      this.appliedEvents += toApply.length;
    }
    this.settleWaiters();
    if (!this.options.sink) return { published: Promise.resolve() };
    const previous = this.publishing;
    const current = previous
      .then(() =>
        this.publish(
          batch.filter((event) => event.position > this.publishedAt),
          known,
        ),
      )
      .then(() => this.settleWaiters());
    // Seen by the next batch (which waits for it) or by stop(); never left unhandled.
    current.catch(() => undefined);
    this.publishing = current;
    await previous;
    return { published: current };
  }

  /** `known`: the workflows of runs the read-model transaction just read; the others are looked up. */
  private async publish(
    events: RecordedEvent[],
    known: ReadonlyMap<string, { name: string; version: number }>,
  ): Promise<void> {
    const last = events.at(-1);
    if (!last || !this.options.sink) return;
    const runIds = [
      ...new Set(events.map((e) => e.streamName).filter((s) => s.startsWith(RUN_STREAM_PREFIX))),
    ]
      .map((s) => s.slice(RUN_STREAM_PREFIX.length))
      .filter((runId) => !known.has(runId));
    const workflows = new Map(known);
    if (runIds.length > 0) {
      const { rows } = await this.pool.query<{ id: string; workflow_name: string; workflow_version: number }>(
        `SELECT id, workflow_name, workflow_version FROM ${this.schema}.runs WHERE id = ANY($1::text[])`,
        [runIds],
      );
      for (const row of rows)
        workflows.set(row.id, { name: row.workflow_name, version: row.workflow_version });
    }
    const messages = events.flatMap((event) => {
      const published = toPublicEvent(event, workflows.get(event.streamName.slice(RUN_STREAM_PREFIX.length)));
      return published ? [toCloudEventMessage(published)] : [];
    });
    if (messages.length > 0)
      await this.options.sink.publish(this.options.topic ?? Topics.publicEvents, messages);
    await advanceCheckpoint(this.pool, this.schema, PUBLIC_EVENTS_CHECKPOINT, last.position);
    this.publishedAt = last.position;
  }

  private settleWaiters(): void {
    const done = this.doneUpTo();
    this.caughtUpWaiters = this.caughtUpWaiters.filter((waiter) => {
      if (waiter.position > done) return true;
      waiter.resolve();
      return false;
    });
  }
}
