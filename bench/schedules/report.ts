import { formatMs } from '../shared/stats';
import { type RecoveryResult } from './recovery';
import { type Distribution } from './stats';
import { type SteadyResult } from './steady';

const ms = (d: Distribution) => [d.p50Ms, d.p90Ms, d.p99Ms, d.maxMs].map(formatMs).join(' | ');
const p50p99 = (d: Distribution) => `${formatMs(d.p50Ms)} / ${formatMs(d.p99Ms)}`;
const triggers = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([trigger, count]) => `${trigger} ${count}`)
    .join(', ') || 'none';
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(1)}×` : 'n/a');

export interface ReportInput {
  startedAt: Date;
  scale: number;
  machine: string[];
  steady: SteadyResult[];
  recovery: RecoveryResult;
  totalSeconds: number;
}

function lateness(steady: SteadyResult[]): string[] {
  const base = steady[0]!;
  const rows = steady.map(
    (s) =>
      `| ${s.schedules} | ${s.expectedFires} | ${s.fired} | ${s.firesPerSecond.toFixed(1)} / ${s.schedules} (${((100 * s.firesPerSecond) / s.schedules).toFixed(1)} %) | ${ms(s.lateness)} | ${p50p99(s.latenessFirstQuarter)} | ${p50p99(s.latenessLastQuarter)} | ${triggers(s.triggers)} |`,
  );
  const ratios = steady
    .slice(1)
    .map(
      (s) =>
        `N=${s.schedules} vs N=${base.schedules}: p50 ${ratio(s.lateness.p50Ms, base.lateness.p50Ms)}, p99 ${ratio(s.lateness.p99Ms, base.lateness.p99Ms)}`,
    );
  return [
    `## 1. Fire lateness — N schedules, each \`* * * * * *\` (ALLOW_ALL), ${base.seconds} s window`,
    '',
    'Lateness = `ScheduleFired.firedAt` (the instant the scheduler decided the fire) − its nominal time, for the',
    'nominal times inside the window. Expected fires = N × window seconds; fired = distinct (schedule, nominal',
    'time) in the window that fired before the pause. Fires/s = ScheduleFired events whose firedAt is inside the',
    'window ÷ window seconds, against N expected. `catch-up` triggers in steady state mean a timer went off more',
    'than a second late and fired several seconds in one decision.',
    '',
    '| N | expected fires | fired | fires/s achieved / expected | p50 ms | p90 ms | p99 ms | max ms | first ¼ p50 / p99 ms | last ¼ p50 / p99 ms | triggers |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows,
    '',
    `Lateness ratios: ${ratios.join('; ') || 'n/a'}.`,
    '',
    'Integrity over each whole phase (warm-up, window and the wait for the last fire), all expected to be 0:',
    '',
    '| N | duplicate fires | ScheduleFireSkipped | ScheduleFiresMissed | ScheduleFireBuffered | not fired in window | wait for last fire ms | pause retries |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...steady.map(
      (s) =>
        `| ${s.schedules} | ${s.duplicateFires} | ${s.skippedEvents} | ${s.missedEvents} | ${s.bufferedEvents} | ${s.expectedFires - s.fired} | ${formatMs(s.lastFireWaitMs)} | ${s.extraPauseAttempts} |`,
    ),
    '',
    '"wait for last fire" = from the end of the window until every schedule had fired the window\'s last second',
    '(given up after 30 s). "pause retries" = PauseSchedule attempts beyond the repository\'s own conflict retries.',
  ];
}

function runs(steady: SteadyResult[]): string[] {
  return [
    '## 2. Fire → run (same fires as above)',
    '',
    'Nominal → RunStarted = `RunStarted.recordedAt` (PostgreSQL `now()` of the append) − nominal time. Fired →',
    "RunStarted = the same minus `ScheduleFired.firedAt` (relay, Kafka, scheduler). Nominal → end = the run's final",
    'event `recordedAt` − nominal time. Drain = from pausing the schedules until every run of the phase had ended',
    "(polled every 200 ms). Relay settle = then until the scheduler's outbox relay checkpoint had passed every",
    'run end and schedule event of the phase, so the next phase starts with a relay that is not behind.',
    '',
    '| N | runs | nominal → RunStarted p50 / p99 ms | fired → RunStarted p50 / p99 ms | nominal → end p50 / p99 ms | max nominal → end ms | duplicate runs | unfinished | not RunCompleted | drain s | relay settle s |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...steady.map(
      (s) =>
        `| ${s.schedules} | ${s.runs.nominalToStart.count} | ${p50p99(s.runs.nominalToStart)} | ${p50p99(s.runs.firedToStart)} | ${p50p99(s.runs.nominalToEnd)} | ${formatMs(s.runs.nominalToEnd.maxMs)} | ${s.runs.duplicateRuns} | ${s.runs.unfinished} | ${s.runs.notCompleted} | ${(s.drainMs / 1000).toFixed(1)} | ${(s.relaySettleMs / 1000).toFixed(1)}${s.relaySettled ? '' : ' (gave up)'} |`,
    ),
  ];
}

function recovery(r: RecoveryResult): string[] {
  return [
    `## 3. Recovery — ${r.schedules} schedules every second, scheduler killed with SIGKILL`,
    '',
    `After ≥ 5 s of steady firing the scheduler process was killed (kill -9), left down ${(r.outageMs / 1000).toFixed(1)} s, then`,
    `started again; it answered its readiness check (polled every 200 ms) ${(r.startupMs / 1000).toFixed(2)} s after it was spawned. Owed fires = per`,
    'schedule, the nominal seconds after the last one fired before the kill, up to the moment the new process was',
    'ready (catch-up window: the default 1 m, so none should be reported missed).',
    '',
    '| figure | value |',
    '| --- | --- |',
    `| last schedule created → every schedule fired once | ${formatMs(r.allFiringMs)} ms |`,
    `| owed fires (fired / expected) | ${r.owedFired} / ${r.owedFires} |`,
    `| triggers of the owed fires | ${triggers(r.owedTriggers)} |`,
    `| spawn → first owed fire | ${formatMs(r.firstFireAfterSpawnMs)} ms |`,
    `| spawn → a schedule's last owed fire, p50 / p99 / max over schedules | ${formatMs(r.caughtUpAfterSpawn.p50Ms)} / ${formatMs(r.caughtUpAfterSpawn.p99Ms)} / ${formatMs(r.caughtUpAfterSpawn.maxMs)} ms |`,
    `| lateness of owed fires p50 / p99 / max | ${formatMs(r.owedLateness.p50Ms)} / ${formatMs(r.owedLateness.p99Ms)} / ${formatMs(r.owedLateness.maxMs)} ms |`,
    `| nominal → RunStarted of owed fires p50 / p99 | ${p50p99(r.runs.nominalToStart)} ms |`,
    `| nominal → run end of owed fires p50 / p99 | ${p50p99(r.runs.nominalToEnd)} ms |`,
    `| duplicate fires (same schedule and nominal time twice), whole phase | ${r.duplicateFires} |`,
    `| seconds never fired between a schedule's first and last fire | ${r.gaps} |`,
    `| ScheduleFiresMissed / ScheduleFireSkipped events | ${r.missedEvents} / ${r.skippedEvents} |`,
    `| runs with more than one RunStarted / unfinished / not RunCompleted | ${r.runs.duplicateRuns} / ${r.runs.unfinished} / ${r.runs.notCompleted} |`,
  ];
}

export function renderReport(input: ReportInput): string {
  return [
    `# Schedules benchmark — ${input.startedAt.toISOString()}`,
    '',
    `Command: \`bench/schedules/run.sh\` (BENCH_SCALE=${input.scale}); ${input.totalSeconds.toFixed(0)} s in all. Scheduler and executor as`,
    'processes (dist/) through `EngineHarness`, real Kafka and PostgreSQL from tools/stack, PostgreSQL event store.',
    'Schedules are created and paused the way the gateway does it (schedule repository: decide + append); each phase',
    'has schedules of its own and pauses them at its end. Workflow: one `noop` task. Times come from the events',
    '(firedAt, nominal time, recordedAt) read back from the store with SQL; all processes share one clock.',
    '',
    '## Machine',
    '',
    ...input.machine,
    '',
    ...lateness(input.steady),
    '',
    ...runs(input.steady),
    '',
    ...recovery(input.recovery),
    '',
  ].join('\n');
}
