import { type ChildRunRequest, type TaskDispatch, type Timer } from './events';
import { type RunState } from './state';

export interface PendingWork {
  /** Tasks dispatched but not reported started: (re)publish them; executors dedupe by idempotency key. */
  dispatches: TaskDispatch[];
  /** Child runs requested but not reported started: start them (idempotent: `childRunId` is the run id). */
  childRuns: ChildRunRequest[];
  /** Every live timer, earliest first. */
  timers: Timer[];
}

/** What a scheduler must (re)do for a run, derived from its state alone (crash recovery, partition takeover). */
export const pendingWork = (state: RunState): PendingWork => {
  if (state.status === 'notStarted') return { dispatches: [], childRuns: [], timers: [] };
  const dispatches: TaskDispatch[] = [];
  const childRuns: ChildRunRequest[] = [];
  for (const task of Object.values(state.tasks)) {
    if (task.status !== 'dispatched') continue;
    if (task.dispatch.kind === 'task') dispatches.push(task.dispatch.task);
    else childRuns.push(task.dispatch.child);
  }
  const timers = Object.values(state.timers).sort(
    (a, b) => a.fireAt.localeCompare(b.fireAt) || a.timerId.localeCompare(b.timerId),
  );
  return { dispatches, childRuns, timers };
};
