import { randomUUID } from 'node:crypto';
import { type RecordedEvent } from '@spark/event-store';
import {
  EngineHarness,
  freePort,
  startServiceProcess,
  stopServiceProcess,
  waitUntilReady,
} from '@spark/testing';
import {
  concurrencyDecider,
  type ConcurrencyEvent,
  concurrencyStreamName,
  fold,
  runConcurrencyScope,
} from '@spark/workflow-domain';

// Run-level concurrency limits (issue 15, docs/adr/0120): slots held durably in a scope's stream,
// granted in FIFO order, released on every final state, with two schedulers and kill -9.
describe('run-level concurrency', () => {
  let engine: EngineHarness | undefined;
  afterEach(async () => {
    await engine?.stop();
    engine = undefined;
  });

  const workflow = (name: string, limit: number, strategy: string, sleepMs: number) => ({
    name,
    version: 1,
    concurrency: { key: 'input.tenant', limit, strategy },
    steps: [
      {
        id: 'work',
        type: 'task',
        handler: 'sleep',
        config: { durationMs: sleepMs },
        // A killed executor's attempt times out quickly and is retried elsewhere.
        timeout: { startToClose: `${Math.ceil(sleepMs / 1000) + 3}s` },
        retry: { maxAttempts: 8, initialInterval: '100ms', backoff: 'fixed' },
      },
    ],
  });

  const timeOf = (event: RecordedEvent | undefined): number => {
    const data = (event?.data ?? {}) as Record<string, string>;
    const at = data.at ?? data.completedAt ?? data.failedAt ?? data.cancelledAt ?? data.timedOutAt;
    if (!at) throw new Error(`no time on ${event?.type}`);
    return Date.parse(at);
  };

  /** Most runs holding a slot at once, from each run's ConcurrencySlotAcquired to its final event. */
  const mostAtOnce = (runs: RecordedEvent[][]): number => {
    const points: [number, number][] = [];
    for (const events of runs) {
      const acquired = events.filter((event) => event.type === 'ConcurrencySlotAcquired');
      const final = events.at(-1);
      for (const event of acquired) points.push([timeOf(event), +1], [timeOf(final), -1]);
    }
    // An end and a start at the same millisecond: the end came first (a grant follows the release).
    points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let now = 0;
    let most = 0;
    for (const [, delta] of points) most = Math.max(most, (now += delta));
    return most;
  };

  const scopeEvents = async (name: string, key: string): Promise<ConcurrencyEvent[]> =>
    (await engine!.store.readStream(concurrencyStreamName(runConcurrencyScope(name, key)))).map(
      (event) => ({ type: event.type, data: event.data }) as unknown as ConcurrencyEvent,
    );

  const expectScopeEmpty = async (name: string, key: string) => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const state = fold(concurrencyDecider, await scopeEvents(name, key));
      if ((state.holders.length === 0 && state.waiting.length === 0) || Date.now() > deadline) {
        expect(state.holders).toEqual([]);
        expect(state.waiting).toEqual([]);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  const gaugeOf = (text: string, metric: string, workflow: string): number => {
    const line = text
      .split('\n')
      .find((candidate) => candidate.startsWith(`${metric}{workflow="${workflow}",key="tenant-a"`));
    return line ? Number(line.split(' ').at(-1)) : -1;
  };
  const metricsWhile = async (until: (text: string) => boolean, port: number): Promise<string> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      if (until(text) || Date.now() > deadline) return text;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  /** The runs' ids in the order their RunStarted reached the log. */
  const startOrder = async (runIds: string[]): Promise<string[]> => {
    const positions = await Promise.all(
      runIds.map(async (runId) => [runId, (await engine!.events(runId))[0]!.position] as const),
    );
    return positions.sort((a, b) => (a[1] < b[1] ? -1 : 1)).map(([runId]) => runId);
  };

  const expectLimitKept = async (name: string, runIds: string[], limit: number) => {
    const runs = await Promise.all(runIds.map((runId) => engine!.waitForRun(runId, 120_000)));
    for (const run of runs) expect(run.outcome).toBe('RunCompleted');
    const most = mostAtOnce(runs.map((run) => run.events));
    expect(most).toBeLessThanOrEqual(limit);
    expect(most).toBeGreaterThan(1); // the limit was used, not one run after another
    // FIFO: slots were granted in the order the runs started, each run once.
    const granted = (await scopeEvents(name, 'tenant-a'))
      .filter((event) => event.type === 'SlotGranted')
      .map((event) => event.data.runId);
    expect(granted).toEqual(await startOrder(runIds));
    // Some runs waited, and said why.
    const waited = runs.filter((run) =>
      run.events.some((event) => event.type === 'RunWaitingForConcurrency'),
    );
    expect(waited.length).toBeGreaterThan(0);
    expect(waited[0]!.events.find((event) => event.type === 'RunWaitingForConcurrency')!.data).toMatchObject({
      reason: `waiting for concurrency key tenant-a: ${limit} of ${limit} in use`,
    });
    // No slot is left held and nobody is left in line, once the relay has seen the last runs end.
    await expectScopeEmpty(name, 'tenant-a');
  };

  it('50 runs with key tenant-a and limit 3: never more than 3 at once, all complete, slots granted FIFO', async () => {
    engine = await EngineHarness.start();
    const name = `limit-${randomUUID().slice(0, 8)}`;
    await engine.register(workflow(name, 3, 'queue', 150));
    const runIds: string[] = [];
    for (let i = 0; i < 50; i++) runIds.push(await engine.startRun(name, { tenant: 'tenant-a', i }));
    // While the line is long, the scheduler's /metrics shows the key's slots and its line.
    const metrics = await metricsWhile(
      (text) => gaugeOf(text, 'spark_concurrency_waiting', name) > 0,
      engine.ports.scheduler,
    );
    expect(gaugeOf(metrics, 'spark_concurrency_slots_in_use', name)).toBe(3);
    // Another key has slots of its own.
    const other = await engine.startRun(name, { tenant: 'tenant-b' });
    expect((await engine.waitForRun(other, 60_000)).outcome).toBe('RunCompleted');
    await expectLimitKept(name, runIds, 3);
  });

  it('two schedulers, the relaying one and an executor killed -9 midway: still never more than 3, no slot left held', async () => {
    engine = await EngineHarness.start();
    const second = startServiceProcess('scheduler', await freePort(), engine.env);
    await waitUntilReady(second);
    try {
      const name = `limit-kill-${randomUUID().slice(0, 8)}`;
      await engine.register(workflow(name, 3, 'queue', 300));
      const runIds: string[] = [];
      for (let i = 0; i < 30; i++) runIds.push(await engine.startRun(name, { tenant: 'tenant-a', i }));
      await engine.waitForRun(runIds[4]!, 60_000);
      // The harness's scheduler started first and holds the relay; the executor has tasks in hand.
      await engine.kill('scheduler');
      await engine.kill('executor');
      for (let i = 0; i < 20; i++) runIds.push(await engine.startRun(name, { tenant: 'tenant-a', i }));
      await engine.startService('executor');
      await expectLimitKept(name, runIds, 3);
    } finally {
      await stopServiceProcess(second);
    }
  });

  it('cancelNewest: a start with every slot taken is cancelled, the running one goes on', async () => {
    engine = await EngineHarness.start();
    const name = `newest-${randomUUID().slice(0, 8)}`;
    await engine.register(workflow(name, 1, 'cancelNewest', 1500));
    const first = await engine.startRun(name, { tenant: 'tenant-a' });
    await engine.waitForEvent(first, (event) => event.type === 'ConcurrencySlotAcquired');
    const second = await engine.startRun(name, { tenant: 'tenant-a' });
    const refused = await engine.waitForRun(second);
    expect(refused.outcome).toBe('RunCancelled');
    expect(refused.result.reason).toBe('concurrency key tenant-a: 1 of 1 in use (cancelNewest)');
    expect(refused.events.some((event) => event.type === 'TaskDispatched')).toBe(false);
    expect((await engine.waitForRun(first)).outcome).toBe('RunCompleted');
    // The slot came back: the next start runs.
    const third = await engine.startRun(name, { tenant: 'tenant-a' });
    expect((await engine.waitForRun(third)).outcome).toBe('RunCompleted');
    await expectScopeEmpty(name, 'tenant-a');
  });

  it('cancelInProgress: a start with every slot taken cancels the oldest running run and takes its slot', async () => {
    engine = await EngineHarness.start();
    const name = `in-progress-${randomUUID().slice(0, 8)}`;
    await engine.register(workflow(name, 1, 'cancelInProgress', 3000));
    const first = await engine.startRun(name, { tenant: 'tenant-a' });
    await engine.waitForEvent(first, (event) => event.type === 'TaskDispatched');
    const second = await engine.startRun(name, { tenant: 'tenant-a' });
    const cancelled = await engine.waitForRun(first);
    expect(cancelled.outcome).toBe('RunCancelled');
    expect(cancelled.result.reason).toBe(
      `cancelled by newer run ${second} (concurrency key tenant-a: 1 of 1 in use, cancelInProgress)`,
    );
    const newer = await engine.waitForRun(second, 30_000);
    expect(newer.outcome).toBe('RunCompleted');
    // The newer run got its slot only once the cancelled one had given it back.
    const acquired = newer.events.find((event) => event.type === 'ConcurrencySlotAcquired');
    expect(timeOf(acquired)).toBeGreaterThanOrEqual(timeOf(cancelled.events.at(-1)));
    await expectScopeEmpty(name, 'tenant-a');
  });
});
