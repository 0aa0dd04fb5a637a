import type { StoredTimer } from './timer-store';

/**
 * The timer changes of one relay batch, in event order, reduced to what they come to: the last word
 * on each timer wins, and a run's removal drops what came before it. `TimerStore.apply` writes them
 * with at most three statements, however many events the batch had.
 */
export class TimerWrites {
  /** Runs whose timers are all removed (before the upserts that came after the removal). */
  readonly removedRuns = new Set<string>();
  private readonly last = new Map<
    string,
    { upsert: StoredTimer } | { remove: { runId: string; timerId: string } }
  >();

  upsert(timer: StoredTimer): void {
    this.last.set(keyOf(timer.runId, timer.timerId), { upsert: timer });
  }

  remove(runId: string, timerId: string): void {
    this.last.set(keyOf(runId, timerId), { remove: { runId, timerId } });
  }

  removeRun(runId: string): void {
    this.removedRuns.add(runId);
    for (const [key, change] of this.last)
      if (('upsert' in change ? change.upsert.runId : change.remove.runId) === runId) this.last.delete(key);
  }

  get upserts(): StoredTimer[] {
    return [...this.last.values()].flatMap((change) => ('upsert' in change ? [change.upsert] : []));
  }

  get removals(): { runId: string; timerId: string }[] {
    return [...this.last.values()].flatMap((change) => ('remove' in change ? [change.remove] : []));
  }

  get empty(): boolean {
    return this.last.size === 0 && this.removedRuns.size === 0;
  }
}

function keyOf(runId: string, timerId: string): string {
  return `${runId}\u0000${timerId}`;
}
