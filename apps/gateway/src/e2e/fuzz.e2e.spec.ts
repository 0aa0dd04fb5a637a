import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EngineHarness, WORKSPACE_ROOT } from '@spark/testing';

// schemathesis against the gateway's own /openapi.json, every check on, bounded in examples and time,
// over every operation (and the stateful links between them): no 5xx, no response outside the
// document, no invalid request accepted, no valid one refused. The whole output lands in
// .stack/test-reports/schemathesis.txt; the test fails with its findings.

const BOOTSTRAP_KEY = `e2e-bootstrap-${randomBytes(12).toString('hex')}`;
const MAX_EXAMPLES = process.env.SPARK_FUZZ_MAX_EXAMPLES ?? '12';
const MAX_TIME_S = process.env.SPARK_FUZZ_MAX_TIME_S ?? '90';
const SEED = process.env.SPARK_FUZZ_SEED ?? '20261201';

const REPORTS = path.join(WORKSPACE_ROOT, '.stack/test-reports');

// In the reports folder: schemathesis keeps a crash cache (.schemathesis/) in its working directory.
const run = (command: string, args: string[], env: NodeJS.ProcessEnv) =>
  new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPORTS, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });

describe('the gateway under schemathesis', () => {
  let engine: EngineHarness;

  beforeAll(async () => {
    engine = await EngineHarness.start({
      services: ['scheduler', 'executor', 'projector', 'gateway'],
      env: {
        SPARK_GATEWAY_BOOTSTRAP_KEY: BOOTSTRAP_KEY,
        SPARK_SECRETS_KEY: randomBytes(32).toString('hex'),
        SPARK_LOG_LEVEL: 'info',
      },
    });
    // Something for the examples to find: the workflow of the document's examples.
    await engine.register({
      name: 'hello',
      version: 1,
      steps: [{ id: 'a', type: 'task', handler: 'noop' }],
    });
  });

  afterAll(async () => {
    await engine?.stop();
  });

  it('finds no server error, no schema violation, no accepted invalid input', async () => {
    const base = `http://127.0.0.1:${engine.ports.gateway}`;
    mkdirSync(REPORTS, { recursive: true });
    const { code, output } = await run(
      path.join(WORKSPACE_ROOT, 'tools/schemathesis'),
      [
        '--config-file',
        path.join(__dirname, 'schemathesis.toml'),
        'run',
        `${base}/openapi.json`,
        '--header',
        `Authorization: Bearer ${BOOTSTRAP_KEY}`,
        '--checks',
        'all',
        '--phases',
        'examples,coverage,fuzzing,stateful',
        '--max-examples',
        MAX_EXAMPLES,
        '--max-time',
        MAX_TIME_S,
        '--seed',
        SEED,
        '--request-timeout',
        '10',
        // One worker: Python 3.11's parser is not thread-safe (hypothesis describes strategies with it).
        '--workers',
        '1',
        '--no-color',
      ],
      { ...process.env, NO_COLOR: '1', SCHEMATHESIS_HOOKS: '' },
    );
    writeFileSync(path.join(REPORTS, `schemathesis-${randomUUID().slice(0, 8)}.txt`), output);
    if (code !== 0) throw new Error(`schemathesis found problems (exit ${code}):\n${output.slice(-20_000)}`);
    expect(output).toMatch(/passed/);
  });
});
