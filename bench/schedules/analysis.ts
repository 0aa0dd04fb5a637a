import { type Fire, type RunTimes } from './observe';
import { distribution, type Distribution } from './stats';

/** ScheduleFired events beyond the first for the same schedule and nominal time (must be 0). */
export function duplicateFires(fires: readonly Fire[]): number {
  const seen = new Set(fires.map((fire) => `${fire.scheduleId}|${fire.nominalMs}`));
  return fires.length - seen.size;
}

export function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

export interface RunFigures {
  /** RunStarted.recordedAt − nominal time. */
  nominalToStart: Distribution;
  /** RunStarted.recordedAt − ScheduleFired.firedAt (relay → Kafka → scheduler → append). */
  firedToStart: Distribution;
  /** Final event recordedAt − nominal time. */
  nominalToEnd: Distribution;
  /** Runs with more than one RunStarted (must be 0). */
  duplicateRuns: number;
  /** Fires whose run has no final event when the wait for them ended. */
  unfinished: number;
  /** Runs that ended other than RunCompleted. */
  notCompleted: number;
}

export function runFigures(fires: readonly Fire[], runs: ReadonlyMap<string, RunTimes>): RunFigures {
  const nominalToStart: number[] = [];
  const firedToStart: number[] = [];
  const nominalToEnd: number[] = [];
  let duplicateRuns = 0;
  let unfinished = 0;
  let notCompleted = 0;
  for (const fire of fires) {
    const run = runs.get(fire.idempotencyKey);
    if (run?.startedAtMs !== undefined) {
      nominalToStart.push(run.startedAtMs - fire.nominalMs);
      firedToStart.push(run.startedAtMs - fire.firedAtMs);
    }
    if (run?.finishedAtMs === undefined) unfinished++;
    else {
      nominalToEnd.push(run.finishedAtMs - fire.nominalMs);
      if (run.outcome !== 'RunCompleted') notCompleted++;
    }
    if ((run?.runStartedCount ?? 0) > 1) duplicateRuns++;
  }
  return {
    nominalToStart: distribution(nominalToStart),
    firedToStart: distribution(firedToStart),
    nominalToEnd: distribution(nominalToEnd),
    duplicateRuns,
    unfinished,
    notCompleted,
  };
}
