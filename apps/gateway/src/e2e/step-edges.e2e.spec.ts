import { randomBytes, randomUUID } from 'node:crypto';
import { EngineHarness, RecordingHttpServer } from '@spark/testing';
import { Client as PgClient } from 'pg';

// What crosses a step's edges, end to end (the four services as processes, real Kafka and PostgreSQL):
// how a step's timeout is reported, whoever notices it.

const PG_URL = process.env.SPARK_PG_URL ?? 'postgres://spark:spark@127.0.0.1:55432/spark';
const BOOTSTRAP_KEY = `e2e-bootstrap-${randomBytes(12).toString('hex')}`;
const GATEWAY_SCHEMA = `e2e_gw_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
const READ_MODEL_SCHEMA = `${GATEWAY_SCHEMA}_rm`;

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
});
