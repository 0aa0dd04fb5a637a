import { randomBytes, randomUUID } from 'node:crypto';
import { fromCloudEventMessage, type PublicEvent, Topics } from '@spark/contracts';
import { type IncomingMessage } from '@spark/messaging';
import { EngineHarness, json, RecordingHttpServer } from '@spark/testing';
import createClient, { type Client } from 'openapi-fetch';
import { Client as PgClient } from 'pg';
import { type paths } from '@spark/client';

// The REST API end to end: the gateway, scheduler and executor as processes against the real Kafka and
// PostgreSQL, driven with a client typed from the gateway's own OpenAPI document.

const PG_URL = process.env.SPARK_PG_URL ?? 'postgres://spark:spark@127.0.0.1:55432/spark';
const BOOTSTRAP_KEY = `e2e-bootstrap-${randomBytes(12).toString('hex')}`;
const GATEWAY_SCHEMA = `e2e_gw_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
const READ_MODEL_SCHEMA = `${GATEWAY_SCHEMA}_rm`;
/** Set once the harness has started the gateway on a free port. */
let BASE_URL = '';

type Api = Client<paths>;
const apiFor = (key?: string): Api =>
  createClient<paths>({ baseUrl: BASE_URL, ...(key ? { headers: { authorization: `Bearer ${key}` } } : {}) });

interface SseMessage {
  id?: string;
  event?: string;
  data: { runId: string; revision: string; type: string; data: Record<string, unknown> };
}

/** Reads an SSE response to its end (the gateway ends it after the run's final event). */
async function readSse(body: ReadableStream<Uint8Array>): Promise<SseMessage[]> {
  const messages: SseMessage[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const fields: Record<string, string> = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        fields[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
      }
      if (fields.data) messages.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) });
    }
  }
  return messages;
}

describe('gateway REST API end to end', () => {
  let engine: EngineHarness;
  let admin: Api;
  let writer: Api;
  let reader: Api;
  let writerKey = '';
  const suffix = randomUUID().slice(0, 8);
  const doubler = `double-${suffix}`;
  const approval = `approval-${suffix}`;

  beforeAll(async () => {
    engine = await EngineHarness.start({
      services: ['scheduler', 'executor', 'projector', 'gateway'],
      env: {
        SPARK_GATEWAY_SCHEMA: GATEWAY_SCHEMA,
        SPARK_READ_MODEL_SCHEMA: READ_MODEL_SCHEMA,
        SPARK_GATEWAY_BOOTSTRAP_KEY: BOOTSTRAP_KEY,
        SPARK_SECRETS_KEY: randomBytes(32).toString('hex'),
        SPARK_GATEWAY_BODY_LIMIT_BYTES: String(64 * 1024),
      },
    });
    BASE_URL = `http://127.0.0.1:${engine.ports.gateway}`;
    admin = apiFor(BOOTSTRAP_KEY);
    const created = await Promise.all(
      (
        [
          ['e2e-writer', ['write']],
          ['e2e-reader', ['read']],
        ] as const
      ).map(([name, scopes]) => admin.POST('/api/v1/api-keys', { body: { name, scopes: [...scopes] } })),
    );
    for (const { response } of created) expect(response.status).toBe(201);
    const [writerCreated, readerCreated] = created;
    writerKey = writerCreated!.data!.key;
    writer = apiFor(writerKey);
    reader = apiFor(readerCreated!.data!.key);

    const yaml = [
      `name: ${doubler}`,
      'version: 1',
      'inputSchema:',
      '  type: object',
      '  required: [n]',
      '  properties:',
      '    n: { type: number }',
      'steps:',
      '  - id: double',
      '    type: task',
      '    handler: transform',
      '    config: { expression: "input.n * 2" }',
      '    input: { n: "=input.n" }',
      'output: steps.double.output',
      '',
    ].join('\n');
    const registered = await fetch(`${BASE_URL}/api/v1/workflows`, {
      method: 'POST',
      headers: { authorization: `Bearer ${writerKey}`, 'content-type': 'application/yaml' },
      body: yaml,
    });
    expect(registered.status).toBe(201);
    const second = await writer.POST('/api/v1/workflows', {
      body: {
        name: approval,
        version: 1,
        steps: [{ id: 'approval', type: 'signal', signal: { name: 'approve', timeout: '60s' } }],
        output: 'steps.approval.output',
      },
    });
    expect(second.response.status).toBe(201);
  });

  afterAll(async () => {
    await engine?.stop();
    const client = new PgClient({ connectionString: PG_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${GATEWAY_SCHEMA} CASCADE`);
    await client.query(`DROP SCHEMA IF EXISTS ${READ_MODEL_SCHEMA} CASCADE`);
    await client.end();
  });

  const watch = async (runId: string) => {
    const { response } = await reader.GET('/api/v1/runs/{runId}/events', {
      params: { path: { runId } },
      parseAs: 'stream',
      signal: AbortSignal.timeout(60_000),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    return readSse(response.body!);
  };

  const waitForStatus = async (runId: string, status: string) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { data } = await reader.GET('/api/v1/runs/{runId}', { params: { path: { runId } } });
      if (data?.status === status) return data;
      if (Date.now() > deadline) throw new Error(`run ${runId} is ${data?.status}, not ${status}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  it('serves the OpenAPI document and the docs without a key', async () => {
    const document = await fetch(`${BASE_URL}/openapi.json`);
    expect(document.status).toBe(200);
    expect(((await document.json()) as { openapi: string }).openapi).toMatch(/^3\./);
    const docs = await fetch(`${BASE_URL}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger-ui');
  });

  it('starts a run (202 once durable), reads it at once (never 404), watches it to completion over SSE', async () => {
    const started = await writer.POST('/api/v1/workflows/{name}/runs', {
      params: { path: { name: doubler }, header: { 'Idempotency-Key': `start-${suffix}` } },
      body: { input: { n: 21 }, labels: { team: 'e2e' } },
    });
    expect(started.response.status).toBe(202);
    const runId = started.data!.runId;
    expect(started.response.headers.get('location')).toBe(`/api/v1/runs/${runId}`);
    expect(started.data).toMatchObject({ status: 'PENDING', workflow: { name: doubler, version: 1 } });

    const early = await reader.GET('/api/v1/runs/{runId}', { params: { path: { runId } } });
    expect(early.response.status).toBe(200);
    expect(['PENDING', 'RUNNING', 'COMPLETED']).toContain(early.data!.status);

    const messages = await watch(runId);
    const types = messages.map((message) => message.event);
    expect(types[0]).toBe('RunStarted');
    expect(types.at(-1)).toBe('RunCompleted');
    expect(messages.map((message) => Number(message.id))).toEqual(messages.map((_, index) => index));
    expect(messages.at(-1)!.data.data.output).toBe(42);

    const run = await reader.GET('/api/v1/runs/{runId}', { params: { path: { runId } } });
    expect(run.data).toMatchObject({
      runId,
      status: 'COMPLETED',
      output: 42,
      input: { n: 21 },
      labels: { team: 'e2e' },
      idempotencyKey: `start-${suffix}`,
    });
    const [step] = run.data!.steps;
    expect(step).toMatchObject({ stepId: 'double', status: 'SUCCEEDED', output: 42 });
    expect(step!.attempts).toEqual([
      expect.objectContaining({
        attempt: 1,
        status: 'SUCCEEDED',
        handler: 'transform',
        input: { n: 21 },
        output: 42,
      }),
    ]);

    // A watch of a finished run replays its events and ends.
    expect((await watch(runId)).map((message) => message.event)).toEqual(types);
  });

  it("publishes the run's public CloudEvents to spark.events.v1, keyed by run, in order", async () => {
    const received: IncomingMessage[] = [];
    const consumer = await engine.messaging.consume({
      groupId: `e2e-public-events-${suffix}`,
      topics: [Topics.publicEvents],
      fromBeginning: true,
      handle: async (message) => void received.push(message),
    });
    try {
      const started = await writer.POST('/api/v1/workflows/{name}/runs', {
        params: { path: { name: doubler } },
        body: { input: { n: 4 } },
      });
      const runId = started.data!.runId;
      const deadline = Date.now() + 30_000;
      const ofRun = () => received.filter((message) => message.key === runId);
      while (!ofRun().some((m) => m.headers.ce_type === 'spark.run.completed.v1') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const events = ofRun().map((message) => fromCloudEventMessage(message) as PublicEvent);
      expect(events.map((event) => event.type)).toEqual([
        'spark.run.started.v1',
        'spark.step.succeeded.v1',
        'spark.run.completed.v1',
      ]);
      const completed = ofRun().at(-1)!;
      expect(completed.headers).toMatchObject({
        ce_specversion: '1.0',
        ce_subject: runId,
        'content-type': 'application/json',
      });
      expect(JSON.parse(completed.value!.toString())).toMatchObject({ runId, output: 8 });
    } finally {
      await consumer.stop();
    }
  });

  it('answers a repeated start with the same Idempotency-Key with the same run, started once', async () => {
    const start = () =>
      writer.POST('/api/v1/runs', {
        params: { header: { 'Idempotency-Key': `repeat-${suffix}` } },
        body: { workflow: doubler, input: { n: 1 } },
      });
    const first = await start();
    const second = await start();
    expect(first.response.status).toBe(202);
    expect(second.response.status).toBe(202);
    expect(second.data!.runId).toBe(first.data!.runId);
    const messages = await watch(first.data!.runId);
    expect(messages.at(-1)!.event).toBe('RunCompleted');
    const third = await start();
    expect(third.data!.runId).toBe(first.data!.runId);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const events = await engine.events(first.data!.runId);
    expect(events.filter((event) => event.type === 'RunStarted')).toHaveLength(1);
    // Without a key, every start is a new run.
    const a = await writer.POST('/api/v1/runs', { body: { workflow: doubler, input: { n: 1 } } });
    const b = await writer.POST('/api/v1/runs', { body: { workflow: doubler, input: { n: 1 } } });
    expect(a.data!.runId).not.toBe(b.data!.runId);
  });

  it('answers a repeated key with the run as it is (status, pinned version); the key with another request is 422', async () => {
    const name = `idem-${suffix}`;
    const register = (version: number) =>
      writer.POST('/api/v1/workflows', {
        body: {
          name,
          version,
          steps: [{ id: 'echo', type: 'task', handler: 'transform', config: { expression: 'input' } }],
          output: 'steps.echo.output',
        },
      });
    expect((await register(1)).response.status).toBe(201);
    const key = `idem-key-${suffix}`;
    const start = (body: {
      workflow: string;
      version?: number;
      input?: unknown;
      labels?: Record<string, string>;
    }) => writer.POST('/api/v1/runs', { params: { header: { 'Idempotency-Key': key } }, body });
    const first = await start({ workflow: name, input: { n: 1 }, labels: { team: 'a' } });
    expect(first.response.status).toBe(202);
    expect(first.data).toMatchObject({ status: 'PENDING', workflow: { name, version: 1 } });
    await waitForStatus(first.data!.runId, 'COMPLETED');
    expect((await register(2)).response.status).toBe(201);

    // The same request again (labels in another key order are the same labels): the run as it is.
    const again = await start({ labels: { team: 'a' }, input: { n: 1 }, workflow: name });
    expect(again.response.status).toBe(202);
    expect(again.data).toEqual({
      runId: first.data!.runId,
      status: 'COMPLETED',
      workflow: { name, version: 1 },
      location: `/api/v1/runs/${first.data!.runId}`,
    });
    const viaPath = await writer.POST('/api/v1/workflows/{name}/runs', {
      params: { path: { name }, header: { 'Idempotency-Key': key } },
      body: { input: { n: 1 }, labels: { team: 'a' } },
    });
    expect(viaPath.data).toMatchObject({ runId: first.data!.runId, status: 'COMPLETED' });

    // The same key with anything else: 422 naming the key and what differs.
    const others: [Parameters<typeof start>[0], string][] = [
      [{ workflow: name, input: { n: 2 }, labels: { team: 'a' } }, 'input'],
      [{ workflow: name, input: { n: 1 }, labels: { team: 'b' } }, 'labels'],
      [{ workflow: name, version: 2, input: { n: 1 }, labels: { team: 'a' } }, 'version'],
      [{ workflow: doubler, input: { n: 1 }, labels: { team: 'a' } }, 'workflow'],
    ];
    for (const [body, differing] of others) {
      const { response, error } = await start(body);
      expect(response.status).toBe(422);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(error!.detail).toContain(key);
      expect(error!.detail).toContain(differing);
      expect(error!.errors).toEqual([
        { path: 'header:Idempotency-Key', message: expect.stringContaining(differing) },
      ]);
    }
    const events = await engine.events(first.data!.runId);
    expect(events.filter((event) => event.type === 'RunStarted')).toHaveLength(1);
  });

  it('delivers a signal to a waiting run, whose payload becomes its output', async () => {
    const started = await writer.POST('/api/v1/runs', { body: { workflow: approval } });
    const runId = started.data!.runId;
    const waiting = await waitForStatus(runId, 'RUNNING');
    expect(waiting.steps[0]).toMatchObject({ stepId: 'approval' });
    await engine.waitForEvent(runId, (event) => event.type === 'StepWaiting');
    const signalled = await writer.POST('/api/v1/runs/{runId}/signals', {
      params: { path: { runId } },
      body: { name: 'approve', payload: { by: 'ana' }, reason: 'invoice checked' },
    });
    expect(signalled.response.status).toBe(202);
    const messages = await watch(runId);
    expect(messages.at(-1)!.event).toBe('RunCompleted');
    // The reason is stored in the event and shown in the run.
    expect(messages.find((message) => message.event === 'SignalReceived')!.data.data).toMatchObject({
      name: 'approve',
      reason: 'invoice checked',
    });
    const run = await reader.GET('/api/v1/runs/{runId}', { params: { path: { runId } } });
    expect(run.data).toMatchObject({ status: 'COMPLETED', output: { by: 'ana' } });
    expect(run.data!.actions).toEqual([
      {
        action: 'SIGNAL',
        at: expect.any(String),
        signal: 'approve',
        signalId: expect.any(String),
        reason: 'invoice checked',
      },
    ]);
    // A finished run takes no more signals: 409 from the gateway, not a silent drop.
    const late = await writer.POST('/api/v1/runs/{runId}/signals', {
      params: { path: { runId } },
      body: { name: 'approve' },
    });
    expect(late.response.status).toBe(409);
    expect(late.error).toMatchObject({ status: 409, reason: 'RUN_FINISHED' });
  });

  it('cancels a running run; cancelling or retrying a completed run is a 409', async () => {
    const started = await writer.POST('/api/v1/runs', { body: { workflow: approval } });
    const runId = started.data!.runId;
    await engine.waitForEvent(runId, (event) => event.type === 'StepWaiting');
    const watching = watch(runId);
    const cancelled = await writer.POST('/api/v1/runs/{runId}/cancel', {
      params: { path: { runId } },
      body: { reason: 'e2e' },
    });
    expect(cancelled.response.status).toBe(202);
    expect((await watching).at(-1)!.event).toBe('RunCancelled');
    expect((await reader.GET('/api/v1/runs/{runId}', { params: { path: { runId } } })).data).toMatchObject({
      status: 'CANCELLED',
      steps: [expect.objectContaining({ stepId: 'approval', status: 'CANCELLED' })],
      actions: [{ action: 'CANCEL', at: expect.any(String), reason: 'e2e' }],
    });

    const done = await writer.POST('/api/v1/runs', { body: { workflow: doubler, input: { n: 2 } } });
    await watch(done.data!.runId);
    const cancelDone = await writer.POST('/api/v1/runs/{runId}/cancel', {
      params: { path: { runId: done.data!.runId } },
      body: {},
    });
    expect(cancelDone.response.status).toBe(409);
    expect(cancelDone.error!.detail).toMatch(/already completed/);
    const retryDone = await writer.POST('/api/v1/runs/{runId}/retry', {
      params: { path: { runId: done.data!.runId } },
    });
    expect(retryDone.response.status).toBe(409);
    expect(retryDone.error).toMatchObject({ reason: 'RUN_NOT_FAILED' });
  });

  describe('refuses bad requests with the right status and a problem naming what is wrong', () => {
    const expectProblem = (response: Response, status: number) => {
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    };

    it('unknown workflow: 404 naming $.workflow', async () => {
      const { response, error } = await writer.POST('/api/v1/runs', {
        body: { workflow: `missing-${suffix}` },
      });
      expectProblem(response, 404);
      expect(error).toMatchObject({
        status: 404,
        detail: `workflow "missing-${suffix}" is not registered`,
        errors: [{ path: '$.workflow', message: expect.any(String) }],
        instance: '/api/v1/runs',
      });
      const run = await reader.GET('/api/v1/runs/{runId}', { params: { path: { runId: randomUUID() } } });
      expectProblem(run.response, 404);
    });

    it("input that fails the workflow's input schema: 422 naming the field", async () => {
      const { response, error } = await writer.POST('/api/v1/runs', {
        body: { workflow: doubler, input: { n: 'twenty' } },
      });
      expectProblem(response, 422);
      expect(error!.errors).toEqual([{ path: '$.input.n', message: 'must be number' }]);
      expect(error!.detail).toContain('does not match the input schema');
    });

    it('unknown or mistyped body fields: 400 naming each', async () => {
      const { response, error } = await writer.POST('/api/v1/runs', {
        body: { workflow: doubler, version: 'one', colour: 'red' } as never,
      });
      expectProblem(response, 400);
      expect(error!.errors!.map((entry) => entry.path).sort()).toEqual([
        '$.colour',
        '$.version',
        '$.version',
      ]);
    });

    it('a reason that is not a string of at most 500 characters: 400 naming $.reason, nothing sent', async () => {
      const started = await writer.POST('/api/v1/runs', { body: { workflow: approval } });
      const runId = started.data!.runId;
      const path = { params: { path: { runId } } };
      const tooLong = 'x'.repeat(501);
      const refusals = [
        await writer.POST('/api/v1/runs/{runId}/cancel', { ...path, body: { reason: tooLong } }),
        await writer.POST('/api/v1/runs/{runId}/retry', { ...path, body: { reason: tooLong } }),
        await writer.POST('/api/v1/runs/{runId}/signals', {
          ...path,
          body: { name: 'approve', reason: tooLong },
        }),
        await writer.POST('/api/v1/runs/bulk-cancel', { body: { runIds: [runId], reason: tooLong } }),
        await writer.POST('/api/v1/runs/{runId}/cancel', { ...path, body: { reason: 42 as never } }),
      ];
      for (const { response, error } of refusals) {
        expectProblem(response, 400);
        expect(error!.errors).toEqual([
          { path: '$.reason', message: expect.stringMatching(/^reason must be/) },
        ]);
      }
      expect(refusals[0]!.error!.errors![0]!.message).toBe('reason must be at most 500 characters');
      expect(refusals[4]!.error!.errors![0]!.message).toBe('reason must be a string');
      // Exactly 500 is fine; the run is cancelled with it, so nothing above reached the run.
      await engine.waitForEvent(runId, (event) => event.type === 'StepWaiting');
      const atLimit = await writer.POST('/api/v1/runs/{runId}/cancel', {
        ...path,
        body: { reason: 'y'.repeat(500) },
      });
      expect(atLimit.response.status).toBe(202);
      const events = await engine.waitForEvent(runId, (event) => event.type === 'RunCancelled');
      expect(events.map((event) => event.type)).not.toContain('SignalReceived');
      expect(events.filter((event) => event.type === 'RunCancelled').map((event) => event.data)).toEqual([
        expect.objectContaining({ reason: 'y'.repeat(500) }),
      ]);
    });

    it('no API key: 401; an invalid one: 401', async () => {
      const { response, error } = await apiFor().GET('/api/v1/runs/{runId}', {
        params: { path: { runId: randomUUID() } },
      });
      expectProblem(response, 401);
      expect(error!.detail).toMatch(/API key is required/);
      const invalid = await apiFor('spk_not-a-key').GET('/api/v1/sources');
      expectProblem(invalid.response, 401);
      expect(invalid.error!.detail).toMatch(/not valid/);
    });

    it('a key without the scope: 403 naming the scope', async () => {
      const { response, error } = await reader.POST('/api/v1/runs', {
        body: { workflow: doubler, input: { n: 1 } },
      });
      expectProblem(response, 403);
      expect(error!.detail).toMatch(/needs the "write" scope/);
      const keys = await writer.GET('/api/v1/api-keys');
      expectProblem(keys.response, 403);
    });

    it('a body over the limit: 413', async () => {
      const response = await fetch(`${BASE_URL}/api/v1/runs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${writerKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ workflow: doubler, input: { blob: 'x'.repeat(70 * 1024) } }),
      });
      expectProblem(response, 413);
      expect(((await response.json()) as { detail: string }).detail).toMatch(
        /larger than the limit of 65536 bytes/,
      );
    });

    it('malformed JSON: 400', async () => {
      const response = await fetch(`${BASE_URL}/api/v1/runs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${writerKey}`, 'content-type': 'application/json' },
        body: '{"workflow": ',
      });
      expectProblem(response, 400);
      expect(((await response.json()) as { detail: string }).detail).toMatch(/not valid JSON/);
    });

    it('an invalid workflow definition: 422 with the JSON path of each problem; validate says the same', async () => {
      const definition = {
        name: `bad-${suffix}`,
        version: 1,
        steps: [{ id: 'a', type: 'task', handler: 'noop', needs: ['ghost'] }],
      };
      const { response, error } = await writer.POST('/api/v1/workflows', { body: definition });
      expectProblem(response, 422);
      expect(error!.errors).toContainEqual({
        path: '$.steps[0].needs[0]',
        message: expect.stringContaining('ghost'),
      });
      const validated = await reader.POST('/api/v1/workflows/validate', { body: definition });
      expect(validated.data).toMatchObject({ valid: false, errors: error!.errors });
    });

    it('a cycle that another step depends on: 422 naming the cycle (validate: valid=false)', async () => {
      const definition = {
        name: `cycle-${suffix}`,
        version: 1,
        steps: [
          { id: 'a', type: 'task', handler: 'noop', needs: ['b'] },
          { id: 'b', type: 'task', handler: 'noop', needs: ['a'] },
          { id: 'c', type: 'task', handler: 'noop', needs: ['a'] },
        ],
      };
      const { response, error } = await writer.POST('/api/v1/workflows', { body: definition });
      expectProblem(response, 422);
      expect(error!.errors).toEqual([{ path: '$.steps[0].needs', message: 'cycle: a → b → a' }]);
      const validated = await reader.POST('/api/v1/workflows/validate', { body: definition });
      expect(validated.response.status).toBe(200);
      expect(validated.data).toMatchObject({ valid: false, errors: error!.errors });
    });

    it('text with a NUL character anywhere (path, query, body): 400 naming where, never 500', async () => {
      const get = (path: string, key = writerKey) =>
        fetch(`${BASE_URL}${path}`, { headers: { authorization: `Bearer ${key}` } });
      const cases: [Promise<Response>, string][] = [
        [get('/api/v1/runs?workflow=a%00b'), 'query:workflow'],
        [get('/api/v1/runs?label=a%00b'), 'query:label'],
        [get('/api/v1/sources/a%00b'), 'path:name'],
        [get('/api/v1/workflows/a%00b'), 'path:name'],
        [get('/api/v1/runs/a%00b'), 'path:runId'],
        [get('/api/v1/schedules/a%00b'), 'path:scheduleId'],
        [
          fetch(`${BASE_URL}/api/v1/runs`, {
            method: 'POST',
            headers: { authorization: `Bearer ${writerKey}`, 'content-type': 'application/json' },
            body: JSON.stringify({ workflow: doubler, input: { n: 1, note: 'a\u0000b' } }),
          }),
          '$.input.note',
        ],
      ];
      for (const [pending, path] of cases) {
        const response = await pending;
        expectProblem(response, 400);
        const problem = (await response.json()) as { errors: { path: string }[] };
        expect(problem.errors.map((entry) => entry.path)).toContain(path);
      }
    });

    it('path parameters that cannot name anything: 400 naming the parameter, no internal field names', async () => {
      const response = await fetch(`${BASE_URL}/api/v1/workflows/${'x'.repeat(300)}`, {
        headers: { authorization: `Bearer ${writerKey}` },
      });
      expectProblem(response, 400);
      const text = await response.text();
      expect(text).toContain('path:name');
      expect(text).not.toContain('streamName');
      const upper = await reader.GET('/api/v1/workflows/{name}', {
        params: { path: { name: 'Not_A_Name' } },
      });
      expectProblem(upper.response, 400);
    });

    it('an unsupported method on a known path: 405 with an Allow header; an unknown path stays 404', async () => {
      const call = (method: string, path: string) =>
        fetch(`${BASE_URL}${path}`, { method, headers: { authorization: `Bearer ${writerKey}` } });
      const cases: [string, string, string][] = [
        ['PATCH', '/api/v1/api-keys', 'GET, HEAD, POST'],
        ['PUT', '/api/v1/runs', 'GET, HEAD, POST'],
        ['DELETE', `/api/v1/runs/${randomUUID()}`, 'GET, HEAD'],
        ['POST', '/health/live', 'GET, HEAD'],
      ];
      for (const [method, path, allow] of cases) {
        const response = await call(method, path);
        expectProblem(response, 405);
        expect(response.headers.get('allow')!.split(', ').sort()).toEqual(allow.split(', ').sort());
      }
      const unknown = await call('GET', '/api/v1/nothing-here');
      expect(unknown.status).toBe(404);
    });

    it('null where the document allows no null: 400, not a NULL in the database', async () => {
      const name = `nulls-${suffix}`;
      const created = await admin.POST('/api/v1/sources', {
        body: { name, kind: 'agent', baseUrl: 'http://agents:8881' },
      });
      expect(created.response.status).toBe(201);
      for (const body of [{ baseUrl: null }, { kind: null }, { description: null }]) {
        const { response, error } = await admin.PATCH('/api/v1/sources/{name}', {
          params: { path: { name } },
          body: body as never,
        });
        expectProblem(response, 400);
        expect(new Set(error!.errors!.map((entry) => entry.path))).toEqual(
          new Set([`$.${Object.keys(body)[0]}`]),
        );
      }
    });

    it('sources: a create without kind or baseUrl is 400 naming them; a PATCH that changes nothing is 400', async () => {
      const created = await admin.POST('/api/v1/sources', { body: { name: `nokind-${suffix}` } as never });
      expectProblem(created.response, 400);
      expect(created.error!.errors!.map((entry) => entry.path).sort()).toEqual(
        expect.arrayContaining(['$.baseUrl', '$.kind']),
      );
      const name = `patch-${suffix}`;
      const source = await admin.POST('/api/v1/sources', {
        body: { name, kind: 'agent', baseUrl: 'http://agents:8881' },
      });
      expect(source.response.status).toBe(201);
      for (const body of [undefined, '{}']) {
        const response = await fetch(`${BASE_URL}/api/v1/sources/${name}`, {
          method: 'PATCH',
          headers: {
            authorization: `Bearer ${BOOTSTRAP_KEY}`,
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          ...(body ? { body } : {}),
        });
        expectProblem(response, 400);
        expect(((await response.json()) as { detail: string }).detail).toMatch(/changes nothing/);
      }
    });
  });

  it('keeps workflow versions: latest, a given one, the list; the same version again is a no-op', async () => {
    const again = await writer.POST('/api/v1/workflows', {
      body: {
        name: approval,
        version: 1,
        steps: [{ id: 'approval', type: 'signal', signal: { name: 'approve', timeout: '60s' } }],
        output: 'steps.approval.output',
      },
    });
    expect(again.response.status).toBe(200);
    expect(again.data).toMatchObject({ created: false });
    const v2 = await writer.POST('/api/v1/workflows', {
      body: { name: approval, version: 2, steps: [{ id: 'x', type: 'task', handler: 'noop' }] },
    });
    expect(v2.response.status).toBe(201);
    const latest = await reader.GET('/api/v1/workflows/{name}', { params: { path: { name: approval } } });
    expect(latest.data).toMatchObject({ version: 2 });
    const first = await reader.GET('/api/v1/workflows/{name}/versions/{version}', {
      params: { path: { name: approval, version: 1 } },
    });
    expect(first.data).toMatchObject({ version: 1 });
    const versions = await reader.GET('/api/v1/workflows/{name}/versions', {
      params: { path: { name: approval } },
    });
    expect(versions.data!.map((entry) => entry.version)).toEqual([1, 2]);
    const conflicting = await writer.POST('/api/v1/workflows', {
      body: { name: approval, version: 2, steps: [{ id: 'y', type: 'task', handler: 'noop' }] },
    });
    expect(conflicting.response.status).toBe(409);
  });

  it('stores sources with their API key encrypted and never returns the key', async () => {
    const name = `lf-${suffix}`;
    const created = await admin.POST('/api/v1/sources', {
      body: { name, kind: 'langflow', baseUrl: 'http://langflow.internal:7860', apiKey: 'lf-secret-123' },
    });
    expect(created.response.status).toBe(201);
    expect(created.data).toMatchObject({ name, kind: 'langflow', hasApiKey: true });
    expect(JSON.stringify(created.data)).not.toContain('lf-secret-123');
    const client = new PgClient({ connectionString: PG_URL });
    await client.connect();
    const { rows } = await client.query(`SELECT * FROM ${GATEWAY_SCHEMA}.sources WHERE name = $1`, [name]);
    await client.end();
    expect(JSON.stringify(rows)).not.toContain('lf-secret-123');
    expect(rows[0].api_key_cipher).toBeInstanceOf(Buffer);

    const forbidden = await writer.POST('/api/v1/sources', {
      body: { name: `${name}-2`, kind: 'agent', baseUrl: 'http://agents:8881' },
    });
    expect(forbidden.response.status).toBe(403);
    const updated = await admin.PATCH('/api/v1/sources/{name}', {
      params: { path: { name } },
      body: { apiKey: null, baseUrl: 'https://langflow.example.com' },
    });
    expect(updated.data).toMatchObject({ hasApiKey: false, baseUrl: 'https://langflow.example.com' });
    const listed = await reader.GET('/api/v1/sources');
    expect(listed.data!.map((source) => source.name)).toContain(name);
    const deleted = await admin.DELETE('/api/v1/sources/{name}', { params: { path: { name } } });
    expect(deleted.response.status).toBe(204);
    const gone = await reader.GET('/api/v1/sources/{name}', { params: { path: { name } } });
    expect(gone.response.status).toBe(404);
  });

  it('a LangFlow step calls a source registered through the API, with its decrypted key', async () => {
    const langflow = new RecordingHttpServer((request, response) =>
      json(response, 200, {
        session_id: JSON.parse(request.body).session_id,
        outputs: [{ outputs: [{ results: { message: { text: 'registered', sender: 'Machine' } } }] }],
      }),
    );
    const url = await langflow.start();
    try {
      const source = `lf-registered-${suffix}`;
      const key = `lf-key-${randomUUID()}`;
      const created = await admin.POST('/api/v1/sources', {
        body: { name: source, kind: 'langflow', baseUrl: url, apiKey: key },
      });
      expect(created.response.status).toBe(201);
      const workflow = `registered-source-${suffix}`;
      await engine.register({
        name: workflow,
        version: 1,
        steps: [
          { id: 'ask', type: 'task', handler: 'langflow', config: { source, flowId: 'f1' }, input: 'hi' },
        ],
        output: 'steps.ask.output.text',
      });
      const started = await writer.POST('/api/v1/runs', { body: { workflow, input: {} } });
      const run = await engine.waitForRun(started.data!.runId);
      expect(run.outcome).toBe('RunCompleted');
      expect(run.result.output).toBe('registered');
      expect(langflow.requests).toHaveLength(1);
      expect(langflow.requests[0]!.headers['x-api-key']).toBe(key);
    } finally {
      await langflow.stop();
    }
  });

  it('lists runs from the read model, filtered and paginated', async () => {
    const started = [];
    for (let n = 0; n < 3; n++) {
      // Version 1 waits for a signal (an earlier test registers a version 2 that completes at once).
      const { data } = await writer.POST('/api/v1/runs', {
        body: { workflow: approval, version: 1, input: { n }, labels: { batch: `list-${suffix}` } },
      });
      started.push(data!.runId);
    }
    const deadline = Date.now() + 30_000;
    let listed: string[] = [];
    while (Date.now() < deadline) {
      const { data } = await reader.GET('/api/v1/runs', {
        params: { query: { workflow: approval, status: 'RUNNING', limit: 100 } },
      });
      listed = data!.items.map((run) => run.runId);
      if (started.every((runId) => listed.includes(runId))) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(listed).toEqual(expect.arrayContaining(started));
    const byLabel = await reader.GET('/api/v1/runs', {
      params: { query: { label: `batch=list-${suffix}` } },
    });
    expect(byLabel.data!.items.map((run) => run.runId).sort()).toEqual([...started].sort());
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const { data } = await reader.GET('/api/v1/runs', {
        params: { query: { workflow: approval, status: 'RUNNING', limit: 2, ...(cursor ? { cursor } : {}) } },
      });
      pages.push(data!.items.map((run) => run.runId));
      cursor = data!.nextCursor;
    } while (cursor);
    expect(pages.flat()).toEqual(listed);
    expect(pages[0]).toHaveLength(2);
    const bad = await reader.GET('/api/v1/runs', { params: { query: { cursor: 'nonsense' } } });
    expect(bad.response.status).toBe(400);
    expect(bad.error!.errors).toEqual([{ path: 'query:cursor', message: expect.any(String) }]);
    for (const runId of started)
      await writer.POST('/api/v1/runs/{runId}/cancel', { params: { path: { runId } }, body: {} });
  });
});
