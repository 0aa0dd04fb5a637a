/**
 * Engine benchmark (bench/engine/run.sh): runs one sitting of `runEngineBench` and writes
 * bench/reports/engine-<date>.md and engine-<date>.json.
 */
import { describeMachine } from '../shared/machine';
import { machineFigures, tracingLine, traceSampleRatio, writeReport } from '../shared/report';
import { connectionString, runEngineBench } from './engine';

function positive(name: string): number {
  const value = Number(process.env[name]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

async function main() {
  const startedAt = new Date();
  const scale = Number(process.env.BENCH_SCALE ?? '1');
  const result = await runEngineBench({
    scale,
    cpuProfile: process.env.BENCH_CPU_PROFILE !== '0',
    // BENCH_SERVICE_NODE_OPTIONS reaches the services, e.g. "--max-old-space-size=512".
    serviceNodeOptions: process.env.BENCH_SERVICE_NODE_OPTIONS,
    // For A/B sittings: a longer sustained phase (its CPU per run is the figure to compare) and
    // without the phases that do not tell it.
    ...(process.env.BENCH_SUSTAINED_RUNS ? { sustainedRuns: positive('BENCH_SUSTAINED_RUNS') } : {}),
    keyed: process.env.BENCH_KEYED !== '0',
    timers: process.env.BENCH_TIMERS !== '0',
  });
  const machine = await describeMachine(connectionString);
  const report = [
    `# Engine benchmark — ${startedAt.toISOString()}`,
    '',
    `Command: \`bench/engine/run.sh\` (BENCH_SCALE=${scale}). Scheduler and executor as processes (dist/), real Kafka 4 and`,
    'PostgreSQL from tools/stack, PostgreSQL event store. Latency = publishing StartRun to `spark.commands` →',
    'RunCompleted delivered by a live event-store subscription; runs one at a time. Sustained = runs started in',
    'batches of 100 as fast as possible, until the last completes. The figures are also in the `.json` beside',
    'this file.',
    '',
    '## Machine',
    '',
    ...machine,
    tracingLine(),
    '',
    ...result.sections,
  ].join('\n');
  process.stdout.write(report);
  const written = writeReport('engine', startedAt, report, {
    ...result.figures,
    'tracing.sample_ratio': traceSampleRatio(),
    ...machineFigures(),
  });
  console.log(`\nwritten: ${written.markdown}, ${written.json}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
