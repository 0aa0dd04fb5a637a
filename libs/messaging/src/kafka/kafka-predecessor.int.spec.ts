import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { KafkaMessaging } from './kafka-messaging';
import { kafkaSettingsFromEnv } from './settings';

/**
 * A member of `group` on `topic` in a child process (plain kafkajs, the same client id a restarted
 * instance would have), so that it can be killed with SIGKILL: it leaves no LeaveGroup behind.
 */
function memberInAChildProcess(brokers: string[], clientId: string, group: string, topic: string) {
  const script = `
    const { Kafka, logLevel } = require('kafkajs');
    const kafka = new Kafka({ clientId: ${JSON.stringify(clientId)}, brokers: ${JSON.stringify(brokers)}, logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: ${JSON.stringify(group)}, sessionTimeout: 6000, heartbeatInterval: 1000 });
    consumer.on(consumer.events.GROUP_JOIN, () => process.stdout.write('joined\\n'));
    (async () => {
      await consumer.connect();
      await consumer.subscribe({ topics: [${JSON.stringify(topic)}] });
      await consumer.run({ eachMessage: async () => undefined });
    })();`;
  const child = spawn(process.execPath, ['-e', script], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const joined = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('joined') && resolve());
    child.on('exit', (code) => reject(new Error(`member process exited (${code})`)));
  });
  return { child, joined };
}

describe('KafkaMessaging: an instance restarted after kill -9', () => {
  const settings = kafkaSettingsFromEnv(`int-predecessor-${process.pid}`);
  const prefix = settings.namespace ?? '';
  const topic = `spark.test.${randomUUID()}`;
  const survivorMessaging = new KafkaMessaging({ ...settings, clientId: `survivor-${randomUUID()}` });
  const restartedId = `restarted-${randomUUID()}`;
  const restartedMessaging = new KafkaMessaging({ ...settings, clientId: restartedId });
  let child: ChildProcess | undefined;

  afterAll(async () => {
    child?.kill('SIGKILL');
    await restartedMessaging.close();
    await survivorMessaging.deleteTopics([topic]).catch(() => undefined);
    await survivorMessaging.close();
  });

  it("removes its dead predecessor from the group and joins at once, not after the predecessor's session", async () => {
    await survivorMessaging.ensureTopics([{ name: topic, partitions: 4 }]);
    const groupId = `int-predecessor-${randomUUID()}`;
    let held = 0;
    let killedAt = 0;
    const survivorHeldAfterKill: number[] = [];
    const handledBySurvivorAt: number[] = [];
    const survivor = await survivorMessaging.consume({
      groupId,
      topics: [topic],
      handle: async () => void handledBySurvivorAt.push(Date.now()),
      onAssignmentChange: ({ assigned, revoked }) => {
        held += assigned.length - revoked.length;
        if (killedAt) survivorHeldAfterKill.push(held);
      },
    });
    await survivor.ready;

    const predecessor = memberInAChildProcess(
      settings.brokers,
      restartedId,
      `${prefix}${groupId}`,
      `${prefix}${topic}`,
    );
    child = predecessor.child;
    await predecessor.joined;
    const deadline = Date.now() + 20_000;
    while (held !== 2) {
      if (Date.now() > deadline) throw new Error('the partitions were never split between the two members');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.kill('SIGKILL');
    killedAt = Date.now();

    // Traffic all along, as in production: the survivor heartbeats between batches and so learns of a
    // rebalance within a second.
    let n = 0;
    const traffic = setInterval(
      () =>
        void survivorMessaging.publish(topic, [{ key: `k${n}`, value: String(n++) }]).catch(() => undefined),
      50,
    );
    let restartedJoinedAt = Number.NaN;
    let restartedHeld = 0;
    try {
      const restarted = await restartedMessaging.consume({
        groupId,
        topics: [topic],
        handle: async () => undefined,
        onAssignmentChange: ({ assigned, revoked }) => (restartedHeld += assigned.length - revoked.length),
      });
      await restarted.ready;
      restartedJoinedAt = Date.now();
      // The survivor goes on consuming after the rebalance.
      const handledBefore = handledBySurvivorAt.length;
      const until = Date.now() + 10_000;
      while (handledBySurvivorAt.length === handledBefore && Date.now() < until)
        await new Promise((resolve) => setTimeout(resolve, 50));
      await restarted.stop();
    } finally {
      clearInterval(traffic);
    }
    await survivor.stop();

    // Waiting for the predecessor's session (6 s, a heartbeat a second) would join 5 s after the kill at
    // the earliest; removing it, the restarted instance holds partitions well before.
    expect(restartedHeld).toBeGreaterThan(0);
    expect(restartedJoinedAt - killedAt).toBeLessThan(4500);
    expect(handledBySurvivorAt.some((at) => at > restartedJoinedAt)).toBe(true);
    // One rebalance, which the restarted instance joined: the survivor never held every partition alone
    // in between (every rebalance stops the whole group under kafkajs' eager protocol).
    expect(survivorHeldAfterKill).not.toContain(4);
  });
});
