import { stepOf } from '../definition-index';
import { type RunError } from '../run-error';
import { isOut, type TaskRuntime } from '../state';
import { compensationTaskId } from '../task-ids';
import { cancelInFlight, cancelStep } from './cancel';
import { type Decision } from './decision';
import { dispatchTask } from './dispatch';

/** `endedTaskId`: the task whose attempt just failed; other tasks of the step (map items) are still out and get cancelled. */
export const failStep = async (
  d: Decision,
  stepId: string,
  error: RunError,
  endedTaskId?: string,
): Promise<void> => {
  const others = (task: TaskRuntime) =>
    task.stepId === stepId && task.purpose === 'step' && task.taskId !== endedTaskId && isOut(task);
  if (Object.values(d.run.tasks).some(others)) cancelStep(d, stepId, 'step-failed', endedTaskId);
  d.emit({ type: 'StepFailed', data: { stepId, error, at: d.now } });
  await failRun(d, error, stepId);
};

/** The run fails: what is in flight is cancelled, then the succeeded steps with a compensation are undone (saga). */
export const failRun = async (d: Decision, error: RunError, failedStep?: string): Promise<void> => {
  cancelInFlight(d, 'run-failed');
  const toCompensate = [...d.run.succeededOrder]
    .reverse()
    .filter((stepId) => stepOf(d.definition, stepId).compensate !== undefined);
  if (toCompensate.length === 0) {
    d.emit({
      type: 'RunFailed',
      data: {
        error,
        ...(failedStep === undefined ? {} : { failedStep }),
        compensated: [],
        compensationFailures: [],
        failedAt: d.now,
      },
    });
    return;
  }
  d.emit({
    type: 'RunCompensating',
    data: { error, ...(failedStep === undefined ? {} : { failedStep }), steps: toCompensate, at: d.now },
  });
  await continueCompensation(d);
};

/** Compensations run one at a time, most recently succeeded step first; a failed one does not stop the rest. */
export const continueCompensation = async (d: Decision): Promise<void> => {
  const compensation = d.run.compensation;
  if (!compensation || d.run.status !== 'compensating') return;
  const stepId = compensation.pending[0];
  if (stepId === undefined) {
    d.emit({
      type: 'RunFailed',
      data: {
        error: compensation.error,
        ...(compensation.failedStep === undefined ? {} : { failedStep: compensation.failedStep }),
        compensated: compensation.compensated,
        compensationFailures: compensation.failed,
        failedAt: d.now,
      },
    });
    return;
  }
  const step = stepOf(d.definition, stepId);
  await dispatchTask(
    d,
    { taskId: compensationTaskId(stepId), stepId, purpose: 'compensation' },
    step.compensate!,
    step.compensate!,
  );
};
