import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { type TaskCancellation, Topics } from '@spark/contracts';
import type { ConsumerHandle, IncomingMessage, KafkaMessaging } from '@spark/messaging';
import type { Logger } from 'pino';
import type { TaskRunner } from '../runtime';

/**
 * Aborts the running tasks of runs that ended (`spark.task-cancellations`). Every instance must see
 * every cancellation, since the task may be running on any of them: each reads in a consumer group of
 * its own, from the latest offset (a task that was running before this instance started is not here).
 */
export class CancellationListener implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumer?: ConsumerHandle;

  constructor(
    private readonly messaging: KafkaMessaging,
    private readonly runner: TaskRunner,
    private readonly workerId: string,
    private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = await this.messaging.consume({
      groupId: `spark-executor-cancellations-${this.workerId}`,
      topics: [Topics.taskCancellations],
      fromBeginning: false,
      handle: async (message) => this.handle(message),
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }

  handle(message: IncomingMessage): void {
    let cancellation: Partial<TaskCancellation>;
    try {
      cancellation = JSON.parse(message.value?.toString('utf8') ?? '') as Partial<TaskCancellation>;
    } catch {
      this.logger.warn({ offset: message.offset }, 'ignored a task cancellation that is not JSON');
      return;
    }
    if (typeof cancellation.runId !== 'string') return;
    const aborted = this.runner.cancel(cancellation.runId);
    if (aborted > 0)
      this.logger.info(
        { runId: cancellation.runId, aborted, reason: cancellation.reason },
        'aborted the running tasks of an ended run',
      );
  }
}
