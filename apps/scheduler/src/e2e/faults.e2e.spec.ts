import { randomUUID } from 'node:crypto';
import {
  EngineHarness,
  freePort,
  json,
  RecordingHttpServer,
  startServiceProcess,
  stopServiceProcess,
  waitUntilReady,
} from '@spark/testing';

// Crashes: kill -9 a service at the worst moment; every run still completes, and the target applies
// each idempotency key's effect once (it dedupes by the Idempotency-Key header, as a real API would).
describe('crash recovery', () => {
  /** Requests per idempotency key, and effects applied per step (the target dedupes by key). */
  const deliveries = new Map<string, number>();
  const effects = new Map<string, string[]>();
  let holdRequests = false;
  const target = new RecordingHttpServer(async (request, response) => {
    const key = String(request.headers['idempotency-key']);
    deliveries.set(key, (deliveries.get(key) ?? 0) + 1);
    if (holdRequests && request.path === '/b') {
      // A slow call: if the caller dies meanwhile, the effect is rolled back (never applied).
      const closed = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 60_000);
        response.once('close', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      if (closed) return;
    }
    const [runId, step] = [key.split(':').slice(0, -2).join(':'), key.split(':').at(-2)!];
    const applied = effects.get(`${runId}:${step}`) ?? [];
    if (!applied.includes(key)) applied.push(key);
    effects.set(`${runId}:${step}`, applied);
    json(response, 200, { key });
  });
  let url = '';
  let engine: EngineHarness | undefined;

  beforeAll(async () => {
    url = await target.start();
  });
  afterEach(async () => {
    holdRequests = false;
    await engine?.stop();
    engine = undefined;
  });
  afterAll(() => target.stop());

  const workflow = (name: string, stepTimeout = '3s') => ({
    name,
    version: 1,
    steps: [
      { id: 'a', type: 'task', handler: 'http', config: { method: 'POST', url: `${url}/a` } },
      {
        id: 'b',
        type: 'task',
        needs: ['a'],
        handler: 'http',
        config: { method: 'POST', url: `${url}/b` },
        // Until the killed executor's Kafka session expires (~6-10 s), new attempts wait unconsumed
        // and may time out too: enough attempts to outlast that.
        timeout: { startToClose: stepTimeout },
        retry: { maxAttempts: 6, initialInterval: '100ms', backoff: 'fixed' },
      },
      { id: 'c', type: 'task', needs: ['b'], handler: 'http', config: { method: 'POST', url: `${url}/c` } },
    ],
  });

  it('kill -9 of the executor in the middle of a task: the attempt times out, a new attempt completes the run', async () => {
    engine = await EngineHarness.start();
    const name = `crash-exec-${randomUUID().slice(0, 8)}`;
    await engine.register(workflow(name));
    holdRequests = true;
    const runId = await engine.startRun(name, {});
    await engine.waitForEvent(
      runId,
      (event) => event.type === 'StepAttemptStarted' && (event.data as { taskId: string }).taskId === 'b',
    );
    await new Promise((resolve) => setTimeout(resolve, 200)); // the request to /b is in flight
    await engine.kill('executor');
    holdRequests = false;
    await engine.startService('executor');

    const run = await engine.waitForRun(runId, 60_000);
    expect(run.outcome).toBe('RunCompleted');
    expect(run.events.some((event) => event.type === 'StepTimedOut')).toBe(true);
    // Each step's effect was applied by exactly one attempt; the killed attempt of b applied nothing.
    expect(effects.get(`${runId}:a`)).toEqual([`${runId}:a:1`]);
    expect(effects.get(`${runId}:b`)).toHaveLength(1);
    expect(effects.get(`${runId}:b`)![0]).not.toBe(`${runId}:b:1`);
    expect(effects.get(`${runId}:c`)).toEqual([`${runId}:c:1`]);
    expect(deliveries.get(`${runId}:b:1`)).toBe(1);
  });

  it('kill -9 of the scheduler after it appended a dispatch and before Kafka had it: the restarted relay publishes it', async () => {
    // The scheduler dies just before publishing its 2nd dispatch (step b): TaskDispatched is in the
    // event store, the task is not on Kafka.
    engine = await EngineHarness.start({ services: ['executor'] });
    const scheduler = engine.env;
    const crashing = await engine.startServiceWith('scheduler', {
      ...scheduler,
      SPARK_FAULT_INJECTION: 'kill-before-dispatch:2',
    });
    const name = `crash-sched-${randomUUID().slice(0, 8)}`;
    // A generous timeout: recovery must come from the relay, not from a timed-out attempt.
    await engine.register(workflow(name, '2m'));
    const runId = await engine.startRun(name, {});
    const exit = await crashing.exited;
    expect(exit).toBe('SIGKILL');
    const before = await engine.events(runId);
    expect(
      before
        .filter((event) => event.type === 'TaskDispatched')
        .map((event) => (event.data as { taskId: string }).taskId),
    ).toEqual(['a', 'b']);
    expect(target.requests.some((request) => request.headers['idempotency-key'] === `${runId}:b:1`)).toBe(
      false,
    );

    await engine.startService('scheduler');
    const run = await engine.waitForRun(runId, 60_000);
    expect(run.outcome).toBe('RunCompleted');
    for (const step of ['a', 'b', 'c'])
      expect(effects.get(`${runId}:${step}`)).toEqual([`${runId}:${step}:1`]);
    // No second attempt was needed: the dispatch was relayed, not timed out.
    expect(run.events.some((event) => event.type === 'StepTimedOut')).toBe(false);
  });
  it('two schedulers share the runs; killing the one that relays hands the relay to the other; every run completes once', async () => {
    engine = await EngineHarness.start();
    const second = startServiceProcess('scheduler', await freePort(), engine.env);
    await waitUntilReady(second);
    try {
      const name = `two-schedulers-${randomUUID().slice(0, 8)}`;
      await engine.register(workflow(name, '2m'));
      const runIds = await Promise.all(Array.from({ length: 20 }, () => engine!.startRun(name, {})));
      await engine.waitForEvent(runIds[0]!, (event) => event.type === 'TaskDispatched');
      // The harness's scheduler started first, so it holds the relay lock: kill it mid-flight.
      await engine.kill('scheduler');
      const more = await Promise.all(Array.from({ length: 10 }, () => engine!.startRun(name, {})));
      for (const runId of [...runIds, ...more]) {
        const run = await engine.waitForRun(runId, 90_000);
        expect(run.outcome).toBe('RunCompleted');
        for (const step of ['a', 'b', 'c'])
          expect(effects.get(`${runId}:${step}`)).toEqual([`${runId}:${step}:1`]);
        const starts = run.events.filter((event) => event.type === 'RunStarted');
        expect(starts).toHaveLength(1);
      }
    } finally {
      await stopServiceProcess(second);
    }
  });
});
