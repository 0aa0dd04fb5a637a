import { randomUUID } from 'node:crypto';
import { EngineHarness, json, RecordingHttpServer } from '@spark/testing';

// Workflows run end to end: scheduler and executor as separate processes, real Kafka and PostgreSQL.
describe('runs executing end to end', () => {
  let engine: EngineHarness;
  const target = new RecordingHttpServer((request, response) =>
    json(response, 200, { echo: JSON.parse(request.body || 'null') }),
  );
  let flaky: RecordingHttpServer;
  let targetUrl = '';

  beforeAll(async () => {
    targetUrl = await target.start();
    engine = await EngineHarness.start();
  });
  afterAll(async () => {
    await engine?.stop();
    await target.stop();
    await flaky?.stop();
  });

  const types = (events: { type: string }[]) => events.map((event) => event.type);

  it('runs a chain of steps, passing outputs along', async () => {
    const name = `chain-${randomUUID().slice(0, 8)}`;
    await engine.register({
      name,
      version: 1,
      steps: [
        {
          id: 'double',
          type: 'task',
          handler: 'transform',
          config: { expression: 'input.n * 2' },
          input: { n: '=input.n' },
        },
        {
          id: 'post',
          type: 'task',
          needs: ['double'],
          handler: 'http',
          config: { method: 'POST', url: `${targetUrl}/double`, body: { value: '=steps.double.output' } },
        },
        {
          id: 'done',
          type: 'task',
          needs: ['post'],
          handler: 'noop',
          input: '=steps.post.output.body.echo.value',
        },
      ],
      output: 'steps.done.output',
    });
    const run = await engine.waitForRun(await engine.startRun(name, { n: 21 }));
    expect(run.outcome).toBe('RunCompleted');
    expect(run.result.output).toBe(42);
    const request = target.requests.find((candidate) => candidate.path === '/double')!;
    expect(JSON.parse(request.body)).toEqual({ value: 42 });
    expect(request.headers['idempotency-key']).toBe(`${run.runId}:post:1`);
  });

  it('runs a parallel pair and joins it (chord)', async () => {
    const name = `chord-${randomUUID().slice(0, 8)}`;
    await engine.register({
      name,
      version: 1,
      steps: [
        {
          id: 'left',
          type: 'task',
          handler: 'transform',
          config: { expression: '"L" & input.x' },
          input: { x: '=input.x' },
        },
        {
          id: 'right',
          type: 'task',
          handler: 'transform',
          config: { expression: '"R" & input.x' },
          input: { x: '=input.x' },
        },
        {
          id: 'join',
          type: 'task',
          needs: ['left', 'right'],
          handler: 'noop',
          input: '=[steps.left.output, steps.right.output]',
        },
      ],
      output: 'steps.join.output',
    });
    const run = await engine.waitForRun(await engine.startRun(name, { x: 'x' }));
    expect(run.result.output).toEqual(['Lx', 'Rx']);
    const dispatched = run.events
      .filter((event) => event.type === 'TaskDispatched')
      .map((event) => (event.data as { taskId: string }).taskId);
    // Both branches are dispatched before either result comes back: they run in parallel.
    expect(dispatched.slice(0, 2).sort()).toEqual(['left', 'right']);
  });

  it('retries with backoff and succeeds on the third attempt against a server that fails twice', async () => {
    let calls = 0;
    flaky = new RecordingHttpServer((_request, response) => {
      calls++;
      json(response, calls <= 2 ? 503 : 200, { calls });
    });
    const flakyUrl = await flaky.start();
    const name = `retry-${randomUUID().slice(0, 8)}`;
    await engine.register({
      name,
      version: 1,
      steps: [
        {
          id: 'call',
          type: 'task',
          handler: 'http',
          config: { url: `${flakyUrl}/flaky` },
          retry: { maxAttempts: 5, backoff: 'exponential', initialInterval: '200ms' },
        },
      ],
      output: 'steps.call.output.body',
    });
    const run = await engine.waitForRun(await engine.startRun(name, {}));
    expect(run.outcome).toBe('RunCompleted');
    expect(run.result.output).toEqual({ calls: 3 });
    expect(flaky.requests.map((request) => request.headers['idempotency-key'])).toEqual([
      `${run.runId}:call:1`,
      `${run.runId}:call:2`,
      `${run.runId}:call:3`,
    ]);
    const delays = run.events
      .filter((event) => event.type === 'StepRetryScheduled')
      .map((event) => (event.data as { delayMs: number }).delayMs);
    expect(delays).toEqual([200, 400]);
  });

  it('fails a step for good on a non-retryable error and compensates the completed steps in reverse order', async () => {
    const name = `saga-${randomUUID().slice(0, 8)}`;
    await engine.register({
      name,
      version: 1,
      steps: [
        {
          id: 'reserve',
          type: 'task',
          handler: 'http',
          config: { method: 'POST', url: `${targetUrl}/reserve` },
          compensate: { handler: 'http', config: { method: 'POST', url: `${targetUrl}/release` } },
        },
        {
          id: 'charge',
          type: 'task',
          needs: ['reserve'],
          handler: 'http',
          config: { method: 'POST', url: `${targetUrl}/charge` },
          compensate: { handler: 'http', config: { method: 'POST', url: `${targetUrl}/refund` } },
        },
        {
          id: 'ship',
          type: 'task',
          needs: ['charge'],
          handler: 'http',
          config: { method: 'POST', url: `${targetUrl}/missing-404` },
          retry: { maxAttempts: 3 },
        },
      ],
    });
    target.respondWith((request, response) =>
      request.path.startsWith('/missing')
        ? json(response, 404, { error: 'no courier' })
        : json(response, 200, { ok: request.path }),
    );
    const run = await engine.waitForRun(await engine.startRun(name, {}));
    target.respondWith((request, response) =>
      json(response, 200, { echo: JSON.parse(request.body || 'null') }),
    );
    expect(run.outcome).toBe('RunFailed');
    expect(run.result).toMatchObject({ failedStep: 'ship', compensated: ['charge', 'reserve'] });
    const paths = target.requests
      .filter((request) => request.headers['idempotency-key']?.toString().startsWith(run.runId))
      .map((r) => r.path);
    expect(paths).toEqual(['/reserve', '/charge', '/missing-404', '/refund', '/release']);
  });

  it('waits for a duration, and for a signal with its payload', async () => {
    const name = `wait-${randomUUID().slice(0, 8)}`;
    await engine.register({
      name,
      version: 1,
      steps: [
        { id: 'pause', type: 'wait', duration: '300ms' },
        { id: 'approval', type: 'signal', needs: ['pause'], signal: { name: 'approve', timeout: '30s' } },
      ],
      output: 'steps.approval.output',
    });
    const runId = await engine.startRun(name, {});
    await engine.waitForEvent(
      runId,
      (event) => event.type === 'StepWaiting' && (event.data as { signal?: string }).signal === 'approve',
    );
    await engine.send({
      type: 'SignalRun',
      commandId: randomUUID(),
      runId,
      issuedAt: new Date().toISOString(),
      signalId: 's1',
      name: 'approve',
      payload: { by: 'ana' },
    });
    const run = await engine.waitForRun(runId);
    expect(run.outcome).toBe('RunCompleted');
    expect(run.result.output).toEqual({ by: 'ana' });
    const waited = run.events.find((event) => event.type === 'TimerFired')!;
    const started = run.events.find((event) => event.type === 'RunStarted')!;
    // The scheduler's own clock on both sides (recordedAt is the database's, taken at another moment).
    const firedAt = Date.parse((waited.data as { firedAt: string }).firedAt);
    const startedAt = Date.parse((started.data as { startedAt: string }).startedAt);
    expect(firedAt - startedAt).toBeGreaterThanOrEqual(300);
  });

  it('cancels a running run', async () => {
    const name = `cancel-${randomUUID().slice(0, 8)}`;
    await engine.register({
      name,
      version: 1,
      steps: [{ id: 'forever', type: 'signal', signal: { name: 'never' } }],
    });
    const runId = await engine.startRun(name, {});
    await engine.waitForEvent(runId, (event) => event.type === 'StepWaiting');
    await engine.send({
      type: 'CancelRun',
      commandId: randomUUID(),
      runId,
      issuedAt: new Date().toISOString(),
      reason: 'test',
    });
    const run = await engine.waitForRun(runId);
    expect(run.outcome).toBe('RunCancelled');
    expect(types(run.events)).toContain('StepCancelled');
  });

  it('cancelling a run aborts its task that is still running in the executor', async () => {
    let aborted: (() => void) | undefined;
    const callerHungUp = new Promise<void>((resolve) => (aborted = resolve));
    let reached: (() => void) | undefined;
    const requestArrived = new Promise<void>((resolve) => (reached = resolve));
    // A call that never answers: only the caller hanging up ends it.
    const hanging = new RecordingHttpServer((_request, response) => {
      reached!();
      response.once('close', () => aborted!());
    });
    const url = await hanging.start();
    try {
      const name = `cancel-task-${randomUUID().slice(0, 8)}`;
      await engine.register({
        name,
        version: 1,
        steps: [
          {
            id: 'slow',
            type: 'task',
            handler: 'http',
            config: { method: 'POST', url: `${url}/slow` },
            timeout: { startToClose: '10m' },
          },
        ],
      });
      const runId = await engine.startRun(name, {});
      await requestArrived;
      await engine.send({
        type: 'CancelRun',
        commandId: randomUUID(),
        runId,
        issuedAt: new Date().toISOString(),
        reason: 'test',
      });
      expect((await engine.waitForRun(runId)).outcome).toBe('RunCancelled');
      // The executor hangs up: only the cancellation can make it, well before the step's 10-minute
      // timeout (the test would time out first).
      await callerHungUp;
    } finally {
      await hanging.stop();
    }
  });

  it('runs a subworkflow and uses its output', async () => {
    const child = `child-${randomUUID().slice(0, 8)}`;
    const parent = `parent-${randomUUID().slice(0, 8)}`;
    await engine.register({
      name: child,
      version: 1,
      steps: [
        {
          id: 'shout',
          type: 'task',
          handler: 'transform',
          config: { expression: '$uppercase(input.word)' },
          input: '=input',
        },
      ],
      output: 'steps.shout.output',
    });
    await engine.register({
      name: parent,
      version: 1,
      steps: [{ id: 'sub', type: 'subworkflow', workflow: { name: child }, input: { word: '=input.word' } }],
      output: 'steps.sub.output',
    });
    const run = await engine.waitForRun(await engine.startRun(parent, { word: 'spark' }));
    expect(run.outcome).toBe('RunCompleted');
    expect(run.result.output).toBe('SPARK');
  });
});
