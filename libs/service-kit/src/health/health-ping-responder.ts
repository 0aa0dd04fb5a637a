import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Topics, type HealthMessage, type HealthPong } from '@spark/contracts';
import { type ConsumerHandle, KafkaMessaging } from '@spark/messaging';
import type { Logger } from 'pino';
import { LOGGER, SERVICE_CONFIG } from '../bootstrap/tokens';
import type { ServiceConfig } from '../config';
import { consumerJoinedCheck, ReadinessRegistry } from './readiness';

const PING_MAX_AGE_MS = 60_000;

/**
 * Answers pings on `spark.health` so a checker can prove the service is reachable through
 * Kafka, not only over HTTP. Each service has its own consumer group, so every service sees
 * every ping and one instance of each answers.
 */
@Injectable()
export class HealthPingResponder implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: ConsumerHandle;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly messaging: KafkaMessaging,
    private readonly readiness: ReadinessRegistry,
  ) {}

  async onApplicationBootstrap() {
    this.consumer = await this.messaging.consume({
      groupId: `spark-${this.config.service}-health`,
      topics: [Topics.health],
      // A new group starts at the beginning so no ping sent while it joins is missed;
      // pings older than PING_MAX_AGE_MS have no one waiting for them any more.
      fromBeginning: true,
      maxAttempts: 3,
      handle: async (message) => {
        const ping = parseHealthMessage(message.value);
        if (ping?.kind !== 'ping' || Date.now() - Date.parse(ping.sentAt) > PING_MAX_AGE_MS) return;
        const pong: HealthPong = {
          kind: 'pong',
          nonce: ping.nonce,
          service: this.config.service,
          instanceId: this.config.instanceId,
          pid: process.pid,
          version: this.config.version,
          answeredAt: new Date().toISOString(),
        };
        await this.messaging.publish(Topics.health, [{ key: ping.nonce, value: JSON.stringify(pong) }]);
        this.logger.debug({ nonce: ping.nonce }, 'answered health ping');
      },
    });
    this.readiness.add(consumerJoinedCheck('kafka-health-consumer', () => this.consumer));
  }

  async onApplicationShutdown() {
    await this.consumer?.stop();
  }
}

function parseHealthMessage(value: Buffer | null): HealthMessage | undefined {
  if (!value) return undefined;
  try {
    const parsed = JSON.parse(value.toString('utf8')) as Partial<HealthMessage>;
    return parsed.kind === 'ping' || parsed.kind === 'pong' ? (parsed as HealthMessage) : undefined;
  } catch {
    return undefined;
  }
}
