/**
 * Schedules benchmark: how late schedule fires are with N schedules firing every second, how long from a
 * nominal time to its run starting and ending, and how a scheduler killed with SIGKILL catches up, with the
 * scheduler and executor as real processes against the real Kafka and PostgreSQL. Run with
 * bench/schedules/run.sh.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { EngineHarness, WORKSPACE_ROOT } from '@spark/testing';
import { describeMachine } from '../shared/machine';
import { StoreObserver } from './observe';
import { measureRecovery, type RecoveryResult } from './recovery';
import { renderReport } from './report';
import { measureSteady, type SteadyResult } from './steady';

const scale = Number(process.env.BENCH_SCALE ?? '1');
const connectionString = process.env.SPARK_PG_URL ?? 'postgres://spark:spark@127.0.0.1:55432/spark';
// BENCH_FLEETS=500 measures one fleet size only (e.g. to alternate two builds in one sitting).
const FLEETS = (process.env.BENCH_FLEETS ?? '10,100,500')
  .split(',')
  .map((n) => Math.max(2, Math.round(Number(n) * scale)));
const WINDOW_SECONDS = Math.max(5, Math.round(20 * scale));
const RECOVERY_SCHEDULES = Math.max(2, Math.round(100 * scale));

const log = (message: string) => process.stderr.write(`[bench:schedules] ${message}\n`);

async function main() {
  const startedAt = new Date();
  const began = performance.now();
  const engine = await EngineHarness.start({ env: { SPARK_LOG_LEVEL: 'warn' } });
  const observer = new StoreObserver(
    connectionString,
    engine.env.SPARK_EVENT_STORE_SCHEMA!,
    engine.env.SPARK_SCHEDULER_SCHEMA!,
  );
  try {
    const workflow = `bench-noop-${randomUUID().slice(0, 8)}`;
    await engine.register({
      name: workflow,
      version: 1,
      steps: [{ id: 'a', type: 'task', handler: 'noop' }],
    });

    const steady: SteadyResult[] = [];
    for (const schedules of FLEETS) {
      log(`steady: ${schedules} schedules, ${WINDOW_SECONDS} s window`);
      const result = await measureSteady(engine, observer, workflow, schedules, WINDOW_SECONDS);
      log(JSON.stringify(result));
      steady.push(result);
    }
    log(`recovery: ${RECOVERY_SCHEDULES} schedules, scheduler killed for 5 s`);
    const recovery = await measureRecovery(engine, observer, workflow, RECOVERY_SCHEDULES);
    log(JSON.stringify(recovery));

    const report = renderReport({
      startedAt,
      scale,
      machine: await describeMachine(connectionString),
      steady,
      recovery,
      totalSeconds: (performance.now() - began) / 1000,
    });
    process.stdout.write(report);
    const dir = path.join(WORKSPACE_ROOT, 'bench/reports');
    mkdirSync(dir, { recursive: true });
    const day = startedAt.toISOString().slice(0, 10);
    writeFileSync(path.join(dir, `schedules-${day}.md`), report);
    writeFileSync(
      path.join(dir, `schedules-${day}.json`),
      JSON.stringify(figuresOf(steady, recovery), null, 2) + '\n',
    );
  } finally {
    await observer.close();
    await engine.stop();
  }
}

/** The report's figures as one flat object (figure names as keys, numbers as values), for scripts. */
function figuresOf(steady: SteadyResult[], recovery: RecoveryResult): Record<string, number> {
  const figures: Record<string, number> = {};
  for (const result of steady) {
    const at = `n${result.schedules}`;
    Object.assign(figures, {
      [`${at}.firesPerSecond`]: result.firesPerSecond,
      [`${at}.expectedFires`]: result.expectedFires,
      [`${at}.fired`]: result.fired,
      [`${at}.duplicateFires`]: result.duplicateFires,
      [`${at}.missedEvents`]: result.missedEvents,
      [`${at}.latenessP50Ms`]: result.lateness.p50Ms,
      [`${at}.latenessP99Ms`]: result.lateness.p99Ms,
      [`${at}.nominalToStartP50Ms`]: result.runs.nominalToStart.p50Ms,
      [`${at}.nominalToStartP99Ms`]: result.runs.nominalToStart.p99Ms,
      [`${at}.nominalToEndP50Ms`]: result.runs.nominalToEnd.p50Ms,
      [`${at}.nominalToEndP99Ms`]: result.runs.nominalToEnd.p99Ms,
      [`${at}.duplicateRuns`]: result.runs.duplicateRuns,
      [`${at}.unfinishedRuns`]: result.runs.unfinished,
    });
  }
  Object.assign(figures, {
    'recovery.outageMs': recovery.outageMs,
    'recovery.owedFires': recovery.owedFires,
    'recovery.owedFired': recovery.owedFired,
  });
  return figures;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
