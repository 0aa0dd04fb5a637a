import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { type KafkaTriggerResource } from '@spark/contracts';
import {
  type ConsumerHandle,
  type IncomingMessage,
  KafkaMessaging,
  PoisonMessageError,
} from '@spark/messaging';
import { LOGGER, MetricsRegistry } from '@spark/service-kit';
import type { Counter } from 'prom-client';
import type { Logger } from 'pino';
import { ProblemException } from '../problems/problem';
import { RunService } from '../runs/run-service';
import { GATEWAY_SETTINGS, type GatewaySettings } from '../settings/gateway-settings';
import { TriggerExpressionError, TriggerStore, triggerRunLabels } from '../triggers';
import { KafkaTriggerEvaluator } from './kafka-trigger-evaluator';

/** One consumer group per trigger: gateways running the same trigger share its partitions. */
export const triggerGroupId = (triggerId: string): string => `spark-trigger-${triggerId}`;

/** Identifies a message for good, so a redelivery names the run its first delivery started. */
export const kafkaTriggerIdempotencyKey = (triggerId: string, message: IncomingMessage): string =>
  `kafka:${triggerId}:${message.topic}:${message.partition}:${message.offset}`;

interface RunningTrigger {
  trigger: KafkaTriggerResource;
  consumer: ConsumerHandle;
}

type MessageOutcome = 'started' | 'filtered' | 'failed';

/**
 * Consumes the topic of every enabled Kafka trigger and starts a run per matching message. The offset is
 * committed only after Kafka has the StartRun (at-least-once), and the run id derives from the message's
 * topic, partition and offset, so a redelivered message never starts a second run.
 *
 * Triggers created, paused or deleted anywhere are noticed by re-reading the table every
 * SPARK_GATEWAY_TRIGGER_POLL_MS (changes made through this gateway at once).
 */
@Injectable()
export class KafkaTriggerRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly running = new Map<string, RunningTrigger>();
  private readonly messages: Counter<'trigger' | 'outcome'>;
  private reconciling: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private unsubscribe?: () => void;

  constructor(
    @Inject(TriggerStore) private readonly triggers: TriggerStore,
    private readonly runs: RunService,
    private readonly messaging: KafkaMessaging,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: MetricsRegistry,
  ) {
    this.messages = metrics.counter(
      'spark_trigger_messages_total',
      'Messages consumed by Kafka triggers, by trigger and outcome (started, filtered, failed).',
      ['trigger', 'outcome'],
    );
  }

  onApplicationBootstrap(): void {
    this.unsubscribe = this.triggers.onChange(() => void this.reconcile());
    void this.reconcile().finally(() => this.scheduleNext());
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.unsubscribe?.();
    await this.reconciling;
    await Promise.all([...this.running.keys()].map((id) => this.stop(id)));
  }

  /** Ids of the triggers whose topics this gateway consumes. */
  get consuming(): string[] {
    return [...this.running.keys()];
  }

  /** Brings the consumers in line with the table; one pass at a time. */
  reconcile(): Promise<void> {
    this.reconciling = this.reconciling
      .then(() => this.reconcileOnce())
      .catch((error: unknown) => {
        this.logger.warn({ err: error }, 'kafka triggers: cannot read the trigger table; retrying');
      });
    return this.reconciling;
  }

  private scheduleNext(): void {
    if (this.stopped) return;
    this.timer = setTimeout(
      () => void this.reconcile().finally(() => this.scheduleNext()),
      this.settings.triggerPollMs,
    );
  }

  private async reconcileOnce(): Promise<void> {
    if (this.stopped) return;
    const wanted = new Map(
      (await this.triggers.listKafka())
        .filter((trigger) => trigger.enabled)
        .map((trigger) => [trigger.id, trigger]),
    );
    for (const id of this.running.keys()) if (!wanted.has(id)) await this.stop(id);
    for (const trigger of wanted.values()) {
      if (this.running.has(trigger.id)) continue;
      // One trigger that cannot start (its expressions no longer compile) must not hold up the others.
      await this.start(trigger).catch((error: unknown) => {
        this.logger.error({ err: error, trigger: trigger.id }, 'kafka trigger: cannot start; retrying');
      });
    }
  }

  private async start(trigger: KafkaTriggerResource): Promise<void> {
    const evaluator = new KafkaTriggerEvaluator(trigger);
    const consumer = await this.messaging.consume({
      groupId: triggerGroupId(trigger.id),
      topics: [trigger.topic],
      external: true,
      fromBeginning: trigger.startFrom === 'earliest',
      // Transient failures (Kafka, the event store) are retried for about a minute before the message
      // goes to the dead-letter topic; messages that can never start a run go there at once.
      maxAttempts: 8,
      retryBackoffMs: 250,
      handle: (message) => this.handle(trigger, evaluator, message),
    });
    this.running.set(trigger.id, { trigger, consumer });
    this.logger.info({ trigger: trigger.id, topic: trigger.topic }, 'kafka trigger: consuming');
  }

  private async stop(id: string): Promise<void> {
    const running = this.running.get(id);
    if (!running) return;
    this.running.delete(id);
    await running.consumer.stop().catch((error: unknown) => {
      this.logger.warn({ err: error, trigger: id }, 'kafka trigger: consumer did not stop cleanly');
    });
    this.logger.info({ trigger: id, topic: running.trigger.topic }, 'kafka trigger: stopped');
  }

  private async handle(
    trigger: KafkaTriggerResource,
    evaluator: KafkaTriggerEvaluator,
    message: IncomingMessage,
  ): Promise<void> {
    const at = {
      trigger: trigger.id,
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
    };
    let verdict;
    try {
      verdict = await evaluator.evaluate(message);
    } catch (error) {
      if (!(error instanceof TriggerExpressionError)) throw error;
      this.skip(at, error.message);
    }
    if (!verdict.matched) {
      this.count(trigger, 'filtered');
      return;
    }
    try {
      await this.runs.start({
        workflow: trigger.workflow.name,
        ...(trigger.workflow.version === undefined ? {} : { version: trigger.workflow.version }),
        input: verdict.input,
        idempotencyKey: kafkaTriggerIdempotencyKey(trigger.id, message),
        labels: triggerRunLabels(trigger.id),
      });
    } catch (error) {
      // Refused starts (the input breaks the workflow's schema, the workflow is gone) never succeed.
      if (error instanceof ProblemException && error.problem.status < 500)
        this.skip(at, error.problem.detail);
      throw error;
    }
    this.count(trigger, 'started');
  }

  /** Logs, counts and dead-letters a message that can never start a run, so its partition moves on. */
  private skip(at: { trigger: string } & Record<string, unknown>, reason: string): never {
    this.messages.inc({ trigger: at.trigger, outcome: 'failed' });
    this.logger.warn({ ...at, reason }, 'kafka trigger: message skipped (sent to the dead-letter topic)');
    throw new PoisonMessageError(reason);
  }

  private count(trigger: KafkaTriggerResource, outcome: MessageOutcome): void {
    this.messages.inc({ trigger: trigger.id, outcome });
  }
}
