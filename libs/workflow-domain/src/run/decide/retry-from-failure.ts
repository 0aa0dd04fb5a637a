import { IllegalStateError } from '../../errors';
import { type RetryRunFromFailure } from '../commands';
import { type RunEvent } from '../events';
import { type RunState } from '../state';
import { advance } from './dag';
import { Decision, requireStarted } from './decision';
import { armRunTimeout } from './start';

/**
 * Runs a failed run again from where it failed. Succeeded steps whose effects stand keep their outputs; steps
 * that failed, were cancelled, never ran, or were compensated (their effect was undone) run again with new
 * attempt numbers. Skips for untaken switch branches stand; other skips are decided again.
 */
export const retryRunFromFailure = async (
  command: RetryRunFromFailure,
  state: RunState,
): Promise<RunEvent[]> => {
  const run = requireStarted(state);
  if (run.status !== 'failed')
    throw new IllegalStateError(
      `run ${run.runId} is ${run.status}; only a failed run can be retried`,
      'RUN_NOT_FAILED',
    );
  const resetSteps = run.definition.steps
    .map((step) => step.id)
    .filter((id) => {
      const step = run.steps[id]!;
      if (step.status === 'succeeded') return step.compensation === 'compensated';
      if (step.status === 'skipped') return step.skipReason !== 'branch-not-taken';
      return true;
    });
  const d = new Decision(run, command.metadata.now);
  const { reason } = command.data;
  d.emit({
    type: 'RunResumed',
    data: { runAttempt: run.runAttempt + 1, resetSteps, ...(reason ? { reason } : {}), resumedAt: d.now },
  });
  armRunTimeout(d);
  await advance(d);
  return d.events;
};
