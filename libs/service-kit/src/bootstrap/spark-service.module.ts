import { type DynamicModule, Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { type ServiceName } from '@spark/contracts';
import { KafkaMessaging } from '@spark/messaging';
import type { Logger } from 'pino';
import { loadServiceConfig, type ServiceConfig } from '../config';
import { HealthController, HealthPingResponder, ReadinessRegistry } from '../health';
import { createLogger } from '../logging';
import { MetricsController, MetricsRegistry } from '../metrics';
import { LOGGER, SERVICE_CONFIG } from './tokens';

/**
 * What every Spark service shares: its configuration, logger, the process's one Kafka client,
 * liveness/readiness endpoints and the Kafka health-ping responder.
 */
@Global()
@Module({})
export class SparkServiceModule implements OnApplicationShutdown {
  constructor(private readonly messaging: KafkaMessaging) {}

  static forService(service: ServiceName): DynamicModule {
    return {
      module: SparkServiceModule,
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: SERVICE_CONFIG, useFactory: () => loadServiceConfig(service) },
        {
          provide: LOGGER,
          inject: [SERVICE_CONFIG],
          useFactory: (config: ServiceConfig) =>
            createLogger(config.service, config.instanceId, config.logLevel),
        },
        {
          provide: KafkaMessaging,
          inject: [SERVICE_CONFIG, LOGGER],
          useFactory: (config: ServiceConfig, logger: Logger) =>
            new KafkaMessaging(config.kafka, (level, message, extra) => logger[level](extra, message)),
        },
        {
          provide: ReadinessRegistry,
          inject: [KafkaMessaging],
          useFactory: (messaging: KafkaMessaging) => {
            const registry = new ReadinessRegistry();
            registry.add({ name: 'kafka', check: () => messaging.checkConnection() });
            return registry;
          },
        },
        {
          provide: MetricsRegistry,
          inject: [SERVICE_CONFIG],
          useFactory: (config: ServiceConfig) => new MetricsRegistry(config.service),
        },
        HealthPingResponder,
      ],
      exports: [SERVICE_CONFIG, LOGGER, KafkaMessaging, ReadinessRegistry, MetricsRegistry],
    };
  }

  async onApplicationShutdown() {
    await this.messaging.close();
  }
}
