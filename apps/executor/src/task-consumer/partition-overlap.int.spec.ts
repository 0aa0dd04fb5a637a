import { randomUUID } from 'node:crypto';
import { TASK_LANES, TASK_TOPIC_PARTITIONS, taskLaneTopic, taskTopic, Topics } from '@spark/contracts';
import { KafkaMessaging, kafkaSettingsFromEnv } from '@spark/messaging';
import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import { createExecutor } from '../executor-components';
import { loadExecutorSettings } from '../settings';
import { silentLogger } from '../test-support';

/**
 * Every message of a run is keyed by its id, so a run lives on one partition number in the scheduler's
 * topics and in its task queue. With a scheduler and an executor down together (both still members
 * until their successors remove them), runs go on only where the live scheduler and the live executor
 * hold a partition in common (docs/adr/0142).
 */
describe('task consumer: partitions of the executor group against the scheduler group', () => {
  const settings = kafkaSettingsFromEnv(`executor-overlap-${process.pid}`);
  const prefix = settings.namespace ?? '';
  const queue = `overlap-${randomUUID()}`;
  const groupId = `executor-overlap-${randomUUID()}`;
  const schedulerGroup = `scheduler-overlap-${randomUUID()}`;
  // Member ids start with the client id, and both assignments go by member id: "a-…" sorts first.
  const messagings = ['a', 'b'].map(
    (name) => new KafkaMessaging({ ...settings, clientId: `${name}-overlap-${randomUUID()}` }),
  );
  const executors = messagings.map((messaging, index) =>
    createExecutor({
      messaging,
      settings: { ...loadExecutorSettings({}), queues: [queue], groupId },
      logger: silentLogger,
      workerId: `executor-overlap-${index}`,
      shutdownGraceMs: 500,
    }),
  );
  const kafka = new Kafka({
    clientId: 'overlap-observer',
    brokers: settings.brokers,
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();

  afterAll(async () => {
    await Promise.all(executors.map((executor) => executor.consumer.stop(500)));
    for (const executor of executors) executor.circuits.shutdown();
    await messagings[0]!
      .deleteTopics(TASK_LANES.map((lane) => taskLaneTopic(queue, lane)))
      .catch(() => undefined);
    await Promise.all(messagings.map((messaging) => messaging.close()));
    await admin.disconnect();
  });

  it('any live executor shares a partition with any live scheduler (ranges against round robin)', async () => {
    await admin.connect();
    await messagings[0]!.ensureTopics([{ name: taskTopic(queue), partitions: TASK_TOPIC_PARTITIONS }]);
    // The scheduler group as scheduler-engine.ts consumes: both topics, the default assignment.
    const schedulers = await Promise.all(
      messagings.map((messaging) =>
        messaging.consume({
          groupId: schedulerGroup,
          topics: [Topics.commands, Topics.taskResults],
          handleBatch: async () => undefined,
        }),
      ),
    );
    for (const executor of executors) await executor.consumer.start();
    await Promise.all([...schedulers.map((s) => s.ready), ...executors.map((e) => e.consumer.ready)]);

    const scheduling = await settledAssignment(`${prefix}${schedulerGroup}`, 2);
    const executing = await settledAssignment(`${prefix}${groupId}`, 2);
    const commands = `${prefix}${Topics.commands}`;
    const results = `${prefix}${Topics.taskResults}`;
    const tasks = `${prefix}${taskTopic(queue)}`;
    const pairs = scheduling.flatMap((scheduler) =>
      executing.map((executor) => ({
        commands: shared(scheduler[commands], executor[tasks]),
        results: shared(scheduler[results], executor[tasks]),
      })),
    );
    expect(pairs).toHaveLength(4);
    for (const pair of pairs) {
      expect(pair.commands.length).toBeGreaterThan(0);
      expect(pair.results.length).toBeGreaterThan(0);
    }
    await Promise.all(schedulers.map((scheduler) => scheduler.stop()));
  });

  /** The members' assignments once the group is stable with `members` members that hold every partition. */
  async function settledAssignment(group: string, members: number) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const [described] = (await admin.describeGroups([group])).groups;
      const assignments = (described?.members ?? []).map(
        (member) => AssignerProtocol.MemberAssignment.decode(member.memberAssignment)?.assignment ?? {},
      );
      const held = assignments.flatMap((assignment) => Object.values(assignment).flat()).length;
      if (described?.state === 'Stable' && assignments.length === members && held > 0) return assignments;
      if (Date.now() > deadline) throw new Error(`group ${group} never settled with ${members} members`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
});

function shared(a: number[] | undefined, b: number[] | undefined): number[] {
  return (a ?? []).filter((partition) => (b ?? []).includes(partition));
}
