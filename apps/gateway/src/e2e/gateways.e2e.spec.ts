import { randomBytes, randomUUID } from 'node:crypto';
import {
  EngineHarness,
  freePort,
  type ServiceProcess,
  startServiceProcess,
  stopServiceProcess,
  waitUntilReady,
} from '@spark/testing';

// Two gateway instances over one database and one Kafka: whatever one accepted, the other answers for at
// once. No scheduler runs at first, so the runs stay unstarted (no stream) while the second gateway reads
// them: only the accepted-start record both gateways share can answer.

const BOOTSTRAP_KEY = `e2e-bootstrap-${randomBytes(12).toString('hex')}`;

describe('two gateway instances', () => {
  let engine: EngineHarness;
  let second: ServiceProcess;
  let first = '';
  let other = '';
  const workflow = `two-gw-${randomUUID().slice(0, 8)}`;

  const call = (
    base: string,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) =>
    fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${BOOTSTRAP_KEY}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  beforeAll(async () => {
    engine = await EngineHarness.start({
      services: ['gateway'],
      env: { SPARK_GATEWAY_BOOTSTRAP_KEY: BOOTSTRAP_KEY },
    });
    first = `http://127.0.0.1:${engine.ports.gateway}`;
    const port = await freePort();
    second = startServiceProcess('gateway', port, {
      ...engine.env,
      SPARK_GATEWAY_GRPC_PORT: String(await freePort()),
    });
    await waitUntilReady(second);
    other = `http://127.0.0.1:${port}`;
    const registered = await call(first, 'POST', '/api/v1/workflows', {
      name: workflow,
      version: 1,
      steps: [
        { id: 'echo', type: 'task', handler: 'transform', input: '=input', config: { expression: 'input' } },
      ],
      output: 'steps.echo.output',
    });
    expect(registered.status).toBe(201);
  });

  afterAll(async () => {
    if (second) await stopServiceProcess(second);
    await engine?.stop();
  });

  it('a run accepted by one is readable, cancellable and repeatable on the other at once', async () => {
    const started = await call(
      first,
      'POST',
      '/api/v1/runs',
      { workflow, input: { n: 7 }, labels: { team: 'two' } },
      { 'idempotency-key': `two-gw-${workflow}` },
    );
    expect(started.status).toBe(202);
    const { runId } = (await started.json()) as { runId: string };
    const cancelled = await call(first, 'POST', '/api/v1/runs', { workflow, input: { n: 8 } });
    const cancelledId = ((await cancelled.json()) as { runId: string }).runId;

    const read = await call(other, 'GET', `/api/v1/runs/${runId}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({
      runId,
      status: 'PENDING',
      workflow: { name: workflow, version: 1 },
      input: { n: 7 },
      labels: { team: 'two' },
      steps: [],
    });
    await expect(engine.events(runId)).resolves.toEqual([]);

    const repeated = await call(
      other,
      'POST',
      '/api/v1/runs',
      { workflow, input: { n: 7 }, labels: { team: 'two' } },
      { 'idempotency-key': `two-gw-${workflow}` },
    );
    expect(repeated.status).toBe(202);
    expect(await repeated.json()).toMatchObject({ runId, status: 'PENDING' });
    const misused = await call(
      other,
      'POST',
      '/api/v1/runs',
      { workflow, input: { n: 9 } },
      { 'idempotency-key': `two-gw-${workflow}` },
    );
    expect(misused.status).toBe(422);

    expect((await call(other, 'POST', `/api/v1/runs/${cancelledId}/cancel`, {})).status).toBe(202);

    // Once a scheduler and an executor run, both runs move on, and the other gateway sees it.
    await engine.startService('executor');
    await engine.startService('scheduler');
    const finished = await engine.waitForRun(runId);
    expect(finished.outcome).toBe('RunCompleted');
    expect((await engine.waitForRun(cancelledId)).outcome).toBe('RunCancelled');
    const done = await call(other, 'GET', `/api/v1/runs/${runId}`);
    expect(await done.json()).toMatchObject({
      status: 'COMPLETED',
      output: { n: 7 },
      acceptedAt: expect.any(String),
    });
    expect(finished.events.filter((event) => event.type === 'RunStarted')).toHaveLength(1);
  });

  it('a run neither accepted nor started is 404 on both', async () => {
    for (const base of [first, other]) {
      const response = await call(base, 'GET', `/api/v1/runs/${randomUUID()}`);
      expect(response.status).toBe(404);
    }
  });
});
