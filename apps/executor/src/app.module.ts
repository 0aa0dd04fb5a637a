import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { KafkaMessaging } from '@spark/messaging';
import {
  LOGGER,
  MetricsRegistry,
  ReadinessRegistry,
  SERVICE_CONFIG,
  type ServiceConfig,
  SparkServiceModule,
} from '@spark/service-kit';
import type { Logger } from 'pino';
import { createExecutor, type ExecutorComponents } from './executor-components';
import { loadExecutorSettings } from './settings';
import { CancellationListener, TaskConsumer } from './task-consumer';
import { TaskRunner } from './runtime';

const EXECUTOR = Symbol('ExecutorComponents');

@Module({
  imports: [SparkServiceModule.forService('executor')],
  providers: [
    {
      provide: EXECUTOR,
      inject: [KafkaMessaging, SERVICE_CONFIG, LOGGER, ReadinessRegistry, MetricsRegistry],
      useFactory: (
        messaging: KafkaMessaging,
        config: ServiceConfig,
        logger: Logger,
        readiness: ReadinessRegistry,
        metrics: MetricsRegistry,
      ) => {
        const executor = createExecutor({
          messaging,
          settings: loadExecutorSettings(),
          logger,
          workerId: config.instanceId,
          // Leave a little of the shutdown budget for publishing the last results and closing Kafka.
          shutdownGraceMs: Math.max(0, config.shutdownTimeoutMs - 2000),
          metrics,
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
  constructor(@Inject(EXECUTOR) private readonly executor: ExecutorComponents) {}

  onApplicationShutdown() {
    this.executor.circuits.shutdown();
  }
}
