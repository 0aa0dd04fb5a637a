import { randomBytes, randomUUID } from 'node:crypto';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { EngineHarness, freePort } from '@spark/testing';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { Client as PgClient } from 'pg';
import {
  bearer,
  call,
  failure,
  fromValue,
  type GrpcClient,
  LOADER_OPTIONS,
  type Message,
  type ProtoValue,
  sparkClients,
  toValue,
} from './support/grpc-client';

// The gRPC API (spark.v1) end to end: the gateway, scheduler, executor and projector as processes
// against the real Kafka and PostgreSQL, driven by a @grpc/grpc-js client loaded from the protos.

const PG_URL = process.env.SPARK_PG_URL ?? 'postgres://spark:spark@127.0.0.1:55432/spark';
const BOOTSTRAP_KEY = `e2e-bootstrap-${randomBytes(12).toString('hex')}`;
const GATEWAY_SCHEMA = `e2e_gw_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
const READ_MODEL_SCHEMA = `${GATEWAY_SCHEMA}_rm`;
interface RunEvent {
  runId: string;
  revision: string;
  type: string;
  data: ProtoValue;
}

/** Reads a WatchRun stream to its end (the gateway ends it after the run's final event). */
const watch = (runs: GrpcClient, key: string, runId: string, deadlineMs = 60_000): Promise<RunEvent[]> =>
  new Promise((resolve, reject) => {
    const events: RunEvent[] = [];
    const stream = runs.WatchRun!({ runId }, bearer(key), {
      deadline: Date.now() + deadlineMs,
    }) as grpc.ClientReadableStream<RunEvent>;
    stream.on('data', (event: RunEvent) => events.push(event));
    stream.on('error', reject);
    stream.on('end', () => resolve(events));
  });

describe('gateway gRPC API end to end', () => {
  let engine: EngineHarness;
  let grpcPort = 0;
  let runs: GrpcClient;
  let workflows: GrpcClient;
  let writerKey = '';
  let readerKey = '';
  const suffix = randomUUID().slice(0, 8);
  const doubler = `grpc-double-${suffix}`;
  const approval = `grpc-approval-${suffix}`;

  beforeAll(async () => {
    grpcPort = await freePort();
    engine = await EngineHarness.start({
      services: ['scheduler', 'executor', 'projector', 'gateway'],
      env: {
        SPARK_GATEWAY_SCHEMA: GATEWAY_SCHEMA,
        SPARK_READ_MODEL_SCHEMA: READ_MODEL_SCHEMA,
        SPARK_GATEWAY_BOOTSTRAP_KEY: BOOTSTRAP_KEY,
        SPARK_GATEWAY_GRPC_PORT: String(grpcPort),
      },
    });
    const baseUrl = `http://127.0.0.1:${engine.ports.gateway}`;
    const createKey = async (name: string, scopes: string[]) => {
      const response = await fetch(`${baseUrl}/api/v1/api-keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${BOOTSTRAP_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name, scopes }),
      });
      expect(response.status).toBe(201);
      return ((await response.json()) as { key: string }).key;
    };
    writerKey = await createKey('grpc-writer', ['write']);
    readerKey = await createKey('grpc-reader', ['read']);

    ({ Runs: runs, Workflows: workflows } = sparkClients(`127.0.0.1:${grpcPort}`));

    // Registered both ways: YAML text and a Struct.
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
    expect(await call(workflows, 'RegisterWorkflow', { source: { yaml } }, writerKey)).toEqual({
      name: doubler,
      version: 1,
      created: true,
    });
    const approvalDefinition = {
      name: approval,
      version: 1,
      steps: [{ id: 'approval', type: 'signal', signal: { name: 'approve', timeout: '60s' } }],
      output: 'steps.approval.output',
    };
    const registered = await call(
      workflows,
      'RegisterWorkflow',
      { source: { definition: toValue(approvalDefinition).structValue } },
      writerKey,
    );
    expect(registered).toMatchObject({ name: approval, version: 1, created: true });
  });

  afterAll(async () => {
    runs?.close();
    workflows?.close();
    await engine?.stop();
    const client = new PgClient({ connectionString: PG_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${GATEWAY_SCHEMA} CASCADE`);
    await client.query(`DROP SCHEMA IF EXISTS ${READ_MODEL_SCHEMA} CASCADE`);
    await client.end();
  });

  const waitForStep = (runId: string) => engine.waitForEvent(runId, (event) => event.type === 'StepWaiting');

  it('reads workflows: the latest version, every version, validation with paths, re-registering is a no-op', async () => {
    const workflow = await call(workflows, 'GetWorkflow', { name: doubler }, readerKey);
    expect(workflow).toMatchObject({ name: doubler, version: 1 });
    expect(fromValue({ structValue: workflow.definition })).toMatchObject({
      name: doubler,
      steps: [{ id: 'double' }],
    });
    expect(await call(workflows, 'ListWorkflowVersions', { name: doubler }, readerKey)).toEqual({
      versions: [{ name: doubler, version: 1, steps: 1 }],
    });
    const again = await call(
      workflows,
      'RegisterWorkflow',
      { source: { definition: workflow.definition } },
      writerKey,
    );
    expect(again).toMatchObject({ created: false });
    const invalid = await call(
      workflows,
      'ValidateWorkflow',
      { source: { json: JSON.stringify({ name: 'x', version: 1, steps: [{ id: 'a', type: 'task' }] }) } },
      readerKey,
    );
    expect(invalid.valid).toBe(false);
    expect(invalid.errors.length).toBeGreaterThan(0);
    expect(invalid.errors[0].path).toMatch(/^\$/);
    // The same version with other content: ALREADY_EXISTS.
    const conflict = await failure(
      call(
        workflows,
        'RegisterWorkflow',
        {
          source: {
            json: JSON.stringify({
              ...(fromValue({ structValue: workflow.definition }) as object),
              description: 'changed',
            }),
          },
        },
        writerKey,
      ),
    );
    expect(conflict.code).toBe(grpc.status.ALREADY_EXISTS);
  });

  it('starts a run, watches it to completion, reads it with its attempts, lists it', async () => {
    const started = await call(
      runs,
      'StartRun',
      { workflow: doubler, input: toValue({ n: 21 }), labels: { team: 'grpc' } },
      writerKey,
    );
    expect(started).toMatchObject({ status: 'RUN_STATUS_PENDING', workflow: { name: doubler, version: 1 } });
    const runId = started.runId as string;

    const events = await watch(runs, readerKey, runId);
    expect(events[0]!.type).toBe('RunStarted');
    expect(events.at(-1)!.type).toBe('RunCompleted');
    expect(events.map((event) => Number(event.revision))).toEqual(events.map((_, index) => index));
    expect((fromValue(events.at(-1)!.data) as { output: unknown }).output).toBe(42);

    const run = await call(runs, 'GetRun', { runId }, readerKey);
    expect(run).toMatchObject({ runId, status: 'RUN_STATUS_COMPLETED', labels: { team: 'grpc' } });
    expect(fromValue(run.output)).toBe(42);
    expect(fromValue(run.input)).toEqual({ n: 21 });
    expect(run.steps[0]).toMatchObject({ stepId: 'double', status: 'STEP_STATUS_SUCCEEDED' });
    expect(run.steps[0].attempts).toEqual([
      expect.objectContaining({ attempt: 1, status: 'ATTEMPT_STATUS_SUCCEEDED', handler: 'transform' }),
    ]);
    expect(fromValue(run.steps[0].attempts[0].output)).toBe(42);
    expect(fromValue(run.steps[0].attempts[0].input)).toEqual({ n: 21 });
    expect(run.startedAt.seconds).toMatch(/^\d+$/);

    // A watch of a finished run replays its events and ends.
    expect((await watch(runs, readerKey, runId)).map((event) => event.type)).toEqual(
      events.map((e) => e.type),
    );

    // The read model lists it (eventually), with filters and a page token.
    const deadline = Date.now() + 20_000;
    let listed: Message;
    do {
      listed = await call(
        runs,
        'ListRuns',
        { workflow: doubler, status: 'RUN_STATUS_COMPLETED', label: 'team=grpc', pageSize: 10 },
        readerKey,
      );
      if (listed.runs?.length) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    } while (Date.now() < deadline);
    expect(listed.runs).toEqual([
      expect.objectContaining({ runId, status: 'RUN_STATUS_COMPLETED', labels: { team: 'grpc' } }),
    ]);
    const bad = await failure(call(runs, 'ListRuns', { pageToken: 'garbage' }, readerKey));
    expect(bad.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(bad.details).toContain('page_token');
  });

  it('answers a repeated start with the same idempotency key with the same run, started once', async () => {
    const start = () =>
      call(
        runs,
        'StartRun',
        { workflow: doubler, input: toValue({ n: 1 }), idempotencyKey: `repeat-${suffix}` },
        writerKey,
      );
    const first = await start();
    const second = await start();
    expect(second.runId).toBe(first.runId);
    expect((await watch(runs, readerKey, first.runId)).at(-1)!.type).toBe('RunCompleted');
    expect((await start()).runId).toBe(first.runId);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const events = await engine.events(first.runId);
    expect(events.filter((event) => event.type === 'RunStarted')).toHaveLength(1);
    const other = await call(runs, 'StartRun', { workflow: doubler, input: toValue({ n: 1 }) }, writerKey);
    expect(other.runId).not.toBe(first.runId);

    // Pages of one, by page token, add up to the whole list (once the read model has both runs).
    const deadline = Date.now() + 20_000;
    let all: string[] = [];
    while (Date.now() < deadline) {
      const page: Message = await call(runs, 'ListRuns', { workflow: doubler, pageSize: 100 }, readerKey);
      all = (page.runs ?? []).map((run: { runId: string }) => run.runId);
      if (all.includes(first.runId) && all.includes(other.runId)) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(all).toEqual(expect.arrayContaining([first.runId, other.runId]));
    const paged: string[] = [];
    let pageToken = '';
    do {
      const page: Message = await call(
        runs,
        'ListRuns',
        { workflow: doubler, pageSize: 1, ...(pageToken ? { pageToken } : {}) },
        readerKey,
      );
      expect(page.runs).toHaveLength(1);
      paged.push(page.runs[0].runId);
      pageToken = page.nextPageToken ?? '';
    } while (pageToken);
    expect(paged).toEqual(all);

    // The idempotency-key filter REST has: the run started with that key, and nothing for another.
    const byKey: Message = await call(runs, 'ListRuns', { idempotencyKey: `repeat-${suffix}` }, readerKey);
    expect((byKey.runs ?? []).map((run: { runId: string }) => run.runId)).toEqual([first.runId]);
    const none: Message = await call(runs, 'ListRuns', { idempotencyKey: `never-${suffix}` }, readerKey);
    expect(none.runs ?? []).toEqual([]);
    const badKey = await failure(call(runs, 'ListRuns', { idempotencyKey: 'has space' }, readerKey));
    expect(badKey.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(badKey.details).toContain('idempotency_key');
  });

  it('delivers a signal to a waiting run; a finished run refuses signals with FAILED_PRECONDITION', async () => {
    const { runId } = await call(runs, 'StartRun', { workflow: approval }, writerKey);
    await waitForStep(runId);
    const signalled = await call(
      runs,
      'SignalRun',
      { runId, name: 'approve', payload: toValue({ by: 'ana' }), reason: 'invoice checked' },
      writerKey,
    );
    expect(signalled).toMatchObject({ runId, signalId: expect.any(String) });
    expect((await watch(runs, readerKey, runId)).at(-1)!.type).toBe('RunCompleted');
    const run = await call(runs, 'GetRun', { runId }, readerKey);
    expect(fromValue(run.output)).toEqual({ by: 'ana' });
    expect(run.actions).toEqual([
      expect.objectContaining({
        action: 'SIGNAL',
        signal: 'approve',
        signalId: signalled.signalId,
        reason: 'invoice checked',
      }),
    ]);
    const late = await failure(call(runs, 'SignalRun', { runId, name: 'approve' }, writerKey));
    expect(late.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(late.metadata.get('spark-reason')).toEqual(['RUN_FINISHED']);
  });

  it('cancels a waiting run while watching it; cancelling or retrying a completed run is FAILED_PRECONDITION', async () => {
    const { runId } = await call(runs, 'StartRun', { workflow: approval }, writerKey);
    await waitForStep(runId);
    const watching = watch(runs, readerKey, runId);
    expect(await call(runs, 'CancelRun', { runId, reason: 'e2e' }, writerKey)).toEqual({ runId });
    expect((await watching).at(-1)!.type).toBe('RunCancelled');
    const cancelled = await call(runs, 'GetRun', { runId }, readerKey);
    expect(cancelled).toMatchObject({ status: 'RUN_STATUS_CANCELLED' });
    expect(cancelled.steps).toEqual([
      expect.objectContaining({ stepId: 'approval', status: 'STEP_STATUS_CANCELLED' }),
    ]);
    expect(cancelled.actions).toEqual([expect.objectContaining({ action: 'CANCEL', reason: 'e2e' })]);

    const done = await call(runs, 'StartRun', { workflow: doubler, input: toValue({ n: 2 }) }, writerKey);
    await watch(runs, readerKey, done.runId);
    const cancelDone = await failure(call(runs, 'CancelRun', { runId: done.runId }, writerKey));
    expect(cancelDone.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(cancelDone.details).toMatch(/already completed/);
    const retryDone = await failure(call(runs, 'RetryRun', { runId: done.runId }, writerKey));
    expect(retryDone.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(retryDone.metadata.get('spark-reason')).toEqual(['RUN_NOT_FAILED']);
    // A reason longer than 500 characters is refused before anything is looked up, naming the field.
    for (const method of ['CancelRun', 'RetryRun'])
      await expect(
        failure(call(runs, method, { runId: done.runId, reason: 'x'.repeat(501) }, writerKey)),
      ).resolves.toMatchObject({
        code: grpc.status.INVALID_ARGUMENT,
        details: expect.stringContaining('reason'),
      });
  });

  it('maps bad requests to gRPC status codes', async () => {
    const unknown = await failure(call(runs, 'StartRun', { workflow: `nope-${suffix}` }, writerKey));
    expect(unknown.code).toBe(grpc.status.NOT_FOUND);
    const noKey = await failure(call(runs, 'GetRun', { runId: 'x' }));
    expect(noKey.code).toBe(grpc.status.UNAUTHENTICATED);
    const badKey = await failure(call(runs, 'GetRun', { runId: 'x' }, 'spk_not-a-key'));
    expect(badKey.code).toBe(grpc.status.UNAUTHENTICATED);
    const readOnly = await failure(
      call(runs, 'StartRun', { workflow: doubler, input: toValue({ n: 1 }) }, readerKey),
    );
    expect(readOnly.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(readOnly.details).toContain('"write"');
    const invalid = await failure(
      call(runs, 'StartRun', { workflow: doubler, input: toValue({ n: 'two' }) }, writerKey),
    );
    expect(invalid.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(invalid.details).toContain('$.input.n');
    const missing = await failure(
      call(runs, 'StartRun', { workflow: doubler, input: toValue({}) }, writerKey),
    );
    expect(missing.code).toBe(grpc.status.INVALID_ARGUMENT);
    const badId = await failure(call(runs, 'GetRun', { runId: 'no spaces allowed' }, readerKey));
    expect(badId.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(badId.details).toContain('run_id');
    const noRun = await failure(call(runs, 'GetRun', { runId: `missing-${suffix}` }, readerKey));
    expect(noRun.code).toBe(grpc.status.NOT_FOUND);
    const noWatch = await failure(watch(runs, readerKey, `missing-${suffix}`));
    expect(noWatch.code).toBe(grpc.status.NOT_FOUND);
    const noWorkflow = await failure(
      call(workflows, 'ListWorkflowVersions', { name: `nope-${suffix}` }, readerKey),
    );
    expect(noWorkflow.code).toBe(grpc.status.NOT_FOUND);
    const badDefinition = await failure(
      call(
        workflows,
        'RegisterWorkflow',
        { source: { json: '{"name": "x", "version": 1, "steps": []}' } },
        writerKey,
      ),
    );
    expect(badDefinition.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(badDefinition.details).toMatch(/\$\.steps/);
  });

  it('ends a WatchRun of a waiting run at its deadline (DEADLINE_EXCEEDED), and the gateway keeps serving', async () => {
    const { runId } = await call(runs, 'StartRun', { workflow: approval }, writerKey);
    await waitForStep(runId);
    const startedAt = Date.now();
    const error = await failure(watch(runs, readerKey, runId, 1_500));
    expect(error.code).toBe(grpc.status.DEADLINE_EXCEEDED);
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    // A client cancelling its watch ends it too.
    const stream = runs.WatchRun!({ runId }, bearer(readerKey), {}) as grpc.ClientReadableStream<RunEvent>;
    const cancelled = new Promise<grpc.ServiceError>((resolve) => stream.on('error', resolve));
    stream.on('data', () => undefined);
    setTimeout(() => stream.cancel(), 300);
    expect((await cancelled).code).toBe(grpc.status.CANCELLED);
    await call(runs, 'CancelRun', { runId }, writerKey);
    expect((await watch(runs, readerKey, runId)).at(-1)!.type).toBe('RunCancelled');
  });

  it('serves reflection (spark.v1.Runs) and grpc.health.v1 (SERVING)', async () => {
    const reflectionProto = protoLoader.loadSync(
      path.join(
        path.dirname(require.resolve('@grpc/reflection')),
        '../proto/grpc/reflection/v1/reflection.proto',
      ),
      LOADER_OPTIONS,
    );
    const reflectionApi = grpc.loadPackageDefinition(reflectionProto) as Message;
    const reflection = new reflectionApi.grpc.reflection.v1.ServerReflection(
      `127.0.0.1:${grpcPort}`,
      grpc.credentials.createInsecure(),
    );
    const ask = (request: object) =>
      new Promise<Message>((resolve, reject) => {
        const stream = reflection.ServerReflectionInfo();
        stream.on('data', (response: Message) => {
          resolve(response);
          stream.end();
        });
        stream.on('error', reject);
        stream.write(request);
      });
    const listed = await ask({ listServices: '' });
    const services = (listed.listServicesResponse?.service ?? []).map(
      (service: { name: string }) => service.name,
    );
    expect(services).toEqual(
      expect.arrayContaining([
        'spark.v1.Runs',
        'spark.v1.Workflows',
        'spark.v1.Schedules',
        'grpc.health.v1.Health',
      ]),
    );
    // What grpcurl does next: the file declaring the service, with its dependencies.
    const files = await ask({ fileContainingSymbol: 'spark.v1.Runs' });
    const descriptors: Buffer[] = files.fileDescriptorResponse?.fileDescriptorProto ?? [];
    expect(descriptors.length).toBeGreaterThan(0);
    expect(Buffer.concat(descriptors).toString('latin1')).toContain('WatchRun');
    reflection.close();

    const healthApi = grpc.loadPackageDefinition(
      protoLoader.loadSync(healthProtoPath, LOADER_OPTIONS),
    ) as Message;
    const health = new healthApi.grpc.health.v1.Health(
      `127.0.0.1:${grpcPort}`,
      grpc.credentials.createInsecure(),
    );
    const check = (service: string) =>
      new Promise<{ status: string }>((resolve, reject) =>
        health.Check({ service }, (error: Error | null, response: { status: string }) =>
          error ? reject(error) : resolve(response),
        ),
      );
    expect(await check('')).toEqual({ status: 'SERVING' });
    expect(await check('spark.v1.Runs')).toEqual({ status: 'SERVING' });
    health.close();
  });
});
