import { IllegalStateError } from '../../errors';
import { type CancelRun } from '../commands';
import { type RunEvent } from '../events';
import { isFinal, isOut, type RunState } from '../state';
import { taskIdempotencyKey } from '../task-ids';
import { Decision, requireStarted } from './decision';

/** Cancels every active step (and compensation) of the run: executors get the keys, children a cancellation. */
export const cancelInFlight = (d: Decision, reason: string, except?: string): void => {
  const stepIds = new Set<string>();
  for (const [stepId, step] of Object.entries(d.run.steps))
    if (step.status === 'active' && stepId !== except) stepIds.add(stepId);
  for (const task of Object.values(d.run.tasks)) if (task.stepId !== except) stepIds.add(task.stepId);
  for (const step of d.definition.steps) {
    if (!stepIds.has(step.id)) continue;
    cancelStep(d, step.id, reason);
  }
};

export const cancelStep = (d: Decision, stepId: string, reason: string, endedTaskId?: string): void => {
  const tasks = Object.values(d.run.tasks).filter(
    (task) => task.stepId === stepId && isOut(task) && task.taskId !== endedTaskId,
  );
  for (const task of tasks) {
    if (task.dispatch.kind === 'child')
      d.emit({
        type: 'ChildRunCancellationRequested',
        data: { childRunId: task.dispatch.child.childRunId, stepId },
      });
  }
  const executorTasks = tasks
    .filter((task) => task.dispatch.kind === 'task')
    .map((task) => ({
      taskId: task.taskId,
      attempt: task.attempt,
      idempotencyKey: taskIdempotencyKey(d.run.runId, task.taskId, task.attempt),
    }));
  d.emit({ type: 'StepCancelled', data: { stepId, reason, tasks: executorTasks, at: d.now } });
};

export const terminate = async (
  d: Decision,
  outcome: 'cancelled' | 'timedOut',
  reason: string,
): Promise<void> => {
  cancelInFlight(d, outcome === 'cancelled' ? 'run-cancelled' : 'run-timed-out');
  if (outcome === 'cancelled') d.emit({ type: 'RunCancelled', data: { reason, cancelledAt: d.now } });
  else d.emit({ type: 'RunTimedOut', data: { timedOutAt: d.now } });
};

export const cancelRun = async (command: CancelRun, state: RunState): Promise<RunEvent[]> => {
  const run = requireStarted(state);
  if (run.status === 'cancelled') return [];
  if (isFinal(run)) throw new IllegalStateError(`run ${run.runId} is already ${run.status}`, 'RUN_FINISHED');
  const d = new Decision(run, command.metadata.now);
  await terminate(d, 'cancelled', command.data.reason ?? 'cancelled');
  return d.events;
};
