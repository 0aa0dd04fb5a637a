import { randomBytes, randomUUID } from 'node:crypto';
import type * as grpc from '@grpc/grpc-js';
import { EngineHarness, json, RecordingHttpServer } from '@spark/testing';
import { Client as PgClient } from 'pg';
import { bearer, type Message, sparkClients } from './support/grpc-client';

// What crosses a step's edges, end to end (the four services as processes, real Kafka and PostgreSQL):
// how a step's timeout is reported, whoever notices it; W3C trace context from the caller into the run
// and from an http step to the service it calls; secrets an http step sends without writing them down.

const PG_URL = process.env.SPARK_PG_URL ?? 'postgres://spark:spark@127.0.0.1:55432/spark';
const BOOTSTRAP_KEY = `e2e-bootstrap-${randomBytes(12).toString('hex')}`;
const GATEWAY_SCHEMA = `e2e_gw_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
const READ_MODEL_SCHEMA = `${GATEWAY_SCHEMA}_rm`;
const JAEGER = (process.env.SPARK_JAEGER_QUERY_URL ?? 'http://127.0.0.1:16686').replace(/\/$/, '');

interface JaegerSpan {
  spanID: string;
  operationName: string;
  references: { refType: string; spanID: string }[];
  tags: { key: string; value: unknown }[];
}
const tag = (span: JaegerSpan, key: string) => span.tags.find((t) => t.key === key)?.value;
const parentOf = (span: JaegerSpan) => span.references.find((ref) => ref.refType === 'CHILD_OF')?.spanID;
const hex = (bytes: number) => randomBytes(bytes).toString('hex');
/** JSON of recorded events (their revisions and positions are bigints). */
const text = (value: unknown) =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? String(v) : v));

/** The spans of a trace in Jaeger once `ready` says they are all there. */
async function jaegerSpans(traceId: string, ready: (spans: JaegerSpan[]) => boolean): Promise<JaegerSpan[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await fetch(`${JAEGER}/api/traces/${traceId}`);
    if (response.ok) {
      const spans = ((await response.json()) as { data: { spans: JaegerSpan[] }[] }).data[0]?.spans ?? [];
      if (ready(spans)) return spans;
    }
    if (Date.now() > deadline) throw new Error(`trace ${traceId} did not reach Jaeger in time`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe("a step's edges end to end", () => {
  let engine: EngineHarness;
  let pg: PgClient;
  let baseUrl = '';
  const suffix = randomUUID().slice(0, 8);

  const api = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${BOOTSTRAP_KEY}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };

  beforeAll(async () => {
    engine = await EngineHarness.start({
      services: ['scheduler', 'executor', 'projector', 'gateway'],
      env: {
        SPARK_GATEWAY_SCHEMA: GATEWAY_SCHEMA,
        SPARK_READ_MODEL_SCHEMA: READ_MODEL_SCHEMA,
        SPARK_GATEWAY_BOOTSTRAP_KEY: BOOTSTRAP_KEY,
        SPARK_SECRETS_KEY: randomBytes(32).toString('hex'),
      },
    });
    baseUrl = `http://127.0.0.1:${engine.ports.gateway}`;
    pg = new PgClient({ connectionString: PG_URL });
    await pg.connect();
  });

  afterAll(async () => {
    await engine?.stop();
    await pg?.query(`DROP SCHEMA IF EXISTS ${GATEWAY_SCHEMA} CASCADE`);
    await pg?.query(`DROP SCHEMA IF EXISTS ${READ_MODEL_SCHEMA} CASCADE`);
    await pg?.end();
  });

  /** The run's step attempts as the read model has them, once the projector has caught up. */
  const projectedAttempts = async (runId: string, final: string) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const run = await pg.query(`SELECT status FROM ${READ_MODEL_SCHEMA}.runs WHERE id = $1`, [runId]);
      if (run.rows[0]?.status === final) break;
      if (Date.now() > deadline) throw new Error(`run ${runId} is not ${final} in the read model`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const attempts = await pg.query(
      `SELECT attempt, status, error FROM ${READ_MODEL_SCHEMA}.step_attempts WHERE run_id = $1 ORDER BY attempt`,
      [runId],
    );
    return attempts.rows as { attempt: number; status: string; error: { code: string } | null }[];
  };

  it('a start-to-close timeout is TIMEOUT_START_TO_CLOSE on a TIMED_OUT attempt, whoever notices, so nonRetryableErrors holds', async () => {
    // Answers nothing: the attempt outlives its start-to-close (the executor and the scheduler race to notice).
    const silent = new RecordingHttpServer(() => new Promise(() => undefined));
    const url = await silent.start();
    try {
      const workflow = `timeout-${suffix}`;
      const registered = await api('POST', '/workflows', {
        name: workflow,
        version: 1,
        steps: [
          {
            id: 'slow',
            type: 'task',
            handler: 'http',
            config: { url: `${url}/hang`, method: 'GET' },
            timeout: { startToClose: '1s' },
            retry: {
              maxAttempts: 3,
              backoff: 'fixed',
              initialInterval: '100ms',
              nonRetryableErrors: ['TIMEOUT_START_TO_CLOSE'],
            },
          },
        ],
      });
      expect(registered.status).toBe(201);
      const started = await api('POST', '/runs', { workflow, input: {} });
      expect(started.status).toBe(202);
      const runId = started.body.runId as string;

      const run = await engine.waitForRun(runId);
      expect(run.outcome).toBe('RunFailed');
      expect(run.result.error).toMatchObject({ code: 'TIMEOUT_START_TO_CLOSE' });
      const types = run.events.map((event) => event.type);
      expect(types.filter((type) => type === 'TaskDispatched')).toHaveLength(1);
      expect(types).toContain('StepTimedOut');
      expect(types).not.toContain('StepAttemptFailed');

      const view = await api('GET', `/runs/${runId}`);
      const steps = view.body.steps as {
        stepId: string;
        attempts: { status: string; error?: { code: string } }[];
      }[];
      expect(steps.find((step) => step.stepId === 'slow')!.attempts).toEqual([
        expect.objectContaining({
          status: 'TIMED_OUT',
          error: expect.objectContaining({ code: 'TIMEOUT_START_TO_CLOSE' }),
        }),
      ]);
      expect(await projectedAttempts(runId, 'failed')).toEqual([
        expect.objectContaining({
          attempt: 1,
          status: 'timedOut',
          error: expect.objectContaining({ code: 'TIMEOUT_START_TO_CLOSE' }),
        }),
      ]);
    } finally {
      await silent.stop();
    }
  });

  describe('trace context', () => {
    let target: RecordingHttpServer;
    const workflow = `traced-${suffix}`;

    beforeAll(async () => {
      target = new RecordingHttpServer((_request, response) => json(response, 200, { ok: true }));
      const url = await target.start();
      const registered = await api('POST', '/workflows', {
        name: workflow,
        version: 1,
        steps: [
          {
            id: 'call',
            type: 'task',
            handler: 'http',
            config: { url: `${url}/traced`, method: 'POST', headers: { traceparent: 'not-this-one' } },
            input: { hello: 'world' },
          },
        ],
      });
      expect(registered.status).toBe(201);
    });
    afterAll(() => target?.stop());

    const traceIdOfRun = async (runId: string) => {
      const run = await engine.waitForRun(runId);
      expect(run.outcome).toBe('RunCompleted');
      const traceparent = String(run.events[0]!.metadata.traceparent);
      return traceparent.split('-')[1];
    };

    it("POST /runs with a traceparent: the run is the caller's trace, and the http step sends its client span's traceparent", async () => {
      const traceId = hex(16);
      const callerSpan = hex(8);
      const started = await api(
        'POST',
        '/runs',
        { workflow, input: {} },
        { traceparent: `00-${traceId}-${callerSpan}-01` },
      );
      expect(started.status).toBe(202);
      const runId = started.body.runId as string;
      expect(await traceIdOfRun(runId)).toBe(traceId);

      const request = target.requests.find((r) => r.headers['idempotency-key'] === `${runId}:call:1`);
      const sent = String(request?.headers.traceparent);
      const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(sent);
      expect(match?.[1]).toBe(traceId);
      const clientSpanId = match![2]!;

      // In Jaeger: the gateway's run span is a child of the caller's span; the request's span is the
      // executor's CLIENT span (HTTP client conventions), a child of the step attempt's span.
      const spans = await jaegerSpans(traceId, (all) =>
        ['spark.run.start', 'spark.step.attempt', clientSpanId].every((wanted) =>
          all.some((span) => span.operationName === wanted || span.spanID === wanted),
        ),
      );
      expect(parentOf(spans.find((span) => span.operationName === 'spark.run.start')!)).toBe(callerSpan);
      const client = spans.find((span) => span.spanID === clientSpanId)!;
      expect(client.operationName).toBe('POST');
      expect(tag(client, 'span.kind')).toBe('client');
      expect(tag(client, 'http.request.method')).toBe('POST');
      expect(tag(client, 'http.response.status_code')).toBe(200);
      expect(tag(client, 'server.address')).toBe('127.0.0.1');
      expect(tag(client, 'url.full')).toBe(`${target.url}/traced`);
      const attempt = spans.find((span) => span.spanID === parentOf(client))!;
      expect(attempt.operationName).toBe('spark.step.attempt');
      expect(tag(attempt, 'spark.run.id')).toBe(runId);
    });

    it('without a traceparent a run is a trace of its own; a malformed one is ignored', async () => {
      const plain = await api('POST', '/runs', { workflow, input: {} });
      const malformed = await api('POST', '/runs', { workflow, input: {} }, { traceparent: 'garbage' });
      expect([plain.status, malformed.status]).toEqual([202, 202]);
      const ids = await Promise.all([plain, malformed].map((r) => traceIdOfRun(r.body.runId as string)));
      expect(ids[0]).toMatch(/^[0-9a-f]{32}$/);
      expect(ids[1]).toMatch(/^[0-9a-f]{32}$/);
      expect(ids[0]).not.toBe(ids[1]);
    });

    it("gRPC StartRun with traceparent metadata: the run is the caller's trace", async () => {
      const { Runs: runs } = sparkClients(`127.0.0.1:${engine.env.SPARK_GATEWAY_GRPC_PORT}`);
      try {
        const traceId = hex(16);
        const metadata = bearer(BOOTSTRAP_KEY);
        metadata.set('traceparent', `00-${traceId}-${hex(8)}-01`);
        const accepted = await new Promise<Message>((resolve, reject) =>
          runs.StartRun!({ workflow }, metadata, { deadline: Date.now() + 15_000 }, (error, response) =>
            error ? reject(error as grpc.ServiceError) : resolve(response),
          ),
        );
        expect(await traceIdOfRun(accepted.runId as string)).toBe(traceId);
      } finally {
        runs.close();
      }
    });
  });

  describe('secrets of http steps', () => {
    it('refuses a literal credential at registration: 422 naming its path', async () => {
      const refused = await api('POST', '/workflows', {
        name: `literal-${suffix}`,
        version: 1,
        steps: [
          {
            id: 'call',
            type: 'task',
            handler: 'http',
            config: { url: 'https://billing.internal/x', headers: { Authorization: 'Bearer sk-live-1' } },
          },
        ],
      });
      expect(refused.status).toBe(422);
      expect(refused.body.errors).toEqual([
        {
          path: '$.steps[0].config.headers.Authorization',
          message: expect.stringContaining('/api/v1/secrets'),
        },
      ]);
      expect((await api('GET', `/workflows/literal-${suffix}`)).status).toBe(404);
    });

    it('sends a registered secret as the header it references; the definition, events and read model never hold it', async () => {
      const value = `tok-${randomBytes(16).toString('hex')}`;
      const name = `billing-${suffix}`;
      const created = await api('POST', '/secrets', { name, value, description: 'billing API' });
      expect(created.status).toBe(201);
      expect(JSON.stringify(created.body)).not.toContain(value);
      expect((await api('GET', `/secrets/${name}`)).body).toMatchObject({ name, description: 'billing API' });
      expect(JSON.stringify((await api('GET', '/secrets')).body)).not.toContain(value);
      expect((await api('PATCH', `/secrets/${name}`, {})).status).toBe(400);
      expect((await api('GET', '/secrets/no%00such')).status).toBe(400); // NUL in a path: 400 naming path:name
      expect((await api('GET', '/secrets/no-such')).status).toBe(404);
      expect((await api('POST', '/secrets', { name, value: 'again' })).status).toBe(409);

      const target = new RecordingHttpServer((_request, response) => json(response, 200, { charged: true }));
      const url = await target.start();
      try {
        const workflow = `secret-header-${suffix}`;
        const registered = await api('POST', '/workflows', {
          name: workflow,
          version: 1,
          steps: [
            {
              id: 'charge',
              type: 'task',
              handler: 'http',
              config: {
                url: `${url}/charge`,
                method: 'POST',
                headers: { Authorization: { secret: name, prefix: 'Bearer ' } },
              },
              input: { amount: 5 },
            },
          ],
          output: 'steps.charge.output.body',
        });
        expect(registered.status).toBe(201);
        const started = await api('POST', '/runs', { workflow, input: { amount: 5 } });
        const runId = started.body.runId as string;
        const run = await engine.waitForRun(runId);
        expect(run.outcome).toBe('RunCompleted');
        expect(target.requests).toHaveLength(1);
        expect(target.requests[0]!.headers.authorization).toBe(`Bearer ${value}`);

        // Nowhere at rest: the stored definition, the run's and the workflow's events, the read model.
        expect(JSON.stringify((await api('GET', `/workflows/${workflow}`)).body)).not.toContain(value);
        expect(text(await engine.events(runId))).not.toContain(value);
        expect(text(await engine.store.readStream(`workflow-${workflow}`))).not.toContain(value);
        await projectedAttempts(runId, 'completed');
        for (const table of ['runs', 'step_attempts', 'run_views']) {
          const { rows } = await pg.query(
            `SELECT * FROM ${READ_MODEL_SCHEMA}.${table} WHERE ${table === 'runs' ? 'id' : 'run_id'} = $1`,
            [runId],
          );
          expect(rows.length).toBeGreaterThan(0);
          expect(JSON.stringify(rows)).not.toContain(value);
        }
        const { rows: stored } = await pg.query(`SELECT * FROM ${GATEWAY_SCHEMA}.secrets WHERE name = $1`, [
          name,
        ]);
        expect(stored).toHaveLength(1);
        expect(Buffer.from(stored[0].value_cipher).toString('utf8')).not.toContain(value);
      } finally {
        await target.stop();
      }
    });

    it('a step referencing an unknown secret fails at once with SECRET_NOT_FOUND', async () => {
      const workflow = `secret-missing-${suffix}`;
      expect(
        (
          await api('POST', '/workflows', {
            name: workflow,
            version: 1,
            steps: [
              {
                id: 'call',
                type: 'task',
                handler: 'http',
                config: {
                  url: 'http://127.0.0.1:9/x',
                  headers: { 'x-api-key': { secret: 'nobody-registered-this' } },
                },
              },
            ],
          })
        ).status,
      ).toBe(201);
      const started = await api('POST', '/runs', { workflow, input: {} });
      const run = await engine.waitForRun(started.body.runId as string);
      expect(run.outcome).toBe('RunFailed');
      expect(run.result.error).toMatchObject({ code: 'SECRET_NOT_FOUND' });
    });
  });
});
