import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { KafkaMessaging } from '@spark/messaging';
import { openEventStore } from '@spark/engine';
import { type EventStore } from '@spark/event-store';
import {
  ExecutorOpener,
  LOGGER,
  MetricsRegistry,
  ReadinessRegistry,
  SERVICE_CONFIG,
  type ServiceConfig,
  SparkServiceModule,
} from '@spark/service-kit';
import { type Pool } from 'pg';
import type { Logger } from 'pino';
import { createPgPool, pgUrlFromEnv } from '@spark/postgres';
import { DirectorySecretResolver, DirectorySourceResolver, EventStoreSourceDirectory } from './directory';
import { createExecutor, type ExecutorComponents } from './executor-components';
import { executorSchema, PgStartClaims } from './rate-limits';
import { EnvironmentSourceResolver, FirstMatchSourceResolver } from './sources';
import { loadDirectorySettings, loadExecutorSettings } from './settings';
import { CancellationListener, TaskConsumer } from './task-consumer';
import { TaskRunner } from './runtime';

const EXECUTOR = Symbol('ExecutorComponents');
const CLAIMS_POOL = Symbol('ClaimsPool');
const DIRECTORY_STORE = Symbol('DirectoryStore');

@Module({
  imports: [SparkServiceModule.forService('executor')],
  providers: [
    // Sources and secrets registered through the gateway: its streams in the event store (ADR 0134).
    {
      provide: DIRECTORY_STORE,
      // Only read here, and not migrated: the executor starts (and runs what needs no source) while PostgreSQL is
      // down, and the directory's reads retry until it is back.
      useFactory: () =>
        openEventStore(loadDirectorySettings().eventStore, 'spark-executor', { migrate: false }),
    },
    {
      provide: EventStoreSourceDirectory,
      inject: [DIRECTORY_STORE, LOGGER],
      useFactory: (store: EventStore, logger: Logger) => {
        const directory = new EventStoreSourceDirectory(store, logger);
        directory.start();
        return directory;
      },
    },
    // Rate-limited starts are claimed in the executor's own schema (docs/adr/0127); connected on first use.
    { provide: CLAIMS_POOL, useFactory: () => createPgPool(pgUrlFromEnv(), 'spark-executor') },
    {
      provide: EXECUTOR,
      inject: [
        KafkaMessaging,
        SERVICE_CONFIG,
        LOGGER,
        ReadinessRegistry,
        MetricsRegistry,
        EventStoreSourceDirectory,
        CLAIMS_POOL,
      ],
      useFactory: (
        messaging: KafkaMessaging,
        config: ServiceConfig,
        logger: Logger,
        readiness: ReadinessRegistry,
        metrics: MetricsRegistry,
        directory: EventStoreSourceDirectory,
        claimsPool: Pool,
      ) => {
        const { privateKeys } = loadDirectorySettings();
        const opener = privateKeys ? new ExecutorOpener(privateKeys) : undefined;
        if (!opener)
          logger.warn('SPARK_EXECUTOR_PRIVATE_KEYS is not set: secrets and source API keys cannot be opened');
        const sources = new FirstMatchSourceResolver([
          new DirectorySourceResolver(directory, opener),
          new EnvironmentSourceResolver(),
        ]);
        const executor = createExecutor({
          sources,
          secrets: new DirectorySecretResolver(directory, opener),
          messaging,
          settings: loadExecutorSettings(),
          logger,
          workerId: config.instanceId,
          // Leave a little of the shutdown budget for publishing the last results and closing Kafka.
          shutdownGraceMs: Math.max(0, config.shutdownTimeoutMs - 2000),
          metrics,
          startClaims: new PgStartClaims(claimsPool, executorSchema()),
        });
        readiness.add({ name: 'task-consumer', check: () => executor.consumer.checkReady() });
        return executor;
      },
    },
    {
      provide: TaskConsumer,
      inject: [EXECUTOR],
      useFactory: (executor: ExecutorComponents) => executor.consumer,
    },
    {
      provide: CancellationListener,
      inject: [EXECUTOR],
      useFactory: (executor: ExecutorComponents) => executor.cancellations,
    },
    {
      provide: TaskRunner,
      inject: [EXECUTOR],
      useFactory: (executor: ExecutorComponents) => executor.runner,
    },
  ],
})
export class ExecutorModule implements OnApplicationShutdown {
  constructor(
    @Inject(EXECUTOR) private readonly executor: ExecutorComponents,
    private readonly directory: EventStoreSourceDirectory,
    @Inject(DIRECTORY_STORE) private readonly directoryStore: EventStore,
    @Inject(CLAIMS_POOL) private readonly claimsPool: Pool,
  ) {}

  async onApplicationShutdown() {
    this.executor.circuits.shutdown();
    await this.directory.stop();
    await this.directoryStore.close();
    await this.claimsPool.end();
  }
}
