/**
 * Engine benchmark: end-to-end latency of one-step and three-step runs (StartRun on Kafka → RunCompleted
 * in the event store) and sustained runs per second, with the scheduler and executor as real processes
 * against the real Kafka and PostgreSQL. `runEngineBench` is what bench/engine/run.ts and bench/peers
 * call; it returns the figures (JSON-ready) and the Markdown sections.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Topics, type ServiceName, type StartRunCommand } from '@spark/contracts';
import { type EventSubscription } from '@spark/event-store';
import { Pool } from 'pg';
import { EngineHarness } from '@spark/testing';
import {
  cpuProfileFigures,
  cpuProfileMarkdown,
  monotonicMicros,
  round,
  type CpuProfileSummary,
} from '../shared/cpu-profile';
import { startProfiledServices, type ServiceProfiles } from '../shared/profiled-services';
import { StackCpuSampler } from '../shared/program-cpu';
import { formatMs, summarise, type LatencySummary } from '../shared/stats';

export const connectionString = process.env.SPARK_PG_URL ?? 'postgres://spark:spark@127.0.0.1:55432/spark';
const FINAL = ['RunCompleted', 'RunFailed', 'RunCancelled', 'RunTimedOut'];

/** Resolves when a run's final event is delivered by a live subscription (no polling). */
class Completions {
  private readonly waiting = new Map<string, (at: number) => void>();
  private readonly early = new Map<string, number>();
  private readonly loop: Promise<void>;

  constructor(private readonly subscription: EventSubscription) {
    this.loop = this.follow();
  }

  wait(runId: string): Promise<number> {
    const seen = this.early.get(runId);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiting.set(runId, resolve));
  }

  async close() {
    await this.subscription.close();
    await this.loop;
  }

  private async follow() {
    for await (const event of this.subscription) {
      const runId = event.streamName.slice('run-'.length);
      if (event.type !== 'RunCompleted') throw new Error(`run ${runId} ended with ${event.type}`);
      const now = performance.now();
      const resolve = this.waiting.get(runId);
      if (resolve) {
        this.waiting.delete(runId);
        resolve(now);
      } else this.early.set(runId, now);
    }
  }
}

function startCommand(workflow: string, input: unknown = { n: 1 }): StartRunCommand {
  const runId = randomUUID();
  return {
    type: 'StartRun',
    commandId: randomUUID(),
    runId,
    issuedAt: new Date().toISOString(),
    workflow: { name: workflow, version: 1 },
    input,
  };
}

interface RoundTrip {
  runId: string;
  /** Wall-clock ms (epoch) when the StartRun was handed to the producer and when RunCompleted was seen. */
  publishedAt: number;
  seenAt: number;
}

async function latency(
  engine: EngineHarness,
  completions: Completions,
  workflow: string,
  runs: number,
): Promise<LatencySummary & { trips: RoundTrip[] }> {
  const samples: number[] = [];
  const trips: RoundTrip[] = [];
  for (let i = 0; i < runs; i++) {
    const command = startCommand(workflow);
    const started = performance.now();
    await engine.messaging.publish(Topics.commands, [{ key: command.runId, value: JSON.stringify(command) }]);
    const seen = await completions.wait(command.runId);
    samples.push(seen - started);
    const epoch = (at: number) => performance.timeOrigin + at;
    trips.push({ runId: command.runId, publishedAt: epoch(started), seenAt: epoch(seen) });
  }
  return { ...summarise(samples), trips };
}

/**
 * Where a one-step round trip goes, from the times the services record in the run's events (all
 * processes share the machine's clock; the events' times have millisecond resolution): each segment's
 * median over the runs.
 */
async function hops(engine: EngineHarness, trips: readonly RoundTrip[]) {
  const segments: Record<string, number[]> = {};
  const add = (name: string, from: number, to: number) => (segments[name] ??= []).push(to - from);
  for (const trip of trips) {
    const events = await engine.events(trip.runId);
    const find = (type: string) => events.find((event) => event.type === type);
    const started = find('RunStarted');
    const attempt = find('StepAttemptStarted');
    const succeeded = find('StepAttemptSucceeded');
    const completed = find('RunCompleted');
    if (!started || !attempt || !succeeded || !completed) continue;
    const at = (value: unknown) => Date.parse(value as string);
    const decidedStart = at((started.data as { startedAt: string }).startedAt);
    const executorStart = at((attempt.data as { startedAt: string }).startedAt);
    const decidedResult = at((succeeded.data as { at: string }).at);
    add('1 StartRun published → scheduler decides it (Kafka hop)', trip.publishedAt, decidedStart);
    add('2 → its append begins (rest of the batch)', decidedStart, started.recordedAt.getTime());
    add(
      '3 → the executor starts the task (commit, relay, Kafka hop)',
      started.recordedAt.getTime(),
      executorStart,
    );
    add('4 → the scheduler decides the result (task, Kafka hop)', executorStart, decidedResult);
    add('5 → its append begins', decidedResult, completed.recordedAt.getTime());
    add(
      '6 → RunCompleted seen by a subscriber (commit, notify, read)',
      completed.recordedAt.getTime(),
      trip.seenAt,
    );
    add('total', trip.publishedAt, trip.seenAt);
  }
  return Object.entries(segments).map(([name, samples]) => ({ name, ...summarise(samples) }));
}

async function throughput(
  engine: EngineHarness,
  completions: Completions,
  workflow: string,
  runs: number,
  inputOf?: (index: number) => unknown,
) {
  const commands = Array.from({ length: runs }, (_, index) => startCommand(workflow, inputOf?.(index)));
  const fromMicros = monotonicMicros();
  const started = performance.now();
  const done = Promise.all(commands.map((command) => completions.wait(command.runId)));
  for (let i = 0; i < commands.length; i += 100) {
    await engine.messaging.publish(
      Topics.commands,
      commands.slice(i, i + 100).map((command) => ({ key: command.runId, value: JSON.stringify(command) })),
    );
  }
  const finishedAt = Math.max(...(await done));
  const toMicros = monotonicMicros();
  const seconds = (finishedAt - started) / 1000;
  return { runs, seconds, runsPerSecond: runs / seconds, window: { fromMicros, toMicros } };
}

/**
 * Timer lateness with `pendingTimers` other timers waiting (far in the future, as a busy installation
 * has): runs of a single 300 ms `wait` step, one at a time; lateness = TimerFired.firedAt − fireAt.
 */
async function timers(engine: EngineHarness, completions: Completions, runs: number, pendingTimers: number) {
  const pool = new Pool({ connectionString });
  const schema = engine.env.SPARK_SCHEDULER_SCHEMA!;
  await pool.query(
    `INSERT INTO ${schema}.timers (run_id, timer_id, fire_at)
     SELECT 'bench-idle-' || i, 'idle', now() + interval '1 day' + i * interval '1 second' FROM generate_series(1, $1) AS i`,
    [pendingTimers],
  );
  const workflow = `bench-wait-${randomUUID().slice(0, 8)}`;
  await engine.register({
    name: workflow,
    version: 1,
    steps: [{ id: 'pause', type: 'wait', duration: '300ms' }],
  });
  const lateness: number[] = [];
  for (let i = 0; i < runs; i++) {
    const command = startCommand(workflow);
    await engine.messaging.publish(Topics.commands, [{ key: command.runId, value: JSON.stringify(command) }]);
    await completions.wait(command.runId);
    const events = await engine.events(command.runId);
    const scheduled = events.find(
      (event) => event.type === 'TimerScheduled' && (event.data as { purpose: string }).purpose === 'wait',
    );
    const fired = events.find((event) => event.type === 'TimerFired');
    lateness.push(
      Date.parse((fired!.data as { firedAt: string }).firedAt) -
        Date.parse((scheduled!.data as { fireAt: string }).fireAt),
    );
  }
  const { rows } = await pool.query<{ count: string }>(`SELECT count(*) FROM ${schema}.timers`);
  await pool.end();
  return { lateness: summarise(lateness), pendingAtEnd: Number(rows[0]!.count) };
}

export interface EngineBenchOptions {
  scale: number;
  /** Profile the services (--cpu-prof) and summarise the sustained phase. Default true. */
  cpuProfile?: boolean;
  /** Runs in the sustained phase (default 1,000 × scale). */
  sustainedRuns?: number;
  /** Run the durable-timer phase (100,000 × scale pending timers). Default true. */
  timers?: boolean;
  /** Run the concurrency-key phases (the sustained runs again behind a key, twice). Default true. */
  keyed?: boolean;
  /** Extra NODE_OPTIONS for the services (BENCH_SERVICE_NODE_OPTIONS). */
  serviceNodeOptions?: string;
}

export interface EngineBenchResult {
  /** JSON-ready: figure names as keys, numbers as values. */
  figures: Record<string, number>;
  /** The report's Markdown sections (without title and machine). */
  sections: string[];
  profiles: CpuProfileSummary[];
}

const SERVICES: ServiceName[] = ['scheduler', 'executor'];

const latencyFigures = (prefix: string, summary: LatencySummary) => ({
  [`${prefix}.runs`]: summary.count,
  [`${prefix}.p50_ms`]: round(summary.p50Ms, 3),
  [`${prefix}.p99_ms`]: round(summary.p99Ms, 3),
  [`${prefix}.max_ms`]: round(summary.maxMs, 3),
});

/**
 * One sitting of the engine benchmark on a fresh harness: warm-up, one-step latency, three-step
 * latency, sustained throughput (profiled), then durable timers. The services stop at the end, which
 * is when they write their CPU profiles.
 */
export async function runEngineBench(options: EngineBenchOptions): Promise<EngineBenchResult> {
  const { scale } = options;
  const profiling = options.cpuProfile ?? true;
  const engine = await EngineHarness.start({ services: [], env: { SPARK_LOG_LEVEL: 'warn' } });
  let sustained: Awaited<ReturnType<typeof throughput>> | undefined;
  let stopped = false;
  let services: ServiceProfiles | undefined;
  try {
    services = await startProfiledServices(engine, SERVICES, {
      cpuProfile: profiling,
      nodeOptions: options.serviceNodeOptions,
    });
    const oneStep = `bench-one-${randomUUID().slice(0, 8)}`;
    const threeSteps = `bench-three-${randomUUID().slice(0, 8)}`;
    await engine.register({
      name: oneStep,
      version: 1,
      steps: [{ id: 'a', type: 'task', handler: 'noop', input: '=input' }],
    });
    await engine.register({
      name: threeSteps,
      version: 1,
      steps: [
        { id: 'a', type: 'task', handler: 'noop', input: '=input' },
        {
          id: 'b',
          type: 'task',
          needs: ['a'],
          handler: 'transform',
          config: { expression: 'input.n + 1' },
          input: '=steps.a.output',
        },
        { id: 'c', type: 'task', needs: ['b'], handler: 'noop', input: '=steps.b.output' },
      ],
    });
    // The cost of a concurrency limit (docs/adr/0120): the same one-step run behind a key. 10 keys with
    // a limit that never binds measures the mechanism (a slot request, a grant hop, a release per run);
    // a limit of 5 per key makes runs wait their turn.
    const keyed = (limit: number) => ({
      name: `bench-keyed-${limit}-${randomUUID().slice(0, 8)}`,
      version: 1,
      concurrency: { key: 'input.tenant', limit },
      steps: [{ id: 'a', type: 'task', handler: 'noop', input: '=input' }],
    });
    const unbound = keyed(1000);
    const bound = keyed(5);
    await engine.register(unbound);
    await engine.register(bound);
    const completions = new Completions(
      engine.store.subscribeToAll({ filter: { streamNamePrefixes: ['run-'], eventTypes: FINAL } }),
    );
    await latency(engine, completions, oneStep, Math.max(5, Math.round(20 * scale))); // warm-up
    const one = await latency(engine, completions, oneStep, Math.max(10, Math.round(200 * scale)));
    const three = await latency(engine, completions, threeSteps, Math.max(10, Math.round(100 * scale)));
    const oneStepHops = await hops(engine, one.trips);
    const cpuBefore = services.cpuMillis();
    const stackCpu = new StackCpuSampler();
    stackCpu.start();
    sustained = await throughput(
      engine,
      completions,
      oneStep,
      options.sustainedRuns ?? Math.max(50, Math.round(1000 * scale)),
    );
    const cpuAfter = services.cpuMillis();
    const { postgres, kafka, jaeger } = stackCpu.stop();
    // CPU per run is what a busy machine changes least: the figure to compare across A/B rounds. The
    // stack's programs are counted too: what a run costs the machine, not only Spark's processes.
    const cpuPerRun: { service: string; micros: number }[] = [
      ...SERVICES.flatMap((service) => {
        const before = cpuBefore[service];
        const after = cpuAfter[service];
        return before === undefined || after === undefined
          ? []
          : [{ service, micros: (1000 * (after - before)) / sustained!.runs }];
      }),
      ...Object.entries({ postgres, kafka, jaeger })
        .filter(([, millis]) => millis > 0)
        .map(([service, millis]) => ({ service, micros: (1000 * millis) / sustained!.runs })),
    ];
    const keyedRuns = options.sustainedRuns ?? Math.max(50, Math.round(1000 * scale));
    const tenantOf = (index: number) => ({ n: 1, tenant: `tenant-${index % 10}` });
    const keyedPhases = options.keyed ?? true;
    const withKey = keyedPhases
      ? await throughput(engine, completions, unbound.name, keyedRuns, tenantOf)
      : undefined;
    const withLimit = keyedPhases
      ? await throughput(engine, completions, bound.name, keyedRuns, tenantOf)
      : undefined;
    const pendingTimers = Math.round(100_000 * scale);
    const timerFigures =
      (options.timers ?? true)
        ? await timers(engine, completions, Math.max(10, Math.round(50 * scale)), pendingTimers)
        : undefined;
    await completions.close();

    const figures: Record<string, number> = {
      scale,
      ...latencyFigures('one_step', one),
      ...latencyFigures('three_step', three),
      ...Object.fromEntries(
        oneStepHops.map((hop, index) => [`one_step.hop_${index + 1}.p50_ms`, round(hop.p50Ms, 3)]),
      ),
      'sustained.runs': sustained.runs,
      'sustained.seconds': round(sustained.seconds, 3),
      'sustained.runs_per_s': round(sustained.runsPerSecond, 1),
      ...Object.fromEntries(
        cpuPerRun.map(({ service, micros }) => [`sustained.cpu_us_per_run.${service}`, round(micros, 0)]),
      ),
      ...(withKey && withLimit
        ? {
            'sustained_keyed.runs_per_s': round(withKey.runsPerSecond, 1),
            'sustained_limit5.runs_per_s': round(withLimit.runsPerSecond, 1),
          }
        : {}),
      ...(timerFigures
        ? {
            ...latencyFigures('timer_lateness', timerFigures.lateness),
            'timer_lateness.pending_timers': pendingTimers,
            'timer_lateness.pending_at_end': timerFigures.pendingAtEnd,
          }
        : {}),
    };
    const sections = [
      '## End-to-end latency',
      '',
      '| workflow | runs | p50 ms | p99 ms | max ms |',
      '| --- | ---: | ---: | ---: | ---: |',
      `| one step (noop) | ${one.count} | ${formatMs(one.p50Ms)} | ${formatMs(one.p99Ms)} | ${formatMs(one.maxMs)} |`,
      `| three steps (noop → transform → noop) | ${three.count} | ${formatMs(three.p50Ms)} | ${formatMs(three.p99Ms)} | ${formatMs(three.maxMs)} |`,
      '',
      'Where a one-step round trip goes (from the times recorded in its events; each segment is a median',
      'over the runs, so the segments need not add up to the total):',
      '',
      '| segment | p50 ms | p99 ms |',
      '| --- | ---: | ---: |',
      ...oneStepHops.map((hop) => `| ${hop.name} | ${formatMs(hop.p50Ms)} | ${formatMs(hop.p99Ms)} |`),
      '',
      '## Sustained throughput',
      '',
      `${sustained.runs} one-step runs in ${sustained.seconds.toFixed(1)} s: **${sustained.runsPerSecond.toFixed(0)} runs/s**.`,
      ...(cpuPerRun.length > 0
        ? [
            '',
            `CPU per run in that phase (user + system, from /proc): ${cpuPerRun
              .map(({ service, micros }) => `${service} ${(micros / 1000).toFixed(2)} ms`)
              .join(', ')}.`,
          ]
        : []),
      '',
      ...(withKey && withLimit
        ? [
            'The cost of a concurrency limit (the same runs behind `concurrency: {key: input.tenant}`, 10 keys):',
            '',
            '| runs | concurrency key | runs/s |',
            '| ---: | --- | ---: |',
            `| ${sustained.runs} | none | ${sustained.runsPerSecond.toFixed(0)} |`,
            `| ${withKey.runs} | 10 keys, limit 1000 (never binds) | ${withKey.runsPerSecond.toFixed(0)} |`,
            `| ${withLimit.runs} | 10 keys, limit 5 each (runs wait) | ${withLimit.runsPerSecond.toFixed(0)} |`,
            '',
          ]
        : []),
    ];
    if (timerFigures) {
      sections.push(
        '## Durable timers',
        '',
        `${pendingTimers} other timers pending in the timer table (due in a day); runs of one 300 ms \`wait\` step, one at a`,
        "time. Lateness = `TimerFired.firedAt` (when the scheduler decided the fire) − the timer's `fireAt`.",
        '',
        '| timers fired | p50 ms late | p99 ms late | max ms late | pending at the end |',
        '| ---: | ---: | ---: | ---: | ---: |',
        `| ${timerFigures.lateness.count} | ${formatMs(timerFigures.lateness.p50Ms)} | ${formatMs(timerFigures.lateness.p99Ms)} | ${formatMs(timerFigures.lateness.maxMs)} | ${timerFigures.pendingAtEnd} |`,
        '',
      );
    }
    stopped = true;
    await engine.stop();
    const profiles = services.summarise(sustained.window);
    if (profiling) {
      sections.push(
        '## CPU profile at the sustained rate',
        '',
        'Each service ran with `--cpu-prof` (V8 sampling, 1 ms); the samples inside the sustained phase are',
        'summarised by self time. `(idle)` is the event loop waiting on I/O: what is left of the wall time is',
        'spent on round trips (Kafka, PostgreSQL), not computation.',
        '',
        ...profiles.flatMap(cpuProfileMarkdown),
      );
      for (const service of SERVICES) {
        if (!profiles.some((summary) => summary.service === service))
          sections.push(`No CPU profile was written by the ${service} (did it exit gracefully?).`, '');
      }
      for (const summary of profiles) Object.assign(figures, cpuProfileFigures(summary));
    }
    return { figures, sections, profiles };
  } catch (error) {
    if (!stopped) await engine.stop().catch(() => undefined);
    throw error;
  } finally {
    services?.dispose();
  }
}
