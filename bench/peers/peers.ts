/**
 * The peers of bench/peers: a Redis server of the benchmark's own (AOF every second), and the Celery
 * and BullMQ drivers (celery_peer.py, bullmq-peer.mjs), each run as a child process that prints one
 * JSON object with its figures.
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createConnection } from 'node:net';
import { freePort, WORKSPACE_ROOT } from '@spark/testing';
import { type LatencySummary } from '../shared/stats';

export const PEERS_DIR = path.join(WORKSPACE_ROOT, 'bench/peers');
const DRIVER_TIMEOUT_S = Number(process.env.BENCH_PEER_TIMEOUT_S ?? '900');

export interface PeerFigures {
  version: string;
  processes: number;
  concurrency?: number;
  /** Celery's worker_prefetch_multiplier (its default). */
  prefetch?: number;
  roundTrip: LatencySummary;
  chain3: LatencySummary;
  sustained: { seconds: number; perSecond: number; enqueueSeconds: number; tasks?: number; jobs?: number };
}

export interface Shapes {
  roundTrips: number;
  sustained: number;
  chains: number;
}

export interface RedisServer {
  port: number;
  version: string;
  stop(): Promise<void>;
}

/** redis-server as a plain child process on a free port, with its own directory, AOF every second. */
export async function startRedis(cacheDir: string): Promise<RedisServer> {
  const port = await freePort();
  const dir = path.join(cacheDir, 'bench-peers', `redis-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const version = execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).trim();
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--save',
      '',
      '--daemonize',
      'no',
      '--logfile',
      path.join(dir, 'redis.log'),
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 10_000;
  while (!(await answersPing(port))) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}; see ${dir}`);
    if (Date.now() > deadline) throw new Error(`redis-server not answering on ${port}; see ${dir}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    port,
    version,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
  });
}

/** Empties Redis between rounds, so no peer starts with the other's (or its own earlier) keys. */
export async function flushRedis(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write('FLUSHALL\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      if (data.toString().startsWith('+OK')) resolve();
      else reject(new Error(`FLUSHALL answered ${data.toString().trim()}`));
    });
    socket.once('error', reject);
  });
}

function runDriver(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<PeerFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: PEERS_DIR, env: { ...process.env, ...env } });
    // A driver that hangs (a lost completion, a dead worker) must not hold the sitting forever.
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${DRIVER_TIMEOUT_S} s]`;
      child.kill('SIGTERM');
    }, DRIVER_TIMEOUT_S * 1000);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !last.startsWith('{')) {
        reject(
          new Error(`${path.basename(args[0] ?? command)} exited with ${code}:\n${stderr.slice(-4000)}`),
        );
        return;
      }
      resolve(JSON.parse(last) as PeerFigures);
    });
  });
}

export function runCelery(python: string, redisPort: number, shapes: Shapes): Promise<PeerFigures> {
  return runDriver(
    python,
    ['celery_peer.py', String(shapes.roundTrips), String(shapes.sustained), String(shapes.chains)],
    { BENCH_REDIS_URL: `redis://127.0.0.1:${redisPort}/0` },
  );
}

export function runBullmq(redisPort: number, shapes: Shapes): Promise<PeerFigures> {
  return runDriver(
    process.execPath,
    ['bullmq-peer.mjs', String(shapes.roundTrips), String(shapes.sustained), String(shapes.chains)],
    { BENCH_REDIS_PORT: String(redisPort), NODE_OPTIONS: '' },
  );
}
