import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import type { ServiceName } from '@spark/contracts';

/** The repository root: the nearest folder up from here with `.node-version` (from source or from dist/). */
export const WORKSPACE_ROOT = findWorkspaceRoot(__dirname);

function findWorkspaceRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.node-version')) && existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir)
      throw new Error(`no workspace root (a folder with .node-version) above ${from}`);
  }
}

export interface ServiceProcess {
  service: ServiceName;
  port: number;
  child: ChildProcess;
  logFile: string;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
}

/**
 * Starts a built service (tools/build) as its own process, the way tools/services does, with
 * its log in .stack/logs/e2e/. For e2e tests: the real process, real Kafka, real PostgreSQL.
 */
export function startServiceProcess(
  service: ServiceName,
  port: number,
  env: NodeJS.ProcessEnv = {},
): ServiceProcess {
  const logDir = path.join(WORKSPACE_ROOT, '.stack/logs/e2e');
  mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${service}-${port}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(
    process.execPath,
    ['--enable-source-maps', '-r', './tools/runtime/register-paths.js', `dist/apps/${service}/src/main.js`],
    {
      cwd: WORKSPACE_ROOT,
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        [`SPARK_${service.toUpperCase()}_PORT`]: String(port),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return { service, port, child, logFile, exited };
}

/** Ports this process has handed out: the kernel may offer a closed one again at once. */
const handedOut = new Set<number>();

/**
 * A TCP port that was free a moment ago on 127.0.0.1 (so parallel test runs do not collide), and not
 * one this process handed out before: two calls in a row once gave the gateway and the scheduler of one
 * harness the same port, and the gateway's requests reached the scheduler.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
}

/**
 * Polls the service's readiness endpoint until it answers 200 — from this very process (its
 * instance id names its pid), not from another service that happens to hold the port.
 */
export async function waitUntilReady(processInfo: ServiceProcess, timeoutMs = 60000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (processInfo.child.exitCode !== null) {
      throw new Error(
        `${processInfo.service} exited with ${processInfo.child.exitCode}; see ${processInfo.logFile}`,
      );
    }
    try {
      const response = await fetch(`http://127.0.0.1:${processInfo.port}/health/ready`, {
        signal: AbortSignal.timeout(2000),
      });
      if (response.ok) return;
      lastProblem = `HTTP ${response.status}: ${await response.text()}`;
    } catch (error) {
      lastProblem = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(
    `${processInfo.service} not ready after ${timeoutMs} ms (${lastProblem}); see ${processInfo.logFile}`,
  );
}

/** SIGTERM, then SIGKILL if it has not ended within the grace period. */
export async function stopServiceProcess(
  processInfo: ServiceProcess,
  graceMs = 15000,
): Promise<number | string> {
  if (processInfo.child.exitCode !== null || processInfo.child.signalCode !== null) return processInfo.exited;
  processInfo.child.kill('SIGTERM');
  const timer = setTimeout(() => processInfo.child.kill('SIGKILL'), graceMs);
  try {
    return await processInfo.exited;
  } finally {
    clearTimeout(timer);
  }
}
