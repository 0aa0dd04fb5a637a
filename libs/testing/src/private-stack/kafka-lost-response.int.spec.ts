import { randomUUID } from 'node:crypto';
import { KafkaMessaging } from '@spark/messaging';
import { PrivateStack } from './private-stack';

/**
 * A send whose request the broker carries out after the client has given up on it (the broker stalled
 * past the request timeout). The idempotent producer cannot know whether those messages were written;
 * a later, different send must still be written, not taken by the broker for a duplicate of the lost one
 * (kafkajs hands the failed send's sequence numbers out again). A broker of the test's own: it is paused.
 * Here rather than in libs/messaging: the private broker is this library's, and it depends on that one.
 */
describe('KafkaMessaging: a send the broker completes after the client gave up', () => {
  let stack: PrivateStack | undefined;
  let messaging: KafkaMessaging | undefined;

  beforeAll(async () => {
    stack = await PrivateStack.up('lost-response', ['kafka']);
    messaging = new KafkaMessaging({
      brokers: [stack.brokers],
      clientId: `lost-response-${randomUUID()}`,
      requestTimeoutMs: 1000,
    });
  }, 180_000);

  afterAll(async () => {
    if (stack) stack.resume('kafka');
    await messaging?.close();
    await stack?.down();
  }, 60_000);

  it('still writes the next send after a send failed with its request in the stalled broker', async () => {
    const topic = `spark.test.lost-response-${randomUUID()}`;
    await messaging!.ensureTopics([{ name: topic, partitions: 1 }]);
    await messaging!.publish(topic, [{ key: 'k', value: 'before' }]);

    stack!.pause('kafka');
    let failed: unknown;
    try {
      await messaging!.publish(topic, [{ key: 'k', value: 'while-stalled' }]);
    } catch (error) {
      failed = error;
    } finally {
      stack!.resume('kafka');
    }
    expect(failed).toBeDefined();

    // The broker, resumed, has the stalled request in its socket and writes it; the client saw a failure.
    await messaging!.publish(topic, [{ key: 'k', value: 'after' }]);

    const seen: string[] = [];
    const consumer = await messaging!.consume({
      groupId: `lost-response-${randomUUID()}`,
      topics: [topic],
      fromBeginning: true,
      handle: async (message) => void seen.push(message.value?.toString('utf8') ?? ''),
    });
    const deadline = Date.now() + 30_000;
    while (!seen.includes('after') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    await consumer.stop();
    expect(seen).toContain('before');
    expect(seen).toContain('after');
  }, 120_000);
});
