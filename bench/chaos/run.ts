/**
 * Chaos bench (issue 16): `bench/chaos/run.sh`. 1,000 runs of the mixed workload through two of each
 * service on a private Kafka and PostgreSQL, with ≥ 30 kill -9, one broker restart, one database restart
 * and one executor pause; prints the report and writes bench/reports/chaos-<date>.md and .json.
 * CHAOS_RUNS / CHAOS_RATE change the size (CHAOS_RUNS=200 for a quick look).
 */
import { describeMachine } from '../shared/machine';
import { machineFigures, writeReport } from '../shared/report';
import { runChaos } from './chaos';
import { figuresOf, renderReport, verdicts } from './report';
import { HEARTBEAT_TIMEOUT_MS } from './workload';

async function main() {
  const runs = Number(process.env.CHAOS_RUNS ?? '1000');
  const startsPerSecond = Number(process.env.CHAOS_RATE ?? '4');
  const result = await runChaos({
    label: 'bench',
    runs,
    startsPerSecond,
    calmShare: 0.15,
    faults: {
      killEveryMs: [1000, 3000],
      restartAfterMs: [500, 3000],
      executorPauseAt: 0.15,
      kafkaRestartAt: 0.4,
      postgresRestartAt: 0.7,
      pauseMs: HEARTBEAT_TIMEOUT_MS + 4000,
      minKills: Number(process.env.CHAOS_MIN_KILLS ?? '30'),
    },
    finishTimeoutMs: 300_000,
  });
  // The machine is described from the shared stack's PostgreSQL when reachable (the private one is gone).
  const machine = await describeMachine(
    process.env.SPARK_PG_URL ?? 'postgres://spark:spark@127.0.0.1:55432/spark',
  ).catch(() => ['- (machine description unavailable)']);
  const markdown = renderReport(result, machine);
  process.stdout.write(markdown);
  const paths = writeReport('chaos', result.startedAt, markdown, {
    ...figuresOf(result),
    ...machineFigures(),
  });
  process.stderr.write(`[chaos] report: ${paths.markdown}, ${paths.json}\n`);
  const failed = Object.entries(verdicts(result)).filter(([, ok]) => !ok);
  if (failed.length) {
    process.stderr.write(`[chaos] checks that do not hold: ${failed.map(([name]) => name).join('; ')}\n`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
