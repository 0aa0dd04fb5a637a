import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import type { OutgoingMessage } from '../kafka/message';

/** What the publisher sends through: one request per call (KafkaMessaging.publish). */
export type PublishFn = (topic: string, messages: OutgoingMessage[]) => Promise<void>;

interface Queued {
  message: OutgoingMessage;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Sends messages one by one as callers hand them in, but while a send to a topic is in flight the
 * next messages for it wait and then go out together in one send: no added delay when idle, one
 * request for many messages under load. Each caller's promise settles with the send that carried its
 * message; order per topic is the order of the calls.
 */
export class CoalescingPublisher {
  private readonly queues = new Map<string, Queued[]>();
  private readonly draining = new Set<string>();

  constructor(
    private readonly send: PublishFn,
    private readonly maxMessagesPerSend = 1000,
  ) {}

  publish(topic: string, message: OutgoingMessage): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const queue = this.queues.get(topic) ?? [];
      queue.push({ message, resolve, reject });
      this.queues.set(topic, queue);
      // Each message carries its own trace context in its headers; the send span must not adopt the
      // context of whichever caller happened to start the drain.
      if (!this.draining.has(topic)) void context.with(ROOT_CONTEXT, () => this.drain(topic));
    });
  }

  private async drain(topic: string): Promise<void> {
    this.draining.add(topic);
    try {
      for (let queue = this.queues.get(topic); queue && queue.length > 0; queue = this.queues.get(topic)) {
        const batch = queue.splice(0, this.maxMessagesPerSend);
        try {
          await this.send(
            topic,
            batch.map((entry) => entry.message),
          );
          for (const entry of batch) entry.resolve();
        } catch (error) {
          for (const entry of batch) entry.reject(error);
        }
      }
    } finally {
      this.draining.delete(topic);
      this.queues.delete(topic);
    }
  }
}
