import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { TASK_LANES, TASK_TOPIC_PARTITIONS, type TaskLane, taskLaneTopic } from '@spark/contracts';
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
 * Each queue's priority lanes (`spark.tasks-high.<queue>`, `spark.tasks-low.<queue>`) have a consumer
 * and a group of their own, so a lane's next task reaches the runner's priority line however long the
 * other lanes' backlogs are (docs/adr/0121).
 */
export class TaskConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumers: ConsumerHandle[] = [];
  private allReady: Promise<void> = new Promise(() => undefined);
  private joined = false;
  private stopping = false;

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
    if (!this.joined)
      throw new Error(
        `not yet consuming ${this.lanes()
          .map(({ topic }) => topic)
          .join(', ')}`,
      );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop(this.shutdownGraceMs);
  }

  async start(): Promise<void> {
    void this.ensureLaneTopics();
    this.consumers = await Promise.all(
      this.lanes().map(({ topic, groupId, lane }) =>
        this.messaging.consume({
          groupId,
          topics: [topic],
          // A lane's partitions side by side: while one partition's batch commits and the next is
          // fetched, the others' heads still wait in the runner's priority line (docs/adr/0121).
          ...(lane === 'normal' ? {} : { partitionConcurrency: TASK_TOPIC_PARTITIONS }),
          // A run's tasks and its scheduler share a partition number (both keyed by run id); the
          // scheduler group takes round robin, so with one scheduler and one executor down, what the
          // live ones hold still overlaps and some runs go on (docs/adr/0142).
          assignment: 'ranges',
          // A group with no committed offset yet (a new installation, a new queue) must not skip what was
          // dispatched before it first joined; old dispatches past their timeout are dropped unrun.
          fromBeginning: true,
          maxAttempts: ATTEMPTS_BEFORE_DEAD_LETTER,
          retryBackoffMs: 50,
          // The attempt's own span (spark.step.attempt) is the message's: no consumer span around it.
          spanPerMessage: false,
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

  /**
   * The brokers create no topic on their own: a queue's priority lanes are created here (and by the
   * relay on first use). In the background, like the consumers, which retry until their topic exists.
   */
  private async ensureLaneTopics(): Promise<void> {
    const topics = this.lanes()
      .filter(({ lane }) => lane !== 'normal')
      .map(({ topic }) => ({ name: topic, partitions: TASK_TOPIC_PARTITIONS }));
    for (let delay = 250; !this.stopping; delay = Math.min(delay * 2, 5000)) {
      try {
        await this.messaging.ensureTopics(topics);
        return;
      } catch (error) {
        this.logger.warn(
          { err: error, topics: topics.map(({ name }) => name) },
          'cannot create lane topics yet',
        );
        await sleep(delay);
      }
    }
  }

  private lanes(): { topic: string; groupId: string; lane: TaskLane }[] {
    // The normal lane keeps the group it always had, so its committed offsets stay where they are.
    const groupOf = (queue: string, lane: TaskLane) =>
      lane === 'normal' ? this.settings.groupId : `${this.settings.groupId}.${lane}.${queue}`;
    return this.settings.queues.flatMap((queue) =>
      TASK_LANES.map((lane) => ({ topic: taskLaneTopic(queue, lane), groupId: groupOf(queue, lane), lane })),
    );
  }

  /** Stops taking dispatches, then gives running tasks the rest of the grace period (see TaskRunner.shutdown). */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
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
