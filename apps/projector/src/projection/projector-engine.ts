import { openEventStore } from '@spark/engine';
import { type EventStore } from '@spark/event-store';
import { type KafkaMessaging } from '@spark/messaging';
import { createPgPool } from '@spark/postgres';
import { migrateReadModel } from '@spark/read-model';
import { AdvisoryLockLeadership } from '@spark/service-kit';
import { TOPIC_PARTITIONS, Topics } from '@spark/contracts';
import { type Pool } from 'pg';
import type { Logger } from 'pino';
import { type ProjectorSettings } from '../projector-settings';
import { lagExposition, LAGGING_CHECKPOINTS, measureLag } from './projection-lag';
import { ProjectionRunner } from './projection-runner';

/** The projector's moving parts: every instance serves /metrics; only the leader projects. */
export class ProjectorEngine {
  private constructor(
    readonly store: EventStore,
    readonly pool: Pool,
    readonly runner: ProjectionRunner,
    readonly leadership: AdvisoryLockLeadership,
    private readonly settings: ProjectorSettings,
  ) {}

  static async create(
    settings: ProjectorSettings,
    messaging: KafkaMessaging,
    logger: Logger,
  ): Promise<ProjectorEngine> {
    await migrateReadModel({ connection: settings.pgUrl, schema: settings.schema });
    if (settings.publish)
      await messaging.ensureTopics([
        { name: Topics.publicEvents, partitions: TOPIC_PARTITIONS[Topics.publicEvents] },
      ]);
    const store = await openEventStore(settings.eventStore, 'spark-projector');
    const pool = createPgPool(settings.pgUrl, 'spark-projector');
    const runner = new ProjectionRunner(
      store,
      pool,
      settings.schema,
      {
        batchSize: settings.batchSize,
        batchWindowMs: settings.batchWindowMs,
        ...(settings.publish ? { sink: messaging } : {}),
      },
      logger,
    );
    // One lock per read-model schema: projections of other schemas (tests, a second deployment) run side by side.
    const leadership = new AdvisoryLockLeadership(
      settings.pgUrl,
      `spark-projector:${settings.schema}`,
      logger,
    );
    return new ProjectorEngine(store, pool, runner, leadership, settings);
  }

  start(): void {
    this.leadership.start(async () => {
      this.runner.start();
      return () => this.runner.stop();
    });
  }

  async stop(): Promise<void> {
    await this.leadership.stop();
    await this.store.close();
    await this.pool.end();
  }

  async metrics(): Promise<string> {
    const names = this.settings.publish ? LAGGING_CHECKPOINTS : LAGGING_CHECKPOINTS.slice(0, 1);
    const lags = await Promise.all(
      names.map(async (name) => ({
        name,
        lag: await measureLag(this.store, this.pool, this.settings.schema, name),
      })),
    );
    return lagExposition(lags, { leader: this.leadership.leading, eventsApplied: this.runner.eventsApplied });
  }
}
