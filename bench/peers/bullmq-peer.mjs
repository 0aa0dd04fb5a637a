// The BullMQ side of bench/peers: a queue on Redis (AOF every second, started by bench/peers/run.ts),
// one worker process per core, results stored (BullMQ keeps return values by default), and the client
// that measures the three shapes of bench/engine. Run by bench/peers/run.ts as
//
//   BENCH_REDIS_PORT=<port> node bullmq-peer.mjs <round-trips> <sustained-jobs> <chains>
//
// which forks its workers, prints one JSON object on stdout and stops them. Plain JavaScript, so the
// workspace's type check does not need this folder's packages installed.
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath, URL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { FlowProducer, Queue, QueueEvents, Worker } from 'bullmq';

const connection = { host: '127.0.0.1', port: Number(process.env.BENCH_REDIS_PORT ?? '6379'), db: 1 };
const QUEUE = 'bench';
// Jobs run in each worker process at once; BullMQ's examples use a handful for I/O-light jobs.
const concurrency = Number(process.env.BENCH_BULLMQ_CONCURRENCY ?? '8');

function summarise(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  return { count: sorted.length, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: sorted[sorted.length - 1] };
}

async function work() {
  const worker = new Worker(
    QUEUE,
    async (job) => {
      if (job.name === 'add_one') {
        const children = Object.values(await job.getChildrenValues());
        return (children[0] ?? 0) + 1;
      }
      if (job.name === 'noop' && job.data.fromChild) {
        return Object.values(await job.getChildrenValues())[0];
      }
      return job.data.value;
    },
    { connection, concurrency },
  );
  // An 'error' event without a listener would end the process: report it and let BullMQ reconnect.
  worker.on('error', (error) => console.error(`[bullmq worker ${process.pid}]`, error));
  await worker.waitUntilReady();
  process.send?.('ready');
  const stop = () => worker.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('disconnect', stop); // the client process ended without stopping its workers
}

/**
 * Every `completed` event the client has read, by job id: a job that finishes before its id is known
 * (or before a listener is attached) still counts.
 */
class Completions {
  values = new Map();
  waiters = new Map();

  constructor(events) {
    events.on('completed', ({ jobId, returnvalue }) => {
      const waiter = this.waiters.get(jobId);
      if (waiter) {
        this.waiters.delete(jobId);
        waiter(returnvalue);
      } else this.values.set(jobId, returnvalue);
    });
  }

  wait(jobId, timeoutMs = 60_000) {
    if (this.values.has(jobId)) {
      const value = this.values.get(jobId);
      this.values.delete(jobId);
      return Promise.resolve(value);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(jobId);
        reject(new Error(`job ${jobId}: no completed event after ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.set(jobId, (value) => {
        clearTimeout(timer);
        resolve(value);
      });
    });
  }
}

async function roundTrips(queue, completions, count) {
  const samples = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const job = await queue.add('noop', { value: 1 });
    await completions.wait(job.id);
    samples.push(performance.now() - started);
  }
  return summarise(samples);
}

async function chains(flows, completions, count) {
  const samples = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    // A flow runs children before their parent: noop(1) → add_one → noop, as Celery's chain.
    const flow = await flows.add({
      name: 'noop',
      queueName: QUEUE,
      data: { fromChild: true },
      children: [
        {
          name: 'add_one',
          queueName: QUEUE,
          data: {},
          children: [{ name: 'noop', queueName: QUEUE, data: { value: 1 } }],
        },
      ],
    });
    const value = await completions.wait(flow.job.id);
    if (value !== 2) throw new Error(`flow returned ${value}, not 2`);
    samples.push(performance.now() - started);
  }
  return summarise(samples);
}

async function sustained(queue, completions, count) {
  const started = performance.now();
  const done = [];
  for (let i = 0; i < count; i += 100) {
    const jobs = Array.from({ length: Math.min(100, count - i) }, (_, k) => ({
      name: 'noop',
      data: { value: i + k },
    }));
    for (const job of await queue.addBulk(jobs)) done.push(completions.wait(job.id, 600_000));
  }
  const enqueueSeconds = (performance.now() - started) / 1000;
  await Promise.all(done);
  const seconds = (performance.now() - started) / 1000;
  return { jobs: count, seconds, perSecond: count / seconds, enqueueSeconds };
}

async function main() {
  if (process.argv[2] === 'worker') return work();
  const [roundTripCount, sustainedCount, chainCount] = process.argv.slice(2, 5).map(Number);
  const processes = os.cpus().length;
  const workers = Array.from({ length: processes }, () =>
    fork(fileURLToPath(import.meta.url), ['worker'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  await Promise.all(
    workers.map(
      (child) =>
        new Promise((resolve, reject) => {
          child.once('message', resolve);
          child.once('exit', (code) =>
            reject(new Error(`a BullMQ worker exited with ${code} before it was ready`)),
          );
        }),
    ),
  );
  let stopping = false;
  for (const child of workers) {
    child.on('exit', (code) => {
      if (!stopping) console.error(`[bullmq] worker ${child.pid} exited with ${code} during the run`);
    });
  }
  // The events stream must hold every completion of the sustained phase until the client reads it.
  const queue = new Queue(QUEUE, { connection, streams: { events: { maxLen: sustainedCount * 4 + 10000 } } });
  // From the start of the (freshly flushed) events stream, so no completion is missed while the
  // reader's first XREAD is still on its way.
  const events = new QueueEvents(QUEUE, { connection, lastEventId: '0-0' });
  const completions = new Completions(events);
  const flows = new FlowProducer({ connection });
  try {
    await events.waitUntilReady();
    await roundTrips(queue, completions, Math.max(5, Math.floor(roundTripCount / 10))); // warm-up
    const figures = {
      version: JSON.parse(
        readFileSync(fileURLToPath(new URL('./node_modules/bullmq/package.json', import.meta.url))),
      ).version,
      processes,
      concurrency,
      roundTrip: await roundTrips(queue, completions, roundTripCount),
      chain3: await chains(flows, completions, chainCount),
      sustained: await sustained(queue, completions, sustainedCount),
    };
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    await Promise.all([queue.close(), events.close(), flows.close()]);
    stopping = true;
    for (const child of workers) child.kill('SIGTERM');
    await Promise.all(workers.map((child) => new Promise((resolve) => child.once('exit', resolve))));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
