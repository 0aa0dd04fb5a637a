import { randomBytes, randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { EngineHarness, freePort } from '@spark/testing';
import { call, failure, fromValue, type GrpcClient, sparkClients, toValue } from './support/grpc-client';

// Schedules through the gateway, REST and gRPC, with the scheduler, executor and projector as processes
// against the real Kafka and PostgreSQL.

const BOOTSTRAP_KEY = `e2e-bootstrap-${randomBytes(12).toString('hex')}`;
const HOUR = 3_600_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('schedules through the gateway', () => {
  let engine: EngineHarness;
  let baseUrl = '';
  let writerKey = '';
  let readerKey = '';
  let schedulesRpc: GrpcClient;
  const suffix = randomUUID().slice(0, 8);
  const workflow = `scheduled-${suffix}`;

  const request = async (method: string, path: string, body?: unknown, key = writerKey) => {
    const response = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Json };
  };
  const eventually = async <T>(read: () => Promise<T>, done: (value: T) => boolean, what: string) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
      await sleep(100);
    }
  };

  beforeAll(async () => {
    const grpcPort = await freePort();
    engine = await EngineHarness.start({
      services: ['scheduler', 'executor', 'projector', 'gateway'],
      env: { SPARK_GATEWAY_BOOTSTRAP_KEY: BOOTSTRAP_KEY, SPARK_GATEWAY_GRPC_PORT: String(grpcPort) },
    });
    baseUrl = `http://127.0.0.1:${engine.ports.gateway}`;
    const createKey = async (name: string, scopes: string[]) => {
      const created = await request('POST', '/api-keys', { name, scopes }, BOOTSTRAP_KEY);
      expect(created.status).toBe(201);
      return created.body.key as string;
    };
    writerKey = await createKey('schedules-writer', ['write']);
    readerKey = await createKey('schedules-reader', ['read']);
    await engine.register({
      name: workflow,
      version: 1,
      inputSchema: { type: 'object', required: ['report'], properties: { report: { type: 'string' } } },
      steps: [
        {
          id: 'echo',
          type: 'task',
          handler: 'transform',
          config: { expression: 'input.report' },
          input: { report: '=input.report' },
        },
      ],
      output: 'steps.echo.output',
    });
    ({ Schedules: schedulesRpc } = sparkClients(`127.0.0.1:${grpcPort}`));
  });
  afterAll(async () => {
    schedulesRpc?.close();
    await engine?.stop();
  });

  it('refuses bad definitions with the path of each problem, and changes without the write scope', async () => {
    const bad = await request('POST', '/schedules', {
      spec: { kind: 'cron', expression: '61 * * * *', timezone: 'Mars/Olympus' },
      workflow: { name: workflow },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        { path: '$.spec.timezone', message: 'unknown IANA time zone "Mars/Olympus"' },
        expect.objectContaining({ path: '$.spec.expression' }),
      ]),
    );
    const unknownWorkflow = await request('POST', '/schedules', {
      spec: { kind: 'interval', every: '1h' },
      workflow: { name: `missing-${suffix}` },
    });
    expect(unknownWorkflow.status).toBe(422);
    expect(unknownWorkflow.body.errors[0].path).toBe('$.workflow.name');
    const badInput = await request('POST', '/schedules', {
      spec: { kind: 'interval', every: '1h' },
      workflow: { name: workflow },
      input: { report: 7 },
    });
    expect(badInput.status).toBe(422);
    expect(badInput.body.errors).toEqual([{ path: '$.input.report', message: 'must be string' }]);
    const badId = await request('POST', '/schedules', {
      id: 'no:colons',
      spec: { kind: 'interval', every: '1h' },
      workflow: { name: workflow },
    });
    expect(badId.status).toBe(400);
    expect(badId.body.errors[0].path).toBe('$.id');
    const tooFast = await request('POST', '/schedules/preview', {
      spec: { kind: 'interval', every: '10ms' },
      workflow: { name: workflow },
    });
    expect(tooFast.status).toBe(422);
    expect(tooFast.body.errors).toEqual([
      { path: '$.spec.every', message: 'must be a duration of at least 1s' },
    ]);
    const unknownField = await request('POST', '/schedules', {
      spec: { kind: 'interval', every: '1h' },
      workflow: { name: workflow },
      colour: 'blue',
    });
    expect(unknownField.status).toBe(400);
    const asReader = await request(
      'POST',
      '/schedules',
      { spec: { kind: 'interval', every: '1h' }, workflow: { name: workflow } },
      readerKey,
    );
    expect(asReader.status).toBe(403);
    expect((await request('GET', `/schedules/nope-${suffix}`, undefined, readerKey)).status).toBe(404);
  });

  it('creates, previews, pauses, triggers, backfills and deletes a schedule over REST', async () => {
    const id = `hourly-${suffix}`;
    const definition = {
      spec: { kind: 'cron', expression: '0 * * * *', timezone: 'Europe/Berlin' },
      workflow: { name: workflow },
      input: { report: 'hourly' },
      overlap: 'SKIP',
    };
    const created = await request('POST', '/schedules', { id, ...definition });
    expect(created.status).toBe(201);
    expect(created.body.schedule).toMatchObject({ id, status: 'active', schedule: definition });
    const nextNominal = created.body.schedule.nextFire.nominalTime as string;
    expect(Date.parse(nextNominal) % HOUR).toBe(0);
    // Creating it again with the same definition is a no-op.
    expect((await request('POST', '/schedules', { id, ...definition })).status).toBe(201);
    const conflicting = await request('POST', '/schedules', { id, ...definition, overlap: 'ALLOW_ALL' });
    expect(conflicting.status).toBe(409);

    const preview = await request('GET', `/schedules/${id}/fire-times?count=3`, undefined, readerKey);
    expect(preview.status).toBe(200);
    expect(preview.body.fireTimes).toEqual(
      [0, 1, 2].map((n) => new Date(Date.parse(nextNominal) + n * HOUR).toISOString()),
    );

    const paused = await request('POST', `/schedules/${id}/pause`, { reason: 'maintenance' });
    expect(paused.body.schedule).toMatchObject({ status: 'paused', nextFire: null });

    // Trigger fires even when paused: one run, with the schedule's input.
    const triggered = await request('POST', `/schedules/${id}/trigger`);
    expect(triggered.status).toBe(200);
    expect(triggered.body.fired).toEqual([expect.objectContaining({ trigger: 'manual' })]);
    const runId = triggered.body.fired[0].runId as string;
    const run = await eventually(
      () => request('GET', `/runs/${runId}`, undefined, readerKey),
      (r) => r.body?.status === 'COMPLETED',
      'triggered run',
    );
    expect(run.body).toMatchObject({ output: 'hourly', labels: { 'spark.schedule': id } });

    // Backfill the last three hours at once; doing it again starts no second run per hour.
    const now = Date.now();
    const range = {
      from: new Date(now - 3 * HOUR).toISOString(),
      to: new Date(now).toISOString(),
      overlap: 'ALLOW_ALL',
    };
    await eventually(
      () => request('GET', `/schedules/${id}`),
      (r) => r.body.runningRunIds.length === 0,
      'quiet',
    );
    const backfilled = await request('POST', `/schedules/${id}/backfill`, range);
    expect(backfilled.status).toBe(200);
    expect(backfilled.body.fired).toHaveLength(3);
    expect(backfilled.body.fired.every((fire: Json) => fire.trigger === 'backfill')).toBe(true);
    await eventually(
      () => request('GET', `/schedules/${id}`),
      (r) => r.body.runningRunIds.length === 0,
      'backfilled runs',
    );
    const again = await request('POST', `/schedules/${id}/backfill`, range);
    expect(again.body.fired.map((fire: Json) => fire.runId)).toEqual(
      backfilled.body.fired.map((fire: Json) => fire.runId),
    );
    await eventually(
      () => request('GET', `/schedules/${id}`),
      (r) => r.body.runningRunIds.length === 0,
      'repeated backfill',
    );
    for (const fire of backfilled.body.fired) {
      const events = await engine.events(fire.runId);
      expect(events.filter((event) => event.type === 'RunStarted')).toHaveLength(1);
      expect(events.at(-1)!.type).toBe('RunCompleted');
    }
    const future = await request('POST', `/schedules/${id}/backfill`, {
      from: new Date(now).toISOString(),
      to: new Date(now + HOUR).toISOString(),
    });
    expect(future.status).toBe(422);
    expect(future.body.errors[0].path).toBe('$.to');

    // The read model catches up: the stats and the list.
    const withStats = await eventually(
      () => request('GET', `/schedules/${id}`, undefined, readerKey),
      (r) => r.body.stats?.fireCount >= 7,
      'schedule stats',
    );
    expect(withStats.body.stats).toMatchObject({ id, status: 'paused' });
    const listed = await request('GET', '/schedules', undefined, readerKey);
    expect(listed.body.map((schedule: Json) => schedule.id)).toContain(id);

    const resumed = await request('POST', `/schedules/${id}/resume`);
    expect(resumed.body.schedule.status).toBe('active');
    expect(Date.parse(resumed.body.schedule.nextFire.nominalTime)).toBeGreaterThan(now);
    const updated = await request('PUT', `/schedules/${id}`, {
      ...definition,
      spec: { kind: 'interval', every: '1h' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.schedule.schedule.spec).toEqual({ kind: 'interval', every: '1h' });

    expect((await request('DELETE', `/schedules/${id}`)).status).toBe(204);
    expect((await request('GET', `/schedules/${id}`)).status).toBe(404);
    expect((await request('DELETE', `/schedules/${id}`)).status).toBe(404);
  });

  it('serves the same operations over gRPC (spark.v1.Schedules)', async () => {
    const id = `grpc-${suffix}`;
    const definition = {
      spec: { kind: 'interval', every: '1h' },
      workflow: { name: workflow },
      input: { report: 'grpc' },
    };
    const created = await call(
      schedulesRpc,
      'CreateSchedule',
      { scheduleId: id, definition: toValue(definition).structValue, paused: true },
      writerKey,
    );
    expect(created.schedule).toMatchObject({ scheduleId: id, status: 'paused' });
    expect(fromValue({ structValue: created.schedule.definition })).toEqual(definition);

    const preview = await call(schedulesRpc, 'PreviewFireTimes', { scheduleId: id, count: 2 }, readerKey);
    expect(preview.fireTimes).toHaveLength(2);
    expect(Number(preview.fireTimes[1].seconds) - Number(preview.fireTimes[0].seconds)).toBe(3600);

    const triggered = await call(schedulesRpc, 'TriggerSchedule', { scheduleId: id }, writerKey);
    expect(triggered.fired).toEqual([expect.objectContaining({ trigger: 'manual' })]);
    await engine.waitForRun(triggered.fired[0].runId, 30_000);

    const invalid = await failure(
      call(
        schedulesRpc,
        'UpdateSchedule',
        { scheduleId: id, definition: toValue({ ...definition, overlap: 'SOMETIMES' }).structValue },
        writerKey,
      ),
    );
    expect(invalid.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(invalid.details).toContain('$.overlap');
    const asReader = await failure(call(schedulesRpc, 'TriggerSchedule', { scheduleId: id }, readerKey));
    expect(asReader.code).toBe(grpc.status.PERMISSION_DENIED);

    const listed = await eventually(
      () => call(schedulesRpc, 'ListSchedules', {}, readerKey),
      (response) => (response.schedules ?? []).some((schedule: Json) => schedule.scheduleId === id),
      'the schedule in ListSchedules',
    );
    const mine = listed.schedules.find((schedule: Json) => schedule.scheduleId === id);
    expect(mine).toMatchObject({ status: 'paused' });
    expect(fromValue({ structValue: mine.definition })).toEqual(definition);

    await call(schedulesRpc, 'DeleteSchedule', { scheduleId: id }, writerKey);
    const gone = await failure(call(schedulesRpc, 'GetSchedule', { scheduleId: id }, readerKey));
    expect(gone.code).toBe(grpc.status.NOT_FOUND);
  });
});
