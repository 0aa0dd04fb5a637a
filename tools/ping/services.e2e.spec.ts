import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { SERVICE_NAMES, type ServiceName } from '@spark/contracts';
import {
  freePort,
  startServiceProcess,
  stopServiceProcess,
  waitUntilReady,
  WORKSPACE_ROOT,
  type ServiceProcess,
} from '@spark/testing';

// The four services as separate processes (built by tools/build) against the real Kafka of
// tools/stack, checked with the ping (tools/ping) the quick start runs. Free ports keep
// this run apart from services started by tools/services.
const run = promisify(execFile);
const PORTS = {} as Record<ServiceName, number>;
let portEnv: Record<string, string> = {};

async function ping(...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(
      process.execPath,
      ['-r', './tools/runtime/register-paths.js', 'dist/tools/ping/main.js', ...args],
      {
        cwd: WORKSPACE_ROOT,
        env: { ...process.env, ...portEnv, NODE_OPTIONS: '' },
      },
    );
    return { code: 0, stdout };
  } catch (error) {
    const failure = error as { code: number; stdout: string };
    return { code: failure.code, stdout: failure.stdout };
  }
}

describe('the four services as processes', () => {
  const running = new Map<ServiceName, ServiceProcess>();

  beforeAll(async () => {
    for (const service of SERVICE_NAMES) PORTS[service] = await freePort();
    portEnv = Object.fromEntries(
      SERVICE_NAMES.map((service) => [`SPARK_${service.toUpperCase()}_PORT`, String(PORTS[service])]),
    );
    for (const service of SERVICE_NAMES) running.set(service, startServiceProcess(service, PORTS[service]));
    await Promise.all([...running.values()].map((processInfo) => waitUntilReady(processInfo)));
  });

  afterAll(async () => {
    await Promise.all([...running.values()].map((processInfo) => stopServiceProcess(processInfo)));
  });

  it('each serves liveness with its name', async () => {
    for (const service of SERVICE_NAMES) {
      const response = await fetch(`http://127.0.0.1:${PORTS[service]}/health/live`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ok', service });
    }
  });

  it('ping finds every service ready over HTTP and answering through Kafka', async () => {
    const { code, stdout } = await ping('--timeout', '60');
    expect(stdout).toContain('all services healthy');
    for (const service of SERVICE_NAMES)
      expect(stdout).toMatch(new RegExp(`${service}\\s+ready\\s+pong in \\d+ ms`));
    expect(code).toBe(0);
  });

  it('a service killed with SIGKILL is reported, and a restarted one answers again', async () => {
    const executor = running.get('executor')!;
    executor.child.kill('SIGKILL');
    await executor.exited;

    const whileDown = await ping('--timeout', '5');
    expect(whileDown.code).toBe(1);
    expect(whileDown.stdout).toMatch(/executor\s+NOT READY/);

    const restarted = startServiceProcess('executor', PORTS.executor);
    running.set('executor', restarted);
    await waitUntilReady(restarted);
    const afterRestart = await ping('--timeout', '60');
    expect(afterRestart.stdout).toContain('all services healthy');
    expect(afterRestart.code).toBe(0);
  });

  it('shuts down gracefully on SIGTERM: exit code 0 after closing its clients', async () => {
    const projector = running.get('projector')!;
    const code = await stopServiceProcess(projector);
    expect(code).toBe(0);
    const log = readFileSync(projector.logFile, 'utf8');
    expect(log).toContain('"msg":"shutting down"');
    expect(log).toContain('"msg":"stopped"');
  });
});
