import { Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { KafkaMessaging } from '@spark/messaging';
import { LOGGER, MetricsRegistry, ReadinessRegistry, SparkServiceModule } from '@spark/service-kit';
import type { Logger } from 'pino';
import { ProjectorEngine } from './projection';
import { loadProjectorSettings } from './projector-settings';

@Module({
  imports: [SparkServiceModule.forService('projector')],
  providers: [
    {
      provide: ProjectorEngine,
      inject: [KafkaMessaging, LOGGER],
      useFactory: (messaging: KafkaMessaging, logger: Logger) =>
        ProjectorEngine.create(loadProjectorSettings(), messaging, logger),
    },
  ],
})
export class ProjectorModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly engine: ProjectorEngine,
    private readonly readiness: ReadinessRegistry,
    private readonly metrics: MetricsRegistry,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap() {
    // The projection lag gauges stay hand-written; /metrics (service-kit) serves them after its own.
    this.metrics.addExposition(() => this.engine.metrics());
    this.readiness.add({
      name: 'postgres',
      check: async () => void (await this.engine.pool.query('SELECT 1')),
    });
    this.readiness.add({
      name: 'event-store',
      check: async () => void (await this.engine.store.readAll({ maxCount: 1 })),
    });
    this.engine.start();
    this.logger.info('projector started (projects while it holds the leadership lock)');
  }

  async onApplicationShutdown() {
    await this.engine.stop();
  }
}
