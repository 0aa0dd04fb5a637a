import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { taskTopic } from '@spark/contracts';
import type { ConsumerHandle, IncomingMessage, KafkaMessaging } from '@spark/messaging';
import type { Logger } from 'pino';
import type { TaskRunner } from '../runtime';
import type { ExecutorSettings } from '../settings';
import type { KafkaResultSink } from './kafka-result-sink';
import { MalformedDispatchError, parseDispatch } from './parse-dispatch';

/** Attempts per message in libs/messaging before it goes to spark.dlq: a malformed dispatch never gets better. */
const ATTEMPTS_BEFORE_DEAD_LETTER = 3;

/**
 * Takes dispatches from `spark.tasks.<queue>` (one consumer per queue, so a slow queue cannot starve
 * the others) in the `spark-executor` group and hands them to the runner. When the offset is
 * committed depends on the commit mode (docs/adr/0030-executor-consumption-and-commits.md).
 */
export class TaskConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumers: ConsumerHandle[] = [];
  private allReady: Promise<void> = new Promise(() => undefined);
  private joined = false;

  constructor(
    private readonly messaging: KafkaMessaging,
    private readonly runner: TaskRunner,
    private readonly results: KafkaResultSink,
    private readonly settings: ExecutorSettings,
    private readonly logger: Logger,
    private readonly shutdownGraceMs: number,
  ) {}

  /** Resolves once every queue's consumer has joined the group. */
  get ready(): Promise<void> {
    return this.allReady;
  }

  /** For readiness: fails at once, saying why, until every queue's consumer has joined. */
  async checkReady(): Promise<void> {
    if (!this.joined) throw new Error(`not yet consuming ${this.settings.queues.map(taskTopic).join(', ')}`);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop(this.shutdownGraceMs);
  }

  async start(): Promise<void> {
    this.consumers = await Promise.all(
      this.settings.queues.map((queue) =>
        this.messaging.consume({
          groupId: this.settings.groupId,
          topics: [taskTopic(queue)],
          // A group with no committed offset yet (a new installation, a new queue) must not skip what was
          // dispatched before it first joined; old dispatches past their timeout are dropped unrun.
          fromBeginning: true,
          maxAttempts: ATTEMPTS_BEFORE_DEAD_LETTER,
          retryBackoffMs: 50,
          handle: (message) => this.handle(message),
        }),
      ),
    );
    this.allReady = Promise.all(this.consumers.map((consumer) => consumer.ready)).then(() => {
      this.joined = true;
    });
    this.logger.info(
      { queues: this.settings.queues, groupId: this.settings.groupId, commitMode: this.settings.commitMode },
      'consuming task dispatches',
    );
  }

  /** Stops taking dispatches, then gives running tasks the rest of the grace period (see TaskRunner.shutdown). */
  async stop(graceMs: number): Promise<void> {
    const deadline = Date.now() + graceMs;
    const stopped = Promise.allSettled(this.consumers.map((consumer) => consumer.stop()));
    await Promise.race([stopped, sleep(graceMs)]);
    await this.runner.shutdown(Math.max(0, deadline - Date.now()));
    await stopped;
  }

  async handle(message: IncomingMessage): Promise<void> {
    let dispatch;
    try {
      dispatch = parseDispatch(message.value);
    } catch (error) {
      if (error instanceof MalformedDispatchError) {
        this.logger.warn(
          {
            topic: message.topic,
            partition: message.partition,
            offset: message.offset,
            reason: error.message,
          },
          'malformed task dispatch; it goes to the dead-letter topic',
        );
      }
      throw error;
    }
    this.results.carryTrace(dispatch, message.headers.traceparent);
    const started = await this.runner.start(dispatch);
    if (this.settings.commitMode === 'after-result') await started.completion;
    else
      started.completion.catch((error: unknown) =>
        this.logger.error({ err: error }, 'could not publish a task result'),
      );
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
