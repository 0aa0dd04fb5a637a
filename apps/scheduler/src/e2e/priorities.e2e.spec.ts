import { randomUUID } from 'node:crypto';
import { EngineHarness, waitUntilReady } from '@spark/testing';

// Step priorities (issue 15, docs/adr/0121): priority lanes on Kafka, consumed side by side by the
// executor, whose bulkhead lets the highest priority waiting take a freed slot.
describe('step priorities', () => {
  let engine: EngineHarness | undefined;
  afterEach(async () => {
    await engine?.stop();
    engine = undefined;
  });

  const SLOTS = 4;
  const workflow = (name: string, priority?: number) => ({
    name,
    version: 1,
    steps: [
      {
        id: 'work',
        type: 'task',
        handler: 'sleep',
        config: { durationMs: 100 },
        ...(priority === undefined ? {} : { priority }),
      },
    ],
  });

  const startedAt = async (runId: string): Promise<number> => {
    const { events } = await engine!.waitForRun(runId, 90_000);
    const started = events.find((event) => event.type === 'StepAttemptStarted');
    if (!started) throw new Error(`run ${runId} has no StepAttemptStarted`);
    return Date.parse((started.data as { startedAt: string }).startedAt);
  };

  it('a backlog of 200 tasks, 20 of priority 9 added last: the 20 start before the rest of the backlog', async () => {
    engine = await EngineHarness.start({ services: ['scheduler'] });
    const id = randomUUID().slice(0, 8);
    await engine.register(workflow(`normal-${id}`));
    await engine.register(workflow(`urgent-${id}`, 9));
    const normal: string[] = [];
    const urgent: string[] = [];
    for (let i = 0; i < 180; i++) normal.push(await engine.startRun(`normal-${id}`, { i }));
    for (let i = 0; i < 20; i++) urgent.push(await engine.startRun(`urgent-${id}`, { i }));
    // The whole backlog is dispatched (on Kafka) before any executor runs.
    for (const runId of [...normal, ...urgent])
      await engine.waitForEvent(runId, (event) => event.type === 'TaskDispatched', 60_000);

    const executor = await engine.startServiceWith('executor', {
      ...engine.env,
      SPARK_EXECUTOR_CONCURRENCY_SLEEP: String(SLOTS),
      // Long enough that no normal task in line ages past priority 9 while this test's urgent ones run.
      SPARK_EXECUTOR_PRIORITY_AGING_MS: '5000',
    });
    await waitUntilReady(executor);
    // While the backlog drains, the executor's /metrics shows what waits for a slot, by priority.
    const deadline = Date.now() + 20_000;
    let waitingLine: string | undefined;
    while (!waitingLine && Date.now() < deadline) {
      const text = await (await fetch(`http://127.0.0.1:${engine.ports.executor}/metrics`)).text();
      waitingLine = text
        .split('\n')
        .find((line) => line.startsWith('spark_tasks_queued_by_priority{handler="sleep",priority="5"'));
      if (!waitingLine) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(Number(waitingLine?.split(' ').at(-1))).toBeGreaterThanOrEqual(1);

    const normalStarts = await Promise.all(normal.map(startedAt));
    const urgentStarts = await Promise.all(urgent.map(startedAt));
    const lastUrgent = Math.max(...urgentStarts);
    const normalBefore = normalStarts.filter((at) => at < lastUrgent).length;
    // In dispatch order all 180 would start first. A few may: the slots filled before the high lane's
    // consumer joined, and a slot freed while that consumer commits a batch and fetches the next.
    expect(normalBefore).toBeLessThanOrEqual(SLOTS + 6);
    // And the other way round: the urgent tasks were the first of the backlog to start, bar those few.
    const firstNormalAfter = normalStarts.filter((at) => at > lastUrgent).length;
    expect(firstNormalAfter).toBeGreaterThanOrEqual(180 - SLOTS - 6);
    console.log(`normal tasks started before the last urgent one: ${normalBefore} of 180`);
  }, 180_000);
});
