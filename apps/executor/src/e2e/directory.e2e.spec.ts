import { randomBytes, randomUUID } from 'node:crypto';
import { EngineHarness, json, RecordingHttpServer, waitUntilReady } from '@spark/testing';
import { Client } from 'pg';

// ADR 0134 end to end: sources and secrets registered through the gateway's REST API reach the
// executor through its own port (their streams in the event store), so an executor started after the
// gateway's schema is gone — tables, sequence and all — still calls a LangFlow source with its API key
// and sends an http step's secret.

const PG_URL = process.env.SPARK_PG_URL ?? 'postgres://spark:spark@127.0.0.1:55432/spark';
const BOOTSTRAP_KEY = `e2e-bootstrap-${randomBytes(12).toString('hex')}`;

describe('the executor without the gateway tables', () => {
  let engine: EngineHarness;
  let pg: Client;
  const suffix = randomUUID().slice(0, 8);
  const target = new RecordingHttpServer((_request, response) => json(response, 200, { charged: true }));
  const langflow = new RecordingHttpServer((request, response) =>
    json(response, 200, {
      session_id: JSON.parse(request.body).session_id,
      outputs: [{ outputs: [{ results: { message: { text: 'from the stream', sender: 'Machine' } } }] }],
    }),
  );

  beforeAll(async () => {
    engine = await EngineHarness.start({
      services: ['scheduler', 'executor', 'gateway'],
      env: {
        SPARK_GATEWAY_BOOTSTRAP_KEY: BOOTSTRAP_KEY,
        SPARK_SECRETS_KEY: randomBytes(32).toString('hex'),
      },
    });
    pg = new Client({ connectionString: PG_URL });
    await pg.connect();
  });
  afterAll(async () => {
    await target.stop();
    await langflow.stop();
    await pg?.end();
    await engine?.stop();
  });

  const api = (method: string, path: string, body: unknown) =>
    fetch(`http://127.0.0.1:${engine.ports.gateway}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${BOOTSTRAP_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('runs a LangFlow step and an http step with a secret, registered before the gateway schema was dropped', async () => {
    const targetUrl = await target.start();
    const langflowUrl = await langflow.start();
    const token = `tok-${randomBytes(16).toString('hex')}`;
    const lfKey = `lf-${randomBytes(16).toString('hex')}`;
    const secret = `billing-${suffix}`;
    const source = `lf-${suffix}`;
    expect((await api('POST', '/secrets', { name: secret, value: 'first' })).status).toBe(201);
    // A rotation through the API, published like the create.
    expect((await api('PATCH', `/secrets/${secret}`, { value: token })).status).toBe(200);
    expect(
      (await api('POST', '/sources', { name: source, kind: 'langflow', baseUrl: langflowUrl, apiKey: lfKey }))
        .status,
    ).toBe(201);

    await engine.kill('gateway');
    const gatewaySchema = engine.env.SPARK_GATEWAY_SCHEMA!;
    await pg.query(`DROP SCHEMA "${gatewaySchema}" CASCADE`);
    const { rows } = await pg.query(`SELECT 1 FROM information_schema.schemata WHERE schema_name = $1`, [
      gatewaySchema,
    ]);
    expect(rows).toHaveLength(0);
    // A fresh executor: what it knows it folds from the streams, not from an earlier process's memory.
    await engine.kill('executor');
    await engine.startService('executor');

    const workflow = `no-gateway-tables-${suffix}`;
    await engine.register({
      name: workflow,
      version: 1,
      steps: [
        { id: 'ask', type: 'task', handler: 'langflow', config: { source, flowId: 'f1' }, input: 'hi' },
        {
          id: 'charge',
          type: 'task',
          handler: 'http',
          needs: ['ask'],
          config: {
            url: `${targetUrl}/charge`,
            method: 'POST',
            headers: { Authorization: { secret, prefix: 'Bearer ' } },
          },
          input: { amount: 5 },
        },
      ],
      output: 'steps.ask.output.text',
    });
    const run = await engine.waitForRun(await engine.startRun(workflow, {}));
    expect(run.outcome).toBe('RunCompleted');
    expect(run.result.output).toBe('from the stream');
    expect(langflow.requests).toHaveLength(1);
    expect(langflow.requests[0]!.headers['x-api-key']).toBe(lfKey);
    expect(target.requests).toHaveLength(1);
    expect(target.requests[0]!.headers.authorization).toBe(`Bearer ${token}`);
  });

  it('starts and runs steps that need no source while its event store cannot be reached', async () => {
    await engine.kill('executor');
    // Nothing listens on port 1: every read of the directory fails (and is retried) while tasks run.
    const started = await engine.startServiceWith('executor', {
      ...engine.env,
      SPARK_PG_URL: 'postgres://spark:spark@127.0.0.1:1/spark',
    });
    await waitUntilReady(started);
    const workflow = `no-event-store-${suffix}`;
    await engine.register({
      name: workflow,
      version: 1,
      steps: [{ id: 'a', type: 'task', handler: 'noop', input: '=input' }],
    });
    const run = await engine.waitForRun(await engine.startRun(workflow, { n: 1 }));
    expect(run.outcome).toBe('RunCompleted');
  });
});
