import { randomBytes, randomUUID } from 'node:crypto';
import { EngineHarness, freePort } from '@spark/testing';
import { call, type GrpcClient, sparkClients } from './support/grpc-client';

// A run behind a full concurrency key, seen through the public APIs (the four services as processes):
// REST and gRPC say why it waits and where it stood in line; bad settings are refused by JSON path.
describe('concurrency limits through the public API', () => {
  const BOOTSTRAP_KEY = `e2e-bootstrap-${randomBytes(12).toString('hex')}`;
  const GATEWAY_SCHEMA = `e2e_gw_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  let engine: EngineHarness;
  let runs: GrpcClient;
  let baseUrl = '';

  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${BOOTSTRAP_KEY}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };

  beforeAll(async () => {
    const grpcPort = await freePort();
    engine = await EngineHarness.start({
      services: ['scheduler', 'executor', 'projector', 'gateway'],
      env: {
        SPARK_GATEWAY_SCHEMA: GATEWAY_SCHEMA,
        SPARK_READ_MODEL_SCHEMA: `${GATEWAY_SCHEMA}_rm`,
        SPARK_GATEWAY_BOOTSTRAP_KEY: BOOTSTRAP_KEY,
        SPARK_GATEWAY_GRPC_PORT: String(grpcPort),
      },
    });
    baseUrl = `http://127.0.0.1:${engine.ports.gateway}`;
    ({ Runs: runs } = sparkClients(`127.0.0.1:${grpcPort}`));
  });
  afterAll(async () => {
    runs?.close();
    await engine?.stop();
  });

  it('a waiting run says "waiting for concurrency key tenant-a: 1 of 1 in use" in REST and gRPC, until its turn', async () => {
    const workflow = `limited-${randomUUID().slice(0, 8)}`;
    const registered = await api('POST', '/workflows', {
      name: workflow,
      version: 1,
      concurrency: { key: 'input.tenant', limit: 1 },
      steps: [{ id: 'work', type: 'task', handler: 'sleep', config: { durationMs: 2000 } }],
    });
    expect(registered.status).toBe(201);
    const first = (await api('POST', '/runs', { workflow, input: { tenant: 'tenant-a' } })).body
      .runId as string;
    await engine.waitForEvent(first, (event) => event.type === 'ConcurrencySlotAcquired');
    const second = (await api('POST', '/runs', { workflow, input: { tenant: 'tenant-a' } })).body
      .runId as string;
    await engine.waitForEvent(second, (event) => event.type === 'RunWaitingForConcurrency');

    const view = await api('GET', `/runs/${second}`);
    expect(view.body).toMatchObject({
      status: 'RUNNING',
      waiting: {
        reason: 'waiting for concurrency key tenant-a: 1 of 1 in use',
        concurrencyKey: 'tenant-a',
        inUse: 1,
        limit: 1,
        position: 1,
      },
    });
    const message = await call<{ waiting?: Record<string, unknown> }>(
      runs,
      'GetRun',
      { runId: second },
      BOOTSTRAP_KEY,
    );
    expect(message.waiting).toMatchObject({
      reason: 'waiting for concurrency key tenant-a: 1 of 1 in use',
      concurrencyKey: 'tenant-a',
      inUse: 1,
      limit: 1,
      position: 1,
    });
    expect((await api('GET', `/runs/${first}`)).body.waiting).toBeUndefined();

    expect((await engine.waitForRun(second, 60_000)).outcome).toBe('RunCompleted');
    expect((await api('GET', `/runs/${second}`)).body.waiting).toBeUndefined();
  });

  it('refuses a limit of 0, an unknown strategy and a key that does not parse, each by its JSON path', async () => {
    const definition = {
      name: `bad-${randomUUID().slice(0, 8)}`,
      version: 1,
      concurrency: { key: 'input.(', limit: 0, strategy: 'cancelOldest' },
      steps: [{ id: 'a', type: 'task', handler: 'external:billing', priority: 9 }],
    };
    const checked = await api('POST', '/workflows/validate', definition);
    expect(checked.status).toBe(200);
    expect(checked.body.valid).toBe(false);
    const registered = await api('POST', '/workflows', definition);
    expect(registered.status).toBeGreaterThanOrEqual(400);
    expect(registered.status).toBeLessThan(500);
    const problems = JSON.stringify(checked.body.errors);
    expect(JSON.stringify(registered.body)).toContain('$.concurrency.strategy');
    for (const path of [
      '$.concurrency.limit',
      '$.concurrency.strategy',
      '$.concurrency.key',
      '$.steps[0].priority',
    ])
      expect(problems).toContain(path);
  });
});
