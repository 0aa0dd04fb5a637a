import { Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { KafkaMessaging } from '@spark/messaging';
import {
  consumerJoinedCheck,
  LOGGER,
  MetricsRegistry,
  ReadinessRegistry,
  SparkServiceModule,
} from '@spark/service-kit';
import type { Logger } from 'pino';
import { loadSchedulerSettings, SchedulerEngine } from './engine';

@Module({
  imports: [SparkServiceModule.forService('scheduler')],
  providers: [
    {
      provide: SchedulerEngine,
      inject: [KafkaMessaging, LOGGER, MetricsRegistry],
      useFactory: (messaging: KafkaMessaging, logger: Logger, metrics: MetricsRegistry) =>
        SchedulerEngine.create(loadSchedulerSettings(), messaging, logger, metrics),
    },
  ],
})
export class SchedulerModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly engine: SchedulerEngine,
    private readonly readiness: ReadinessRegistry,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap() {
    this.readiness.add({
      name: 'postgres',
      check: async () => void (await this.engine.pool.query('SELECT 1')),
    });
    this.readiness.add({
      name: 'event-store',
      check: async () => void (await this.engine.store.readAll({ maxCount: 1 })),
    });
    this.readiness.add(consumerJoinedCheck('scheduler-consumer', () => this.engine.consumer));
    await this.engine.start();
    this.logger.info('scheduler engine started');
  }

  async onApplicationShutdown() {
    await this.engine.stop();
  }
}
