import { type SubworkflowStepDefinition } from '@spark/contracts';

import { type RecordChildRunFinished } from '../commands';
import { RUN_ERROR_CODES } from '../run-error';
import { isOut } from '../state';
import { taskIdempotencyKey } from '../task-ids';
import { failStep } from './compensation';
import { type Decision } from './decision';
import { taskTimer, timeoutsOf } from './dispatch';
import { evaluateTemplateIn } from './expressions';
import { attemptFailed } from './retries';
import { unitSucceeded } from './task-results';

/** A subworkflow step's attempt is a child run, with an id derived from the parent's and the attempt. */
export const requestChild = async (
  d: Decision,
  step: SubworkflowStepDefinition,
  attemptNumber: number,
  knownInput?: { value: unknown },
): Promise<void> => {
  const input = knownInput
    ? ({ ok: true, value: knownInput.value } as const)
    : await evaluateTemplateIn(d, step.input ?? d.run.input, `steps.${step.id}.input`);
  if (!input.ok) return failStep(d, step.id, input.error);
  const child = {
    taskId: step.id,
    stepId: step.id,
    attempt: attemptNumber,
    childRunId: taskIdempotencyKey(d.run.runId, step.id, attemptNumber),
    workflow: step.workflow,
    input: input.value,
    parentRunId: d.run.runId,
    requestedAt: d.now,
  };
  d.emit({ type: 'ChildRunRequested', data: child });
  const { startToCloseMs } = timeoutsOf(d, { stepId: step.id, purpose: 'step' });
  if (startToCloseMs !== undefined) d.emit(taskTimer(d, child, 'startToClose', startToCloseMs));
};

export const childRunFinished = async (d: Decision, command: RecordChildRunFinished): Promise<void> => {
  const task = Object.values(d.run.tasks).find(
    (candidate) =>
      candidate.dispatch.kind === 'child' &&
      candidate.dispatch.child.childRunId === command.data.childRunId &&
      isOut(candidate),
  );
  if (!task) return;
  const { outcome, output, error } = command.data;
  if (outcome === 'completed') {
    d.emit({
      type: 'StepAttemptSucceeded',
      data: { taskId: task.taskId, attempt: task.attempt, output: output ?? null, at: d.now },
    });
    return unitSucceeded(d, task, output ?? null);
  }
  const code =
    outcome === 'cancelled'
      ? RUN_ERROR_CODES.childRunCancelled
      : outcome === 'timedOut'
        ? RUN_ERROR_CODES.childRunTimedOut
        : RUN_ERROR_CODES.childRunFailed;
  const failure = error ?? { code, message: `child run ${command.data.childRunId} ${outcome}` };
  const retryable = outcome !== 'cancelled';
  d.emit({
    type: 'StepAttemptFailed',
    data: { taskId: task.taskId, attempt: task.attempt, error: failure, retryable, at: d.now },
  });
  await attemptFailed(d, task, failure, retryable);
};
