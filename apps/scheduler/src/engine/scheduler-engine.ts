import path from 'node:path';
import { runStreamName, Topics } from '@spark/contracts';
import {
  type AppendedStream,
  DeciderRepository,
  openEventStore,
  scheduleRepository,
  WorkflowCatalog,
} from '@spark/engine';
import { type EventStore } from '@spark/event-store';
import { type ConsumerHandle, type KafkaMessaging } from '@spark/messaging';
import { createPgPool, runPostgresMigrations } from '@spark/postgres';
import { runDecider, type RunCommand, type RunEvent, type RunState } from '@spark/workflow-domain';
import { type Pool } from 'pg';
import type { Logger } from 'pino';
import { AdvisoryLockLeadership, type MetricsRegistry } from '@spark/service-kit';
import { ConcurrencyCoordinator } from '../concurrency';
import { RateLimitCoordinator } from '../rate-limit';
import { StartControlCoordinator } from '../start-control';
import {
  concurrencyGauges,
  rateLimitGauges,
  ScheduleMetrics,
  SchedulerMetrics,
  startControlGauges,
} from '../metrics';
import { OutboxRelay, RelayCheckpoint } from '../relay';
import { FaultInjection } from '../faults';
import { RunCommandProcessor } from '../run-commands';
import { ScheduleFiring, scheduleTimerQueue, ScheduleTimerStore } from '../schedules';
import { runTimerQueue, TimerPoller, TimerStore } from '../timers';
import { type SchedulerSettings } from './scheduler-settings';

export const SCHEDULER_CONSUMER_GROUP = 'spark-scheduler';

/**
 * The scheduler's moving parts: every instance consumes commands and task results (Kafka spreads
 * runs over instances by key); one instance at a time, the leader, relays the event store to Kafka
 * and fires timers.
 */
export class SchedulerEngine {
  private consumerHandle?: ConsumerHandle;

  private constructor(
    readonly store: EventStore,
    readonly pool: Pool,
    readonly processor: RunCommandProcessor,
    readonly relay: OutboxRelay,
    readonly timers: TimerStore,
    readonly poller: TimerPoller,
    readonly schedulePoller: TimerPoller,
    readonly leadership: AdvisoryLockLeadership,
    private readonly messaging: KafkaMessaging,
    private readonly settings: SchedulerSettings,
  ) {}

  static async create(
    settings: SchedulerSettings,
    messaging: KafkaMessaging,
    logger: Logger,
    metricsRegistry?: MetricsRegistry,
  ): Promise<SchedulerEngine> {
    await runPostgresMigrations({
      connection: settings.pgUrl,
      schema: settings.schema,
      dir: path.join(__dirname, '../migrations'),
    });
    const pool = createPgPool(settings.pgUrl, 'spark-scheduler');
    const timers = new TimerStore(pool, settings.schema);
    const metrics = metricsRegistry && new SchedulerMetrics(metricsRegistry, () => timers.count());
    const opened = await openEventStore(settings.eventStore, 'spark-scheduler');
    const store = metrics ? metrics.instrument(opened) : opened;
    // What this instance appends goes straight to its relay when it is the leader (relayAhead).
    let relayAhead: (streams: AppendedStream[]) => void = () => undefined;
    const runs = new DeciderRepository<RunState, RunCommand, RunEvent>(store, runDecider, runStreamName, {
      cacheSize: settings.runCacheSize,
      onAppended: (streams) => relayAhead(streams),
      // Hot state follows partition ownership, and a stale state's "nothing to do" would leave a run
      // stuck (a timer or a result ignored); a heartbeat is often a no-op, and one ignored costs at most an
      // early heartbeat timeout (docs/adr/0042, last addendum).
      recheckWhenUnchanged: (command) => command.type !== 'RecordHeartbeat',
    });
    const scheduleTimers = new ScheduleTimerStore(pool, settings.schema);
    const scheduleMetrics =
      metricsRegistry && new ScheduleMetrics(metricsRegistry, () => scheduleTimers.count());
    const scheduleFiring = new ScheduleFiring(
      scheduleRepository(store, undefined, (streams) => relayAhead(streams)),
      logger,
      () => new Date(),
      scheduleMetrics && { decided: scheduleMetrics.decided },
      async (writes) => {
        await scheduleTimers.apply(writes);
        schedulePoller.nudgeForEarliest(writes.upserts.map((timer) => timer.fireAt));
      },
    );
    const processor = new RunCommandProcessor(
      runs,
      new WorkflowCatalog(store),
      logger,
      () => new Date(),
      metrics && { decided: metrics.decided },
      (finished) => scheduleFiring.recordRunFinished(finished),
    );
    const poller = new TimerPoller(runTimerQueue(timers, messaging), logger);
    const concurrency = new ConcurrencyCoordinator(store);
    if (metricsRegistry) concurrencyGauges(metricsRegistry, concurrency);
    const rateLimits = new RateLimitCoordinator(store);
    if (metricsRegistry) rateLimitGauges(metricsRegistry, rateLimits);
    const startControl = new StartControlCoordinator(store);
    if (metricsRegistry) startControlGauges(metricsRegistry, startControl);
    const schedulePoller = new TimerPoller(
      scheduleTimerQueue(scheduleTimers, scheduleFiring),
      logger,
      () => new Date(),
      'schedule-timer',
    );
    const relay = new OutboxRelay(
      store,
      messaging,
      new RelayCheckpoint(pool, settings.schema, 'run-relay'),
      timers,
      poller,
      logger,
      { timers: scheduleTimers, poller: schedulePoller, firing: scheduleFiring },
      () => new Date(),
      FaultInjection.fromEnv(),
      concurrency,
      startControl,
      rateLimits,
    );
    relayAhead = (streams) => relay.relayAhead(streams);
    const leadership = new AdvisoryLockLeadership(
      settings.pgUrl,
      `spark-scheduler-relay:${settings.schema}`,
      logger,
    );
    return new SchedulerEngine(
      store,
      pool,
      processor,
      relay,
      timers,
      poller,
      schedulePoller,
      leadership,
      messaging,
      settings,
    );
  }

  async start(): Promise<void> {
    this.leadership.start(async () => {
      await this.relay.start();
      this.poller.start();
      this.schedulePoller.start();
      return async () => {
        await this.schedulePoller.stop();
        await this.poller.stop();
        await this.relay.stop();
      };
    });
    this.consumerHandle = await this.messaging.consume({
      groupId: SCHEDULER_CONSUMER_GROUP,
      topics: [Topics.commands, Topics.taskResults],
      fromBeginning: true,
      partitionConcurrency: this.settings.concurrency,
      handleBatch: (batch) => this.processor.processBatch(batch),
      onAssignmentChange: (change) => this.processor.onAssignmentChange(change),
    });
  }

  get consumer(): ConsumerHandle | undefined {
    return this.consumerHandle;
  }

  async stop(): Promise<void> {
    await this.consumerHandle?.stop();
    await this.leadership.stop();
    await this.store.close();
    await this.pool.end();
  }
}
