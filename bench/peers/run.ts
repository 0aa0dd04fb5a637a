/**
 * Peers benchmark (bench/peers/run.sh): bench/engine, Celery on Redis and BullMQ on Redis, run
 * alternately in one sitting (engine, celery, bullmq, engine, ...), the same three shapes each; the
 * report gives the median of each figure and Spark ÷ peer. Writes bench/reports/peers-<date>.md/.json.
 */
import { execFileSync } from 'node:child_process';
import { runEngineBench, connectionString, type EngineBenchResult } from '../engine/engine';
import { describeMachine } from '../shared/machine';
import { machineFigures, tracingLine, traceSampleRatio, writeReport } from '../shared/report';
import { cpuProfileMarkdown } from '../shared/cpu-profile';
import { formatMs } from '../shared/stats';
import { FIGURES, goals, median, medians, ratios, SYSTEMS, type RoundFigures, type System } from './compare';

import { flushRedis, runBullmq, runCelery, startRedis, type PeerFigures, type Shapes } from './peers';

/** The programs whose CPU per run the engine rounds report (services, then the stack). */
const CPU_PROGRAMS = ['scheduler', 'executor', 'postgres', 'kafka', 'jaeger'];

const scale = Number(process.env.BENCH_SCALE ?? '1');
const rounds = Number(process.env.BENCH_ROUNDS ?? '3');
const python = process.env.BENCH_CELERY_PYTHON ?? 'python3';
const cacheDir = process.env.SPARK_CACHE_DIR ?? `${process.env.HOME}/.cache/spark`;

const shapes: Shapes = {
  roundTrips: Math.max(10, Math.round(200 * scale)),
  chains: Math.max(10, Math.round(100 * scale)),
  sustained: Math.max(200, Math.round(5000 * scale)),
};

function engineRound(result: EngineBenchResult): RoundFigures {
  const f = result.figures;
  return {
    'round_trip.p50_ms': f['one_step.p50_ms']!,
    'round_trip.p99_ms': f['one_step.p99_ms']!,
    'chain3.p50_ms': f['three_step.p50_ms']!,
    'chain3.p99_ms': f['three_step.p99_ms']!,
    'sustained.per_s': f['sustained.runs_per_s']!,
  };
}

function peerRound(figures: PeerFigures): RoundFigures {
  return {
    'round_trip.p50_ms': figures.roundTrip.p50Ms,
    'round_trip.p99_ms': figures.roundTrip.p99Ms,
    'chain3.p50_ms': figures.chain3.p50Ms,
    'chain3.p99_ms': figures.chain3.p99Ms,
    'sustained.per_s': figures.sustained.perSecond,
  };
}

const show = (key: string, value: number | undefined) =>
  value === undefined || !Number.isFinite(value)
    ? 'n/a'
    : key.endsWith('per_s')
      ? value.toFixed(0)
      : formatMs(value);
const times = (value: number | undefined) =>
  value === undefined || !Number.isFinite(value) ? 'n/a' : `${value.toFixed(2)}×`;

async function main() {
  const startedAt = new Date();
  const redis = await startRedis(cacheDir);
  const perRound: Record<System, RoundFigures[]> = { spark: [], celery: [], bullmq: [] };
  const order: string[] = [];
  let profiled: EngineBenchResult | undefined;
  const engineCpu: Record<string, number>[] = [];
  const runEngine = (cpuProfile: boolean) =>
    runEngineBench({
      scale,
      sustainedRuns: shapes.sustained,
      timers: false,
      keyed: false,
      cpuProfile,
      serviceNodeOptions: process.env.BENCH_SERVICE_NODE_OPTIONS,
    });
  let celery: PeerFigures | undefined;
  let bullmq: PeerFigures | undefined;
  try {
    for (let round = 1; round <= rounds; round++) {
      console.error(`[peers] round ${round}/${rounds}: engine`);
      const engine = await runEngine(false);
      perRound.spark.push(engineRound(engine));
      engineCpu.push(engine.figures);
      console.error(`[peers] round ${round}/${rounds}: celery`);
      await flushRedis(redis.port);
      celery = await runCelery(python, redis.port, shapes);
      perRound.celery.push(peerRound(celery));
      console.error(`[peers] round ${round}/${rounds}: bullmq`);
      await flushRedis(redis.port);
      bullmq = await runBullmq(redis.port, shapes);
      perRound.bullmq.push(peerRound(bullmq));
      order.push(`${round}: engine → celery → bullmq`);
    }
    // The profile comes from a round of its own, not counted: --cpu-prof's sampling costs a few per cent.
    if (process.env.BENCH_CPU_PROFILE !== '0') {
      console.error('[peers] profiled engine round (not counted)');
      profiled = await runEngine(true);
    }
  } finally {
    await redis.stop();
  }

  const medianFigures = medians(perRound);
  const ratioFigures = ratios(medianFigures);
  const goalChecks = goals(medianFigures);
  const machine = await describeMachine(connectionString);
  const pythonVersion = execFileSync(python, ['--version'], { encoding: 'utf8' }).trim();
  const perRoundRows = SYSTEMS.flatMap((system) =>
    perRound[system].map(
      (figures, index) =>
        `| ${system} | ${index + 1} | ${FIGURES.map(({ key }) => show(key, figures[key])).join(' | ')} |`,
    ),
  );
  const report = [
    `# Peers benchmark — ${startedAt.toISOString()}`,
    '',
    `Command: \`bench/peers/run.sh\` (BENCH_SCALE=${scale}, BENCH_ROUNDS=${rounds}). One sitting, the systems run`,
    'alternately (engine, Celery, BullMQ, then again) on the same machine; each figure is the **median over the',
    'rounds**. The machine is shared with other work and noisy: compare ratios from one sitting, not figures',
    'across reports.',
    '',
    '- **Spark**: `bench/engine` (scheduler + executor as processes, real Kafka and PostgreSQL, PostgreSQL event',
    '  store, full event history, tracing on; the CPU profile comes from an extra round with `--cpu-prof`). Round trip',
    '  = StartRun published → RunCompleted seen; chain = a three-step run (noop → transform → noop); sustained =',
    '  one-step runs started in batches of 100 until the last completes.',
    `- **Celery ${celery?.version ?? '?'}** (${pythonVersion}) on Redis: broker and result backend, \`task_acks_late\`, results`,
    `  stored, prefork with ${celery?.processes ?? '?'} processes (one per core), prefetch multiplier ${celery?.prefetch ?? '?'} (the default). Round trip = \`delay()\` → \`get()\`; chain =`,
    '  `chain(noop, add_one, noop)`; sustained = `delay()` in a loop, then `ResultSet.join_native()`.',
    `- **BullMQ ${bullmq?.version ?? '?'}** on the same Redis: ${bullmq?.processes ?? '?'} worker processes (one per core), concurrency`,
    `  ${bullmq?.concurrency ?? '?'} each, results stored (BullMQ's default). Round trip = \`add()\` → \`waitUntilFinished()\`;`,
    '  chain = a flow of three jobs (child before parent); sustained = `addBulk()` of 100 at a time until every',
    '  `completed` event is seen.',
    `- Redis: ${redis.version.split(' ').slice(0, 3).join(' ')}, its own process, port and directory, \`appendonly yes\`,`,
    '  `appendfsync everysec`, no RDB snapshots; flushed before each peer round.',
    `- Sizes per round: ${shapes.roundTrips} round trips (after a warm-up), ${shapes.chains} chains, ${shapes.sustained} tasks sustained.`,
    '',
    '## Machine',
    '',
    ...machine,
    tracingLine(),
    '',
    '## Medians and ratios',
    '',
    'Spark ÷ peer: below 1 means Spark is faster for a latency; above 1 means Spark is faster for a throughput.',
    '',
    '| figure | Spark | Celery | BullMQ | Spark ÷ Celery | Spark ÷ BullMQ |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...FIGURES.map(
      ({ key, label }) =>
        `| ${label} | ${show(key, medianFigures[`spark.${key}`])} | ${show(key, medianFigures[`celery.${key}`])} | ${show(key, medianFigures[`bullmq.${key}`])} | ${times(ratioFigures[`ratio.spark_over_celery.${key}`])} | ${times(ratioFigures[`ratio.spark_over_bullmq.${key}`])} |`,
    ),
    '',
    '## Goals of issue 12',
    '',
    '| goal | ratio | met |',
    '| --- | ---: | --- |',
    ...goalChecks.map((check) => `| ${check.goal} | ${times(check.value)} | ${check.met ? 'yes' : 'no'} |`),
    '',
    '## Every round',
    '',
    `Order: ${order.join('; ')}.`,
    '',
    `| system | round | ${FIGURES.map(({ label }) => label).join(' | ')} |`,
    `| --- | ---: | ${FIGURES.map(() => '---:').join(' | ')} |`,
    ...perRoundRows,
    '',
    '## CPU per run of the engine at the sustained rate',
    '',
    'User + system time of each service process, and of the stack it runs on, during the sustained phase, per',
    'run (from /proc); the figure a busy machine changes least.',
    '',
    `| round | ${CPU_PROGRAMS.map((program) => `${program} (µs)`).join(' | ')} |`,
    `| ---: | ${CPU_PROGRAMS.map(() => '---:').join(' | ')} |`,
    ...engineCpu.map(
      (figures, index) =>
        `| ${index + 1} | ${CPU_PROGRAMS.map((program) => figures[`sustained.cpu_us_per_run.${program}`] ?? '–').join(' | ')} |`,
    ),
    '',
    '## CPU profile of the engine at the sustained rate (a profiled round of its own, not counted above)',
    '',
    ...(profiled?.profiles.length
      ? profiled.profiles.flatMap(cpuProfileMarkdown)
      : ['No profile (BENCH_CPU_PROFILE=0, or the services did not write one).', '']),
  ].join('\n');
  process.stdout.write(report);
  const figures: Record<string, number> = {
    scale,
    rounds,
    'size.round_trips': shapes.roundTrips,
    'size.chains': shapes.chains,
    'size.sustained': shapes.sustained,
    ...medianFigures,
    ...Object.fromEntries(
      Object.entries(ratioFigures).map(([key, value]) => [key, Math.round(value * 1000) / 1000]),
    ),
    ...Object.fromEntries(
      Object.entries(profiled?.figures ?? {})
        .filter(([key]) => key.startsWith('cpu.'))
        .map(([key, value]) => [`spark.${key}`, value]),
    ),
    ...Object.fromEntries(
      CPU_PROGRAMS.flatMap((service) => {
        const key = `sustained.cpu_us_per_run.${service}`;
        const values = engineCpu.flatMap((figures) => (figures[key] === undefined ? [] : [figures[key]]));
        return values.length > 0 ? [[`spark.${key}`, median(values)]] : [];
      }),
    ),
    'tracing.sample_ratio': traceSampleRatio(),
    ...machineFigures(),
  };
  for (const [key, value] of Object.entries(medianFigures)) figures[key] = Math.round(value * 1000) / 1000;
  const written = writeReport('peers', startedAt, report, figures);
  console.log(`\nwritten: ${written.markdown}, ${written.json}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
