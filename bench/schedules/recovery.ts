import { type EngineHarness } from '@spark/testing';
import { countBy, duplicateFires, runFigures, type RunFigures } from './analysis';
import { ScheduleFleet } from './fleet';
import { type Fire, type StoreObserver } from './observe';
import { distribution, sleep, type Distribution } from './stats';

const OUTAGE_MS = 5000;

export interface RecoveryResult {
  schedules: number;
  /** Last schedule created → every schedule had fired at least once (before the 5 s of steady firing). */
  allFiringMs: number;
  /** kill -9 sent → scheduler started again (the outage, measured). */
  outageMs: number;
  /** Process spawned → ready (health check answered). */
  startupMs: number;
  /** Nominal times that were due by the time the new scheduler was ready and had not fired before the kill. */
  owedFires: number;
  /** Of those, how many fired (distinct schedule and nominal time). */
  owedFired: number;
  owedTriggers: Record<string, number>;
  /** Per schedule: spawn → the schedule's last owed fire (firedAt). */
  caughtUpAfterSpawn: Distribution;
  /** Spawn → the first owed fire of any schedule. */
  firstFireAfterSpawnMs: number;
  /** firedAt − nominal time of the owed fires. */
  owedLateness: Distribution;
  /** Over the whole phase: must all be 0. */
  duplicateFires: number;
  /** Seconds with no fire between a schedule's first and last fire. */
  gaps: number;
  missedEvents: number;
  skippedEvents: number;
  runs: RunFigures;
}

/** Seconds between each schedule's first and last nominal time that did not fire. */
function gaps(fires: readonly Fire[]): number {
  const nominals = new Map<string, Set<number>>();
  for (const fire of fires)
    nominals.set(fire.scheduleId, (nominals.get(fire.scheduleId) ?? new Set()).add(fire.nominalMs));
  let missing = 0;
  for (const times of nominals.values()) {
    const sorted = [...times].sort((a, b) => a - b);
    missing += (sorted.at(-1)! - sorted[0]!) / 1000 + 1 - sorted.length;
  }
  return missing;
}

/**
 * N schedules firing every second; the scheduler is killed (SIGKILL) after ≥ 5 s of steady firing, stays
 * down 5 s and is started again. Ends once every schedule has fired a calendar second after it was ready.
 */
export async function measureRecovery(
  engine: EngineHarness,
  observer: StoreObserver,
  workflow: string,
  schedules: number,
): Promise<RecoveryResult> {
  const fleet = await ScheduleFleet.create(engine.store, workflow, `recovery${schedules}`, schedules);
  const createdAt = Date.now();
  while ((await observer.schedulesFiredSince(fleet.ids, 0)) < schedules && Date.now() - createdAt < 60_000)
    await sleep(200);
  const allFiringMs = Date.now() - createdAt;
  await sleep(5000);

  const killAt = Date.now();
  await engine.kill('scheduler');
  await sleep(killAt + OUTAGE_MS - Date.now());
  const spawnAt = Date.now();
  await engine.startService('scheduler');
  const readyAt = Date.now();

  const backOnCalendar = Math.ceil(readyAt / 1000) * 1000 + 1000;
  while (
    (await observer.schedulesFiredSince(fleet.ids, backOnCalendar)) < schedules &&
    Date.now() - readyAt < 60_000
  )
    await sleep(200);
  await fleet.pauseAll();

  const history = await observer.history(fleet.ids);
  const lastBeforeKill = new Map<string, number>();
  for (const fire of history.fires)
    if (fire.firedAtMs < killAt)
      lastBeforeKill.set(fire.scheduleId, Math.max(fire.nominalMs, lastBeforeKill.get(fire.scheduleId) ?? 0));
  let owedFires = 0;
  for (const scheduleId of fleet.ids) {
    const last = lastBeforeKill.get(scheduleId);
    // A schedule that never fired before the kill owes every second from its creation on.
    owedFires += Math.floor((readyAt - (last ?? Math.floor(createdAt / 1000) * 1000)) / 1000);
  }
  const owed = history.fires.filter(
    (fire) => fire.nominalMs > (lastBeforeKill.get(fire.scheduleId) ?? 0) && fire.nominalMs <= readyAt,
  );
  const caughtUp = new Map<string, number>();
  for (const fire of owed)
    caughtUp.set(fire.scheduleId, Math.max(fire.firedAtMs, caughtUp.get(fire.scheduleId) ?? 0));

  await observer.waitForRuns(history.fires, 60_000 + 15 * history.fires.length);
  const runs = await observer.runs(owed);

  return {
    schedules,
    allFiringMs,
    outageMs: spawnAt - killAt,
    startupMs: readyAt - spawnAt,
    owedFires,
    owedFired: new Set(owed.map((fire) => `${fire.scheduleId}|${fire.nominalMs}`)).size,
    owedTriggers: countBy(owed, (fire) => fire.trigger),
    caughtUpAfterSpawn: distribution([...caughtUp.values()].map((at) => at - spawnAt)),
    firstFireAfterSpawnMs: Math.min(...owed.map((fire) => fire.firedAtMs)) - spawnAt,
    owedLateness: distribution(owed.map((fire) => fire.firedAtMs - fire.nominalMs)),
    duplicateFires: duplicateFires(history.fires),
    gaps: gaps(history.fires),
    missedEvents: history.missed,
    skippedEvents: history.skipped,
    runs: runFigures(owed, runs),
  };
}
