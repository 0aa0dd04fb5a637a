import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { KafkaMessaging } from '@spark/messaging';
import {
  LOGGER,
  MetricsRegistry,
  ReadinessRegistry,
  SERVICE_CONFIG,
  secretBoxFromEnv,
  type ServiceConfig,
  SparkServiceModule,
} from '@spark/service-kit';
import { type Pool } from 'pg';
import type { Logger } from 'pino';
import { createPgPool, pgUrlFromEnv } from '@spark/postgres';
import { createExecutor, type ExecutorComponents } from './executor-components';
import { executorSchema, PgStartClaims } from './rate-limits';
import {
  EnvironmentSourceResolver,
  FirstMatchSourceResolver,
  RegisteredSourceResolver,
  registeredSourcesTable,
} from './sources';
import { RegisteredSecretResolver, registeredSecretsTable } from './secrets';
import { loadExecutorSettings } from './settings';
import { CancellationListener, TaskConsumer } from './task-consumer';
import { TaskRunner } from './runtime';

const EXECUTOR = Symbol('ExecutorComponents');
const SOURCES_POOL = Symbol('SourcesPool');

@Module({
  imports: [SparkServiceModule.forService('executor')],
  providers: [
    // Sources registered through the gateway live in its PostgreSQL schema (connected on first use);
    // rate-limited starts are claimed in the executor's own schema (docs/adr/0127).
    { provide: SOURCES_POOL, useFactory: () => createPgPool(pgUrlFromEnv(), 'spark-executor') },
    {
      provide: EXECUTOR,
      inject: [KafkaMessaging, SERVICE_CONFIG, LOGGER, ReadinessRegistry, MetricsRegistry, SOURCES_POOL],
      useFactory: (
        messaging: KafkaMessaging,
        config: ServiceConfig,
        logger: Logger,
        readiness: ReadinessRegistry,
        metrics: MetricsRegistry,
        pool: Pool,
      ) => {
        const sources = new FirstMatchSourceResolver([
          new RegisteredSourceResolver(pool, registeredSourcesTable(), secretBoxFromEnv()),
          new EnvironmentSourceResolver(),
        ]);
        const executor = createExecutor({
          sources,
          secrets: new RegisteredSecretResolver(pool, registeredSecretsTable(), secretBoxFromEnv()),
          messaging,
          settings: loadExecutorSettings(),
          logger,
          workerId: config.instanceId,
          // Leave a little of the shutdown budget for publishing the last results and closing Kafka.
          shutdownGraceMs: Math.max(0, config.shutdownTimeoutMs - 2000),
          metrics,
          startClaims: new PgStartClaims(pool, executorSchema()),
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
    @Inject(SOURCES_POOL) private readonly sourcesPool: Pool,
  ) {}

  async onApplicationShutdown() {
    this.executor.circuits.shutdown();
    await this.sourcesPool.end();
  }
}
