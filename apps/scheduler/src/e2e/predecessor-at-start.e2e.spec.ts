import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import {
  EngineHarness,
  freePort,
  startServiceProcess,
  stopServiceProcess,
  waitUntilReady,
  type ServiceProcess,
} from '@spark/testing';

// A scheduler killed with kill -9 and started again under the same SPARK_INSTANCE_ID: its successor
// removes it from the group at the very start of the process, before the application's modules load
// (docs/adr/0142), so the live scheduler takes over every partition while the successor is still
// starting. Removing it only right before joining (docs/adr/0141), the group goes from the dead member
// straight to the successor and the live one never holds everything on its own.
describe('scheduler restarted after kill -9: the predecessor leaves the group at start', () => {
  let engine: EngineHarness | undefined;
  const processes: ServiceProcess[] = [];
  const kafka = new Kafka({
    clientId: 'predecessor-at-start',
    brokers: (process.env.SPARK_KAFKA_BROKERS ?? '127.0.0.1:19092').split(','),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();

  afterAll(async () => {
    await Promise.all(processes.map((started) => stopServiceProcess(started, 5000)));
    await engine?.stop();
    await admin.disconnect();
  });

  it('the live scheduler holds every partition alone before the successor joins, well inside the old session', async () => {
    engine = await EngineHarness.start({ services: [] });
    await admin.connect();
    const group = `${engine.env.SPARK_KAFKA_NAMESPACE}spark-scheduler`;
    const start = async (instanceId: string) => {
      const started = startServiceProcess('scheduler', await freePort(), {
        ...engine!.env,
        SPARK_INSTANCE_ID: instanceId,
        SPARK_LOG_LEVEL: 'info',
      });
      processes.push(started);
      return started;
    };
    const victim = await start('scheduler-a');
    await waitUntilReady(victim);
    await waitUntilReady(await start('scheduler-b'));

    type Member = { clientId: string; memberId: string; partitions: number };
    const describe = async (): Promise<{ state: string; members: Member[] }> => {
      const [described] = (await admin.describeGroups([group])).groups;
      return {
        state: described?.state ?? 'Dead',
        members: (described?.members ?? []).map((member) => ({
          clientId: member.clientId,
          memberId: member.memberId,
          partitions: Object.values(
            AssignerProtocol.MemberAssignment.decode(member.memberAssignment)?.assignment ?? {},
          ).flat().length,
        })),
      };
    };
    for (let deadline = Date.now() + 30_000; ;) {
      const { state, members } = await describe();
      if (state === 'Stable' && members.length === 2 && members.every((member) => member.partitions > 0))
        break;
      if (Date.now() > deadline) throw new Error('the two schedulers never shared the group');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    const before = new Set((await describe()).members.map((member) => member.memberId));
    victim.child.kill('SIGKILL');
    await victim.exited;
    const killedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const successor = await start('scheduler-a');
    // Until the successor is a member: was the live one ever the only member, holding all 12 partitions
    // (spark.commands and spark.task-results, 6 each)?
    let aloneAt: number | undefined;
    for (;;) {
      const { state, members } = await describe();
      if (members.some((member) => !before.has(member.memberId))) break;
      const [only] = members;
      if (aloneAt === undefined && state === 'Stable' && members.length === 1)
        if (only!.clientId === 'scheduler-b' && only!.partitions === 12) aloneAt = Date.now();
      if (Date.now() - killedAt > 30_000) throw new Error('the successor never joined');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await waitUntilReady(successor);

    expect(aloneAt).toBeDefined();
    // Not the dead member's session ending (6 s after its last heartbeat): its successor removed it.
    expect(aloneAt! - killedAt).toBeLessThan(5000);
  });
});
