import { performance } from 'node:perf_hooks';
import { type EngineHarness } from '@spark/testing';
import { countBy, duplicateFires, runFigures, type RunFigures } from './analysis';
import { ScheduleFleet } from './fleet';
import { type StoreObserver } from './observe';
import { distribution, sleep, type Distribution } from './stats';

export interface SteadyResult {
  schedules: number;
  seconds: number;
  /** Nominal times in the window: schedules × seconds. */
  expectedFires: number;
  /** Distinct (schedule, nominal time) in the window that fired before the pause. */
  fired: number;
  /** Fires decided inside the window (by firedAt), per second. */
  firesPerSecond: number;
  /** Over the whole phase (warm-up, window, wait for the last fire): must all be 0. */
  duplicateFires: number;
  skippedEvents: number;
  missedEvents: number;
  bufferedEvents: number;
  /** Triggers of the window's fires; `catch-up` means a timer went off more than a second late. */
  triggers: Record<string, number>;
  /** firedAt − nominal time, window fires. */
  lateness: Distribution;
  latenessFirstQuarter: Distribution;
  latenessLastQuarter: Distribution;
  /** From the window's end until every schedule had fired its last nominal time in it. */
  lastFireWaitMs: number;
  runs: RunFigures;
  /** From the pause until the last run of the phase finished (or the wait gave up). */
  drainMs: number;
  /** After the drain, until the scheduler's relay had passed every event of the phase (or gave up at 120 s). */
  relaySettleMs: number;
  relaySettled: boolean;
  extraPauseAttempts: number;
}

/**
 * N schedules firing every second. The window is `seconds` whole seconds starting ≥ 2 s after the last
 * schedule was created; the fleet is paused once every schedule has fired the window's last second.
 */
export async function measureSteady(
  engine: EngineHarness,
  observer: StoreObserver,
  workflow: string,
  schedules: number,
  seconds: number,
): Promise<SteadyResult> {
  const fleet = await ScheduleFleet.create(engine.store, workflow, `steady${schedules}`, schedules);
  const windowStart = Math.ceil((Date.now() + 2000) / 1000) * 1000;
  const windowEnd = windowStart + seconds * 1000;
  await sleep(windowEnd - Date.now());
  const waitStarted = performance.now();
  while (
    (await observer.schedulesFiredSince(fleet.ids, windowEnd - 1000)) < schedules &&
    performance.now() - waitStarted < 30_000
  )
    await sleep(200);
  const lastFireWaitMs = performance.now() - waitStarted;
  const extraPauseAttempts = await fleet.pauseAll();
  const pausedAt = performance.now();

  const history = await observer.history(fleet.ids);
  const inWindow = history.fires.filter(
    (fire) => fire.nominalMs >= windowStart && fire.nominalMs < windowEnd,
  );
  const lateness = (from: number, to: number) =>
    distribution(
      inWindow
        .filter((fire) => fire.nominalMs >= from && fire.nominalMs < to)
        .map((fire) => fire.firedAtMs - fire.nominalMs),
    );
  const quarter = Math.max(1000, Math.floor(seconds / 4) * 1000);

  await observer.waitForRuns(history.fires, 60_000 + 15 * history.fires.length);
  const drainMs = performance.now() - pausedAt;
  const relaySettled = await observer.waitForRelay(120_000);
  const relaySettleMs = performance.now() - pausedAt - drainMs;
  const runs = await observer.runs(inWindow);

  return {
    schedules,
    seconds,
    expectedFires: schedules * seconds,
    fired: new Set(inWindow.map((fire) => `${fire.scheduleId}|${fire.nominalMs}`)).size,
    firesPerSecond:
      history.fires.filter((fire) => fire.firedAtMs >= windowStart && fire.firedAtMs < windowEnd).length /
      seconds,
    duplicateFires: duplicateFires(history.fires),
    skippedEvents: history.skipped,
    missedEvents: history.missed,
    bufferedEvents: history.buffered,
    triggers: countBy(inWindow, (fire) => fire.trigger),
    lateness: lateness(windowStart, windowEnd),
    latenessFirstQuarter: lateness(windowStart, windowStart + quarter),
    latenessLastQuarter: lateness(windowEnd - quarter, windowEnd),
    lastFireWaitMs,
    runs: runFigures(inWindow, runs),
    drainMs,
    relaySettleMs,
    relaySettled,
    extraPauseAttempts,
  };
}
