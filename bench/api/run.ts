/**
 * API benchmark (bench/api/run.sh): POST /api/v1/runs through the gateway, all four services as
 * processes, from vegeta (open loop) at fixed offered rates. Completion is what a subscriber sees: the
 * public CloudEvent `spark.run.completed.v1` on `spark.events.v1`, read by this process. Writes
 * bench/reports/api-<date>.md and api-<date>.json.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PublicEventTypes, Topics } from '@spark/contracts';
import { type EventSubscription } from '@spark/event-store';
import { EngineHarness } from '@spark/testing';
import { Kafka, logLevel } from 'kafkajs';
import { connectionString } from '../engine/engine';
import { cpuProfileFigures, cpuProfileMarkdown, monotonicMicros } from '../shared/cpu-profile';
import { describeMachine } from '../shared/machine';
import { startProfiledServices } from '../shared/profiled-services';
import { machineBusyMillis, StackCpuSampler } from '../shared/program-cpu';
import { machineFigures, tracingLine, traceSampleRatio, writeReport } from '../shared/report';
import { formatMs } from '../shared/stats';
import { summariseRate, type RateSummary } from './rates';
import { attack } from './vegeta';

const scale = Number(process.env.BENCH_SCALE ?? '1');
const rates = (process.env.BENCH_API_RATES ?? '200,500,1000,2000').split(',').map(Number);
const seconds = Math.max(3, Math.round(30 * scale));
const drainSeconds = Math.max(3, Math.round(10 * scale));
/** Waiting for the backlog of one rate to clear before the next rate starts. */
const backlogLimitSeconds = Math.max(10, Math.round(60 * scale));
const vegeta = process.env.BENCH_VEGETA ?? 'vegeta';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Every run's public completion, as this subscriber saw it (epoch ms at receipt). It reads with
 * kafkajs directly, as another team's subscriber would, not through libs/messaging (whose consumers
 * trace and commit each message, which would load the machine under test).
 */
class PublicCompletions {
  readonly completedAt = new Map<string, number>();
  readonly failed = new Set<string>();
  private readonly consumer;

  constructor(
    brokers: string[],
    private readonly topic: string,
  ) {
    const kafka = new Kafka({ clientId: 'bench-api', brokers, logLevel: logLevel.NOTHING });
    this.consumer = kafka.consumer({ groupId: `bench-api-${randomUUID()}`, maxWaitTimeInMs: 20 });
  }

  async start(): Promise<void> {
    let joined!: () => void;
    const ready = new Promise<void>((resolve) => (joined = resolve));
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => joined());
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      eachBatch: async ({ batch }) => {
        const now = Date.now();
        for (const message of batch.messages) {
          const type = message.headers?.ce_type?.toString();
          const runId = message.key?.toString();
          if (!runId) continue;
          if (type === PublicEventTypes.runCompleted) this.completedAt.set(runId, now);
          else if (type === PublicEventTypes.runFailed || type === PublicEventTypes.runTimedOut)
            this.failed.add(runId);
        }
      },
    });
    await ready;
  }

  /** Waits until every run in `runIds` has completed, or `limitMs` passed; true if all did. */
  async waitFor(runIds: string[], limitMs: number): Promise<boolean> {
    const deadline = Date.now() + limitMs;
    for (;;) {
      if (runIds.every((runId) => this.completedAt.has(runId) || this.failed.has(runId))) return true;
      if (Date.now() > deadline) return false;
      await sleep(100);
    }
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }
}

async function main() {
  const startedAt = new Date();
  const bootstrapKey = `bench-${randomBytes(16).toString('hex')}`;
  const engine = await EngineHarness.start({
    services: [],
    env: { SPARK_LOG_LEVEL: 'warn', SPARK_GATEWAY_BOOTSTRAP_KEY: bootstrapKey },
  });
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'spark-bench-api-'));
  const results: RateSummary[] = [];
  /** Per rate: CPU ms of each program over the rate's window and drain, and the window's length. */
  const cpuOfRates: RateCpu[] = [];
  const notes: string[] = [];
  let profileWindow: { fromMicros: number; toMicros: number } | undefined;
  let profiledRate = 0;
  let completions: PublicCompletions | undefined;
  const storeCompletedAt = new Map<string, number>();
  let storeCompletions: EventSubscription | undefined;
  let storeLoop: Promise<void> | undefined;
  const services = await startProfiledServices(engine, ['scheduler', 'executor', 'projector', 'gateway'], {
    cpuProfile: process.env.BENCH_CPU_PROFILE !== '0',
    nodeOptions: process.env.BENCH_SERVICE_NODE_OPTIONS,
  });
  try {
    const api = `http://127.0.0.1:${engine.ports.gateway}/api/v1`;
    const post = async (route: string, key: string, body: unknown) => {
      const response = await fetch(`${api}${route}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`POST ${route}: ${response.status} ${await response.text()}`);
      return (await response.json()) as Record<string, unknown>;
    };
    const { key } = (await post('/api-keys', bootstrapKey, { name: 'bench-api', scopes: ['write'] })) as {
      key: string;
    };
    const workflow = `bench-api-${randomUUID().slice(0, 8)}`;
    await post('/workflows', key, {
      name: workflow,
      version: 1,
      steps: [{ id: 'a', type: 'task', handler: 'noop', input: '=input' }],
    });
    completions = new PublicCompletions(
      (process.env.SPARK_KAFKA_BROKERS ?? '127.0.0.1:19092').split(','),
      `${engine.env.SPARK_KAFKA_NAMESPACE}${Topics.publicEvents}`,
    );
    await completions.start();
    storeCompletions = engine.store.subscribeToAll({
      filter: { streamNamePrefixes: ['run-'], eventTypes: ['RunCompleted'] },
    });
    const subscription = storeCompletions;
    storeLoop = (async () => {
      for await (const event of subscription)
        storeCompletedAt.set(event.streamName.slice('run-'.length), Date.now());
    })();
    const target = {
      url: `${api}/runs`,
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: { workflow, input: { n: 1 } },
    };

    // Warm-up: a few seconds at a low rate, every run completed before the measured rates.
    const warm = await attack(vegeta, workDir, { ...target, ratePerSecond: 20, seconds: 2 });
    await completions.waitFor(runIdsOf(warm), 30_000);

    for (const rate of rates) {
      console.error(`[api] ${rate} runs/s offered for ${seconds} s`);
      const fromMicros = monotonicMicros();
      const cpuFrom = {
        services: services.cpuMillis(),
        bench: process.cpuUsage(),
        machine: machineBusyMillis(),
      };
      const stackCpu = new StackCpuSampler();
      stackCpu.start();
      const attackStarted = Date.now();
      const answered = await attack(vegeta, workDir, { ...target, ratePerSecond: rate, seconds });
      const windowEnd = attackStarted + seconds * 1000;
      const accepted = runIdsOf(answered);
      await completions.waitFor(accepted, Math.max(0, windowEnd + drainSeconds * 1000 - Date.now()));
      const toMicros = monotonicMicros();
      cpuOfRates.push(
        rateCpu(rate, accepted.length, Date.now() - attackStarted, cpuFrom, {
          services: services.cpuMillis(),
          stack: stackCpu.stop(),
          bench: process.cpuUsage(cpuFrom.bench),
          machine: machineBusyMillis(),
        }),
      );
      const summary = summariseRate({
        rate,
        seconds,
        drainSeconds,
        answered,
        completedAt: completions.completedAt,
        storeCompletedAt,
        failed: completions.failed,
        windowEnd,
      });
      results.push(summary);
      profileWindow = { fromMicros, toMicros };
      profiledRate = rate;
      const cleared = await completions.waitFor(accepted, backlogLimitSeconds * 1000);
      if (summary.completedShare < 0.9) {
        notes.push(
          `Stopped after ${rate} runs/s: only ${(100 * summary.completedShare).toFixed(1)} % of the accepted runs completed inside the window and drain, so the machine does not sustain that rate${cleared ? '' : ` (and its backlog had not cleared ${backlogLimitSeconds} s later)`}; higher rates were not tried.`,
        );
        break;
      }
      if (!cleared) {
        notes.push(
          `The backlog of ${rate} runs/s had not cleared ${backlogLimitSeconds} s after its drain; later rates started on top of it.`,
        );
      }
    }
  } finally {
    await completions?.stop().catch(() => undefined);
    await storeCompletions?.close();
    await storeLoop;
    await engine.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
  const profiles = services.summarise(profileWindow);
  services.dispose();

  const machine = await describeMachine(connectionString);
  const figures: Record<string, number> = {
    scale,
    'window.seconds': seconds,
    'window.drain_seconds': drainSeconds,
    ...Object.assign({}, ...results.map(rateFigures)),
    ...Object.assign({}, ...cpuOfRates.map(rateCpuFigures)),
    'profile.rate': profiledRate,
    ...Object.assign({}, ...profiles.map(cpuProfileFigures)),
    'tracing.sample_ratio': traceSampleRatio(),
    ...machineFigures(),
  };
  const errorsOf = (summary: RateSummary) =>
    Object.entries(summary.errors)
      .map(([status, count]) => `${status}: ${count}`)
      .join(', ') || 'none';
  const report = [
    `# API benchmark — ${startedAt.toISOString()}`,
    '',
    `Command: \`bench/api/run.sh\` (BENCH_SCALE=${scale}). Gateway, scheduler, executor and projector as processes`,
    '(dist/), real Kafka and PostgreSQL (tools/stack), PostgreSQL event store, tracing as the services default.',
    `Load: vegeta ${process.env.BENCH_VEGETA_VERSION ?? ''} (open loop: requests leave on schedule whatever the answers), \`POST /api/v1/runs\``,
    'with an API key (scope write) and a one-step workflow (noop), no Idempotency-Key, one rate after the other.',
    `Each rate is offered for ${seconds} s, then ${drainSeconds} s of drain. Completed = the public CloudEvent`,
    '`spark.run.completed.v1` received by a subscriber of `spark.events.v1` in this process (what a client',
    "sees); accepted → completed = that receipt − the moment the 202 answer arrived (vegeta's timestamp +",
    'latency). Completed inside the window = completed before the end of the window + drain.',
    'The machine is shared and noisy; vegeta and the subscriber run on the same 2 cores as the services.',
    '',
    '## Machine',
    '',
    ...machine,
    tracingLine(),
    '',
    '## Per offered rate',
    '',
    '| offered runs/s | requests | accepted/s | completed/s | % completed in window + drain | accepted → completed p50 / p99 ms | 202 answer p50 / p99 ms | errors by status | event store: % completed, accepted → RunCompleted p50 / p99 ms |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
    ...results.map(
      (r) =>
        `| ${r.rate} | ${r.requests} | ${r.acceptedPerSecond.toFixed(0)} | ${r.completedPerSecond.toFixed(0)} | ${(100 * r.completedShare).toFixed(1)} % | ${formatMs(r.acceptedToCompleted.p50Ms)} / ${formatMs(r.acceptedToCompleted.p99Ms)} | ${formatMs(r.answer.p50Ms)} / ${formatMs(r.answer.p99Ms)} | ${errorsOf(r)} | ${(100 * r.storeCompletedShare).toFixed(1)} %, ${formatMs(r.acceptedToStored.p50Ms)} / ${formatMs(r.acceptedToStored.p99Ms)} |`,
    ),
    '',
    'accepted/s = 202 answers ÷ the window; completed/s = runs of that rate completed by the end of the drain ÷',
    "(last such completion − the rate's first request); status 0 = no HTTP answer (vegeta's error text below).",
    'The last column is the same run seen from the event store (RunCompleted delivered to a store subscription',
    'in this process): the gap between the two is the projector and the public topic.',
    '',
    ...notes.flatMap((note) => [note, '']),
    ...results.flatMap((r) =>
      r.transportErrors.length
        ? [`Transport errors at ${r.rate} runs/s: ${r.transportErrors.join('; ')}`, '']
        : [],
    ),
    ...rateCpuMarkdown(cpuOfRates),
    `## CPU profile at ${profiledRate} runs/s (the last rate offered)`,
    '',
    'Each service ran with `--cpu-prof`; the samples from the start of that rate to the end of its drain,',
    'by self time. `(idle)` is the event loop waiting on I/O.',
    '',
    ...(profiles.length
      ? profiles.flatMap(cpuProfileMarkdown)
      : ['No profile (BENCH_CPU_PROFILE=0, or the services did not write one).', '']),
  ].join('\n');
  process.stdout.write(report);
  const written = writeReport('api', startedAt, report, figures);
  console.log(`\nwritten: ${written.markdown}, ${written.json}`);
}

interface RateCpu {
  rate: number;
  accepted: number;
  elapsedMs: number;
  /** CPU ms over the rate's window and drain, per program. */
  millis: Record<string, number>;
  /** Busy CPU ms of the whole machine (every process, the bench's and others') in the same time. */
  machineMillis?: number;
}

function rateCpu(
  rate: number,
  accepted: number,
  elapsedMs: number,
  from: { services: Record<string, number>; machine?: number | undefined },
  to: {
    services: Record<string, number>;
    stack: Record<string, number>;
    bench: NodeJS.CpuUsage;
    machine?: number | undefined;
  },
): RateCpu {
  const millis: Record<string, number> = {};
  for (const [service, ms] of Object.entries(to.services))
    millis[service] = ms - (from.services[service] ?? 0);
  Object.assign(millis, to.stack);
  millis['bench (subscribers)'] = (to.bench.user + to.bench.system) / 1000;
  return {
    rate,
    accepted,
    elapsedMs,
    millis,
    ...(from.machine !== undefined && to.machine !== undefined
      ? { machineMillis: to.machine - from.machine }
      : {}),
  };
}

const programKey = (program: string) => program.replace(/ .*/, '');

function rateCpuFigures(r: RateCpu): Record<string, number> {
  const perRun = (ms: number) => (r.accepted ? Math.round((1000 * ms) / r.accepted) : 0);
  const total = Object.values(r.millis).reduce((sum, ms) => sum + ms, 0);
  return {
    ...Object.fromEntries(
      Object.entries(r.millis).map(([program, ms]) => [
        `rate_${r.rate}.cpu_us_per_run.${programKey(program)}`,
        perRun(ms),
      ]),
    ),
    [`rate_${r.rate}.cpu_us_per_run.total`]: perRun(total),
    [`rate_${r.rate}.cpu_cores.spark_and_stack`]: Math.round((100 * total) / r.elapsedMs) / 100,
    ...(r.machineMillis !== undefined
      ? { [`rate_${r.rate}.cpu_cores.machine`]: Math.round((100 * r.machineMillis) / r.elapsedMs) / 100 }
      : {}),
  };
}

function rateCpuMarkdown(rates: RateCpu[]): string[] {
  if (rates.length === 0 || Object.keys(rates[0]!.millis).length === 0) return [];
  const programs = Object.keys(rates[0]!.millis);
  return [
    '## What an accepted run costs, and what the machine had',
    '',
    'CPU time (user + system, from /proc) of each program from the start of a rate to the end of its drain,',
    'per accepted run, in µs. Cores = CPU time ÷ that elapsed time: "Spark + stack" is the programs listed,',
    '"machine" every process on it (other work included); the machine has ' +
      `${os.availableParallelism()} cores.`,
    '',
    `| offered runs/s | ${programs.join(' | ')} | total | cores: Spark + stack | cores: machine |`,
    `| ---: | ${programs.map(() => '---:').join(' | ')} | ---: | ---: | ---: |`,
    ...rates.map((r) => {
      const f = rateCpuFigures(r);
      const cell = (program: string) => String(f[`rate_${r.rate}.cpu_us_per_run.${programKey(program)}`]);
      return `| ${r.rate} | ${programs.map(cell).join(' | ')} | ${f[`rate_${r.rate}.cpu_us_per_run.total`]} | ${f[`rate_${r.rate}.cpu_cores.spark_and_stack`]} | ${f[`rate_${r.rate}.cpu_cores.machine`] ?? '–'} |`;
    }),
    '',
  ];
}

function runIdsOf(answered: { code: number; body: string }[]): string[] {
  return answered.flatMap((result) => {
    if (result.code !== 202) return [];
    const runId = (JSON.parse(result.body) as { runId?: string }).runId;
    return runId ? [runId] : [];
  });
}

function rateFigures(r: RateSummary): Record<string, number> {
  const key = `rate_${r.rate}`;
  return {
    [`${key}.requests`]: r.requests,
    [`${key}.accepted`]: r.accepted,
    [`${key}.accepted_per_s`]: Math.round(r.acceptedPerSecond * 10) / 10,
    [`${key}.completed`]: r.completed,
    [`${key}.completed_per_s`]: Math.round(r.completedPerSecond * 10) / 10,
    [`${key}.completed_share`]: Math.round(r.completedShare * 10000) / 10000,
    [`${key}.accepted_to_completed.p50_ms`]: Math.round(r.acceptedToCompleted.p50Ms * 10) / 10,
    [`${key}.accepted_to_completed.p99_ms`]: Math.round(r.acceptedToCompleted.p99Ms * 10) / 10,
    [`${key}.store_completed_share`]: Math.round(r.storeCompletedShare * 10000) / 10000,
    [`${key}.accepted_to_stored.p50_ms`]: Math.round(r.acceptedToStored.p50Ms * 10) / 10,
    [`${key}.accepted_to_stored.p99_ms`]: Math.round(r.acceptedToStored.p99Ms * 10) / 10,
    [`${key}.answer.p50_ms`]: Math.round(r.answer.p50Ms * 100) / 100,
    [`${key}.answer.p99_ms`]: Math.round(r.answer.p99Ms * 100) / 100,
    [`${key}.errors`]: r.requests - r.accepted,
    ...Object.fromEntries(
      Object.entries(r.errors).map(([status, count]) => [`${key}.errors.${status}`, count]),
    ),
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
