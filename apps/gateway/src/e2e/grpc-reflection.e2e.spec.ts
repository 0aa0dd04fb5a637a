import { execFile, execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { EngineHarness, freePort } from '@spark/testing';
import { Client as PgClient } from 'pg';

// gRPC server reflection as a strict client sees it: grpcurl itself (protobuf-go underneath), built once
// from the Go module proxy by tools/grpcurl, against a gateway process. grpcurl knows no .proto file here:
// every type it encodes or decodes comes from the descriptors the gateway serves.

const ROOT = path.resolve(__dirname, '../../../..');
const PG_URL = process.env.SPARK_PG_URL ?? 'postgres://spark:spark@127.0.0.1:55432/spark';
const BOOTSTRAP_KEY = `e2e-bootstrap-${randomBytes(12).toString('hex')}`;
const GATEWAY_SCHEMA = `e2e_gw_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
const READ_MODEL_SCHEMA = `${GATEWAY_SCHEMA}_rm`;

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

describe('gRPC reflection with grpcurl', () => {
  let engine: EngineHarness;
  let grpcurlBin = '';
  let address = '';

  /** grpcurl [flags] ADDRESS [symbol|method]: flags first, as grpcurl wants them. */
  const grpcurl = (...args: string[]): Promise<Outcome> => {
    const flags = args.slice(0, args.indexOf(address));
    const rest = args.slice(args.indexOf(address));
    return new Promise((resolve) =>
      execFile(grpcurlBin, ['-plaintext', ...flags, ...rest], { timeout: 30_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      ),
    );
  };
  /** grpcurl that must succeed: its stdout. */
  const ok = async (...args: string[]): Promise<string> => {
    const outcome = await grpcurl(...args);
    if (outcome.code !== 0)
      throw new Error(
        `grpcurl ${args.join(' ')} failed (${outcome.code}): ${outcome.stderr}${outcome.stdout}`,
      );
    return outcome.stdout;
  };
  const auth = () => ['-H', `authorization: Bearer ${BOOTSTRAP_KEY}`];

  beforeAll(async () => {
    grpcurlBin = execFileSync(path.join(ROOT, 'tools/grpcurl'), {
      encoding: 'utf8',
      timeout: 170_000,
    }).trim();
    const grpcPort = await freePort();
    address = `127.0.0.1:${grpcPort}`;
    engine = await EngineHarness.start({
      services: ['projector', 'gateway'],
      env: {
        SPARK_GATEWAY_SCHEMA: GATEWAY_SCHEMA,
        SPARK_READ_MODEL_SCHEMA: READ_MODEL_SCHEMA,
        SPARK_GATEWAY_BOOTSTRAP_KEY: BOOTSTRAP_KEY,
        SPARK_GATEWAY_GRPC_PORT: String(grpcPort),
      },
    });
  });

  afterAll(async () => {
    await engine?.stop();
    const client = new PgClient({ connectionString: PG_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${GATEWAY_SCHEMA} CASCADE`);
    await client.query(`DROP SCHEMA IF EXISTS ${READ_MODEL_SCHEMA} CASCADE`);
    await client.end();
  });

  it('lists the services', async () => {
    const services = (await ok(address, 'list')).trim().split('\n').sort();
    expect(services).toEqual([
      'grpc.health.v1.Health',
      'spark.v1.Runs',
      'spark.v1.Schedules',
      'spark.v1.Workflows',
    ]);
  });

  it('describes every service and every message and enum they reference, transitively', async () => {
    const services = (await ok(address, 'list'))
      .trim()
      .split('\n')
      .filter((name) => name.startsWith('spark.') || name.startsWith('grpc.health.'));
    const described = new Map<string, string>();
    const pending: string[] = [...services];
    while (pending.length > 0) {
      const symbol = pending.pop()!;
      if (described.has(symbol)) continue;
      const text = await ok(address, 'describe', symbol);
      described.set(symbol, text);
      // Every `.pkg.Type` a service or message names (rpc arguments, field types, map values).
      for (const [, referenced] of text.matchAll(/(?<![\w.])\.([A-Za-z_][\w.]*)/g))
        if (referenced && !described.has(referenced)) pending.push(referenced);
    }
    expect(described.get('spark.v1.Runs')).toContain('rpc StartRun ( .spark.v1.StartRunRequest )');
    expect(described.get('spark.v1.StartRunRequest')).toContain('map<string, string> labels = 4;');
    expect(described.get('spark.v1.StartRunRequest')).toContain('.google.protobuf.Value input = 3;');
    expect(described.get('google.protobuf.Struct')).toContain(
      'map<string, .google.protobuf.Value> fields = 1;',
    );
    expect(described.get('grpc.health.v1.HealthListResponse')).toContain('statuses = 1;');
    for (const symbol of [
      'spark.v1.Workflows',
      'spark.v1.Schedules',
      'grpc.health.v1.Health',
      'spark.v1.Run',
      'spark.v1.RunStatus',
      'spark.v1.Schedule',
      'google.protobuf.Timestamp',
      'google.protobuf.ListValue',
    ])
      expect(described.has(symbol)).toBe(true);
  });

  it('checks health through reflection alone', async () => {
    expect(JSON.parse(await ok(address, 'grpc.health.v1.Health/Check'))).toEqual({ status: 'SERVING' });
    const service = await ok('-d', '{"service":"spark.v1.Runs"}', address, 'grpc.health.v1.Health/Check');
    expect(JSON.parse(service)).toEqual({ status: 'SERVING' });
  });

  it('registers a workflow (a Struct) and starts and lists runs (a Value, a map) with reflection only', async () => {
    const name = `grpcurl-${randomUUID().slice(0, 8)}`;
    const definition = {
      name,
      version: 1,
      steps: [{ id: 'echo', type: 'task', handler: 'transform', config: { expression: 'input' } }],
    };
    const registered = await ok(
      ...auth(),
      '-d',
      JSON.stringify({ source: { definition } }),
      address,
      'spark.v1.Workflows/RegisterWorkflow',
    );
    expect(JSON.parse(registered)).toMatchObject({ name, version: 1, created: true });

    const started = await ok(
      ...auth(),
      '-d',
      JSON.stringify({ workflow: name, input: { n: 2, tags: ['a'] }, labels: { team: 'grpcurl' } }),
      address,
      'spark.v1.Runs/StartRun',
    );
    // grpcurl prints the proto field names.
    expect(JSON.parse(started)).toEqual({
      run_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'RUN_STATUS_PENDING',
      workflow: { name, version: 1 },
    });

    const listed = await ok(
      ...auth(),
      '-d',
      JSON.stringify({ workflow: 'no-such-workflow', page_size: 5 }),
      address,
      'spark.v1.Runs/ListRuns',
    );
    expect(JSON.parse(listed)).toEqual({});

    // An error is a gRPC status, decoded as such (not a reflection failure).
    const missing = await grpcurl(
      ...auth(),
      '-d',
      `{"run_id":"${randomUUID()}"}`,
      address,
      'spark.v1.Runs/GetRun',
    );
    expect(missing.stderr).toContain('Code: NotFound');
  });
});
