import { randomUUID } from 'node:crypto';
import { Topics } from '@spark/contracts';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaMessaging } from './kafka-messaging';
import type { IncomingMessage } from './message';
import { kafkaSettingsFromEnv } from './settings';

// Runs against the real broker of tools/stack (SPARK_KAFKA_BROKERS).
describe('KafkaMessaging against the real broker', () => {
  const messaging = new KafkaMessaging(kafkaSettingsFromEnv(`int-test-${process.pid}`));
  const topic = `spark.test.${randomUUID()}`;
  const createdTopics = [topic];
  const createTopic = async (partitions: number) => {
    const name = `spark.test.${randomUUID()}`;
    createdTopics.push(name);
    await messaging.ensureTopics([{ name, partitions }]);
    return name;
  };

  beforeAll(() => messaging.ensureTopics([{ name: topic, partitions: 3 }]));
  // Topics are deleted only after the producer is closed: kafkajs keeps refreshing the metadata of
  // every topic it has produced to, and a deleted one fails its later sends.
  afterAll(async () => {
    await messaging.close();
    const admin = new KafkaMessaging(kafkaSettingsFromEnv(`int-test-cleanup-${process.pid}`));
    await admin.deleteTopics(createdTopics).catch(() => undefined);
    await admin.close();
  });

  it('delivers produced messages to a consumer group, in order per key, with headers', async () => {
    const received: IncomingMessage[] = [];
    let done: () => void = () => undefined;
    const allReceived = new Promise<void>((resolve) => (done = resolve));
    const consumer = await messaging.consume({
      groupId: `int-${randomUUID()}`,
      topics: [topic],
      fromBeginning: true,
      handle: async (message) => {
        received.push(message);
        if (received.length === 20) done();
      },
    });
    const messages = Array.from({ length: 20 }, (_, i) => ({
      key: `run-${i % 2}`,
      value: JSON.stringify({ sequence: i }),
      headers: { traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` },
    }));
    await messaging.publish(topic, messages);
    await allReceived;
    await consumer.stop();

    for (const key of ['run-0', 'run-1']) {
      const sequences = received
        .filter((message) => message.key === key)
        .map((message) => (JSON.parse(message.value!.toString()) as { sequence: number }).sequence);
      expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
      expect(sequences).toHaveLength(10);
    }
    expect(received[0]!.headers.traceparent).toMatch(/^00-a{32}-b{16}-01$/);
  });

  it('commits a batch only after every message of it was handled: a new consumer of the group gets the unfinished batch again', async () => {
    const groupId = `int-${randomUUID()}`;
    const resumeTopic = await createTopic(1);
    {
      await messaging.publish(
        resumeTopic,
        [1, 2, 3].map((n) => ({ key: 'k', value: String(n) })),
      );
      const firstPass: string[] = [];
      let twoHandled: () => void = () => undefined;
      const handledTwo = new Promise<void>((resolve) => (twoHandled = resolve));
      const first = await messaging.consume({
        groupId,
        topics: [resumeTopic],
        fromBeginning: true,
        handle: async (message) => {
          const value = message.value!.toString();
          if (value === '3') {
            twoHandled();
            // Never finishes while the first consumer lives: message 3 must not be committed.
            await new Promise((resolve) => setTimeout(resolve, 3000));
            throw new Error('consumer stopped mid-message');
          }
          firstPass.push(value);
        },
        maxAttempts: 1,
      });
      await handledTwo;
      await first.stop();

      const secondPass: string[] = [];
      let gotThree: () => void = () => undefined;
      const receivedThree = new Promise<void>((resolve) => (gotThree = resolve));
      const second = await messaging.consume({
        groupId,
        topics: [resumeTopic],
        fromBeginning: true,
        handle: async (message) => {
          secondPass.push(message.value!.toString());
          gotThree();
        },
      });
      await receivedThree;
      await second.stop();
      expect(firstPass).toEqual(['1', '2']);
      // At least once: the batch that held message 3 was not committed, so it comes back from its start.
      expect(secondPass.at(-1)).toBe('3');
      expect(['1', '2', '3'].slice(3 - secondPass.length)).toEqual(secondPass);
    }
  });

  it('hands a partition its messages in batches, in offset order; a failed batch is handled again message by message', async () => {
    const batchTopic = await createTopic(1);
    const marker = randomUUID();
    await messaging.publish(
      batchTopic,
      Array.from({ length: 50 }, (_, n) => ({ key: `k${n % 5}`, value: n === 20 ? 'poison' : String(n) })),
    );
    const batches: string[][] = [];
    const handled: string[] = [];
    let allHandled: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (allHandled = resolve));
    const consumer = await messaging.consume({
      groupId: `int-batch-${marker}`,
      topics: [batchTopic],
      fromBeginning: true,
      maxAttempts: 1,
      handleBatch: async ({ messages }) => {
        const values = messages.map((message) => message.value!.toString());
        batches.push(values);
        if (values.includes('poison')) throw new Error('a poison message in the batch');
        handled.push(...values);
        if (handled.includes('49')) allHandled();
      },
    });
    await done;
    await consumer.stop();

    // The batch that held the poison message came back one message at a time; the rest in bulk.
    expect(batches.some((batch) => batch.length > 1)).toBe(true);
    expect(batches).toContainEqual(['poison']);
    const expected = Array.from({ length: 50 }, (_, n) => String(n)).filter((value) => value !== '20');
    expect([...new Set(handled)]).toEqual(expected);
  });

  it('runs different keys of a batch side by side and one key in order (keyConcurrency)', async () => {
    const keyedTopic = await createTopic(1);
    await messaging.publish(
      keyedTopic,
      Array.from({ length: 20 }, (_, n) => ({ key: `k${n % 4}`, value: String(n) })),
    );
    const seen = new Map<string, number[]>();
    let inFlight = 0;
    let mostInFlight = 0;
    let count = 0;
    let allHandled: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (allHandled = resolve));
    const consumer = await messaging.consume({
      groupId: `int-keyed-${randomUUID()}`,
      topics: [keyedTopic],
      fromBeginning: true,
      keyConcurrency: 4,
      handle: async (message) => {
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 20));
        seen.set(message.key!, [...(seen.get(message.key!) ?? []), Number(message.value!.toString())]);
        inFlight--;
        if (++count === 20) allHandled();
      },
    });
    await done;
    await consumer.stop();

    expect(mostInFlight).toBeGreaterThan(1);
    for (const [key, values] of seen) {
      expect(values).toEqual([...values].sort((a, b) => a - b));
      expect(values.every((value) => `k${value % 4}` === key)).toBe(true);
    }
  });

  it('keeps its partitions through a batch that takes longer than the session timeout (heartbeats go on)', async () => {
    const slowTopic = await createTopic(1);
    await messaging.publish(slowTopic, [{ key: 'k', value: 'slow' }]);
    const calls: string[] = [];
    let secondHandled: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (secondHandled = resolve));
    const consumer = await messaging.consume({
      groupId: `int-slow-${randomUUID()}`,
      topics: [slowTopic],
      fromBeginning: true,
      handleBatch: async ({ messages }) => {
        for (const message of messages) {
          const value = message.value!.toString();
          calls.push(value);
          // Longer than the 6 s session timeout: without heartbeats the member is dropped from the
          // group, its commit fails and the batch comes again.
          if (value === 'slow') await new Promise((resolve) => setTimeout(resolve, 8_000));
          if (value === 'next') secondHandled();
        }
      },
    });
    await consumer.ready;
    await new Promise((resolve) => setTimeout(resolve, 9_000));
    await messaging.publish(slowTopic, [{ key: 'k', value: 'next' }]);
    await done;
    await consumer.stop();
    expect(calls).toEqual(['slow', 'next']);
  }, 40_000);

  it('goes on consuming after its process stalled past the session timeout (the group moved on without it)', async () => {
    const stallTopic = await createTopic(1);
    await messaging.publish(stallTopic, [{ key: 'k', value: 'stall' }]);
    const calls: string[] = [];
    let nextHandled: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (nextHandled = resolve));
    const consumer = await messaging.consume({
      groupId: `int-stall-${randomUUID()}`,
      topics: [stallTopic],
      fromBeginning: true,
      handleBatch: async ({ messages }) => {
        for (const message of messages) {
          const value = message.value!.toString();
          calls.push(value);
          // The whole process stalls (no timer, no heartbeat) for longer than the 6 s session timeout,
          // the first time only: the member's commit is refused, and the consumer must not die of it.
          if (value === 'stall' && calls.length === 1) {
            const until = Date.now() + 8_000;
            while (Date.now() < until);
          }
          if (value === 'next') nextHandled();
        }
      },
    });
    await consumer.ready;
    await new Promise((resolve) => setTimeout(resolve, 12_000));
    await messaging.publish(stallTopic, [{ key: 'k', value: 'next' }]);
    await done;
    await consumer.stop();
    // The stalled batch was not committed, so it came again before the next message.
    expect(calls).toEqual(['stall', 'stall', 'next']);
  }, 60_000);

  it('tells a member which partitions a rebalance took from it and gave it', async () => {
    const groupTopic = await createTopic(4);
    const groupId = `int-rebalance-${randomUUID()}`;
    const changes: { member: string; assigned: number[]; revoked: number[] }[] = [];
    const member = (name: string) =>
      messaging.consume({
        groupId,
        topics: [groupTopic],
        handle: async () => undefined,
        onAssignmentChange: ({ assigned, revoked }) => {
          expect([...assigned, ...revoked].every((tp) => tp.topic === groupTopic)).toBe(true);
          changes.push({
            member: name,
            assigned: assigned.map((tp) => tp.partition).sort(),
            revoked: revoked.map((tp) => tp.partition).sort(),
          });
        },
      });
    const first = await member('first');
    await first.ready;
    const second = await member('second');
    await second.ready;
    const deadline = Date.now() + 20_000;
    while (!changes.some((change) => change.member === 'first' && change.revoked.length > 0)) {
      if (Date.now() > deadline) throw new Error(`no revocation seen: ${JSON.stringify(changes)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await Promise.all([first.stop(), second.stop()]);

    expect(changes[0]).toEqual({ member: 'first', assigned: [0, 1, 2, 3], revoked: [] });
    const revoked = changes.find((change) => change.member === 'first' && change.revoked.length > 0)!;
    const gained = changes.find((change) => change.member === 'second')!;
    expect(revoked.revoked).toEqual(gained.assigned);
  });

  it('sends a message that fails every attempt to the dead-letter topic with its origin, and moves on', async () => {
    const poisonTopic = await createTopic(1);
    const marker = randomUUID();
    {
      let deadLettered: (message: IncomingMessage) => void = () => undefined;
      const dlqMessage = new Promise<IncomingMessage>((resolve) => (deadLettered = resolve));
      const dlq = await messaging.consume({
        groupId: `int-dlq-${marker}`,
        topics: [Topics.deadLetters],
        fromBeginning: true,
        handle: async (message) => {
          if (message.key === marker) deadLettered(message);
        },
      });
      let healthyHandled: () => void = () => undefined;
      const nextHandled = new Promise<void>((resolve) => (healthyHandled = resolve));
      let attempts = 0;
      const consumer = await messaging.consume({
        groupId: `int-${marker}`,
        topics: [poisonTopic],
        fromBeginning: true,
        maxAttempts: 3,
        retryBackoffMs: 10,
        handle: async (message) => {
          if (message.key === marker) {
            attempts++;
            throw new Error('cannot parse this');
          }
          healthyHandled();
        },
      });
      await messaging.publish(poisonTopic, [
        { key: marker, value: 'poison' },
        { key: 'healthy', value: 'fine' },
      ]);
      const [dead] = await Promise.all([dlqMessage, nextHandled]);
      await Promise.all([consumer.stop(), dlq.stop()]);

      expect(attempts).toBe(3);
      expect(dead.value!.toString()).toBe('poison');
      expect(dead.headers).toMatchObject({
        'spark-dlq-origin-topic': poisonTopic,
        'spark-dlq-attempts': '3',
        'spark-dlq-error': 'cannot parse this',
      });
    }
  });

  it('keeps retrying a message while a dependency is unreachable (the database restarting), never dead-letters it', async () => {
    // Found by bench/chaos: during a PostgreSQL fast restart, StartRun commands failed their 5 attempts
    // (1.5 s) with ECONNREFUSED / "the database system is starting up" and went to the dead-letter
    // topic: runs the gateway had accepted never started.
    const outageTopic = await createTopic(1);
    const marker = randomUUID();
    const deadLettered: string[] = [];
    const dlq = await messaging.consume({
      groupId: `int-dlq-outage-${marker}`,
      topics: [Topics.deadLetters],
      fromBeginning: true,
      handle: async (message) => {
        if (message.key === marker) deadLettered.push(message.headers['spark-dlq-error'] ?? '');
      },
    });
    const outages = [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:55432'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
      new Error('append failed', {
        cause: Object.assign(new Error('terminating connection due to administrator command'), {
          code: '57P01',
        }),
      }),
      new Error('Connection terminated unexpectedly'),
    ];
    let attempts = 0;
    let handled: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (handled = resolve));
    const consumer = await messaging.consume({
      groupId: `int-outage-${marker}`,
      topics: [outageTopic],
      fromBeginning: true,
      maxAttempts: 3,
      retryBackoffMs: 10,
      handle: async (message) => {
        if (message.key !== marker) return;
        attempts++;
        // Twice as many failures as maxAttempts allows, of each kind an outage shows.
        if (attempts <= 8) throw outages[(attempts - 1) % outages.length];
        handled();
      },
    });
    // Both consumers in their groups before anything happens: a stop must not overtake a start.
    await Promise.all([dlq.ready, consumer.ready]);
    await messaging.publish(outageTopic, [{ key: marker, value: 'start this run' }]);
    await done;
    await consumer.stop();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await dlq.stop();
    expect(attempts).toBe(9);
    expect(deadLettered).toEqual([]);
  });

  it("deletes its namespace's topics, and only those", async () => {
    const settings = kafkaSettingsFromEnv(`int-test-ns-delete-${process.pid}`);
    const namespace = `int-ns-${randomUUID().slice(0, 8)}.`;
    const namespaced = new KafkaMessaging({ ...settings, namespace });
    const outside = await createTopic(1);
    try {
      await namespaced.ensureTopics([
        { name: 'a', partitions: 1 },
        { name: 'b', partitions: 2 },
      ]);
      await namespaced.deleteNamespaceTopics();
      const admin = new Kafka({
        clientId: 'int-ns-delete',
        brokers: settings.brokers,
        logLevel: logLevel.NOTHING,
      }).admin();
      await admin.connect();
      try {
        const topics = await admin.listTopics();
        expect(topics.filter((name) => name.startsWith(namespace))).toEqual([]);
        expect(topics).toContain(outside);
      } finally {
        await admin.disconnect();
      }
      await expect(new KafkaMessaging(settings).deleteNamespaceTopics()).rejects.toThrow('needs a namespace');
    } finally {
      await namespaced.close();
    }
  });

  it("consumes other teams' topics by their own name from inside a namespace, creating nothing", async () => {
    const settings = kafkaSettingsFromEnv(`int-test-ns-${process.pid}`);
    const namespace = `int-ns-${randomUUID().slice(0, 8)}.`;
    const namespaced = new KafkaMessaging({ ...settings, namespace });
    const external = await createTopic(1);
    const groupId = `int-${randomUUID()}`;
    const received: IncomingMessage[] = [];
    let handled: () => void = () => undefined;
    const oneHandled = new Promise<void>((resolve) => (handled = resolve));
    const consumer = await namespaced.consume({
      groupId,
      topics: [external],
      external: true,
      fromBeginning: true,
      handle: async (message) => {
        received.push(message);
        handled();
      },
    });
    await messaging.publish(external, [{ key: 'k', value: 'from another team' }]);
    await oneHandled;
    const admin = new Kafka({
      clientId: settings.clientId,
      brokers: settings.brokers,
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    try {
      expect(received[0]).toMatchObject({ topic: external, offset: '0' });
      expect(await admin.listTopics()).not.toContain(`${namespace}${external}`);
      // The commit follows the handler: wait for it under the namespaced group's name.
      const committed = async () =>
        (await admin.fetchOffsets({ groupId: `${namespace}${groupId}`, topics: [external] }))[0]!
          .partitions[0]!.offset;
      const deadline = Date.now() + 10_000;
      while ((await committed()) !== '1' && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await committed()).toBe('1');
    } finally {
      await admin.disconnect();
      await consumer.stop();
      await namespaced.close();
    }
  });
});
