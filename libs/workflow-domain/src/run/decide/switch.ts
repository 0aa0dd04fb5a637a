import { type SwitchStepDefinition } from '@spark/contracts';

import { DEFAULT_BRANCH } from '../../definition';
import { isTruthy } from '../../expressions';
import { failStep } from './compensation';
import { type Decision, succeeded } from './decision';
import { evaluate } from './expressions';

/** The first branch whose `when` holds is taken (else the default); the steps of the others are skipped. */
export const chooseBranch = async (d: Decision, step: SwitchStepDefinition): Promise<void> => {
  let chosen = DEFAULT_BRANCH;
  for (const branch of step.branches) {
    const result = await evaluate(d, branch.when, `steps.${step.id}.branches.${branch.name}.when`);
    if (!result.ok) return failStep(d, step.id, result.error);
    if (isTruthy(result.value)) {
      chosen = branch.name;
      break;
    }
  }
  const taken =
    chosen === DEFAULT_BRANCH
      ? (step.default ?? [])
      : (step.branches.find((b) => b.name === chosen)?.steps ?? []);
  const untaken = [...step.branches.flatMap((b) => b.steps), ...(step.default ?? [])].filter(
    (id) => !taken.includes(id),
  );
  d.emit(succeeded(d, step.id, { branch: chosen }));
  for (const stepId of untaken) {
    if (d.run.steps[stepId]?.status === 'pending')
      d.emit({ type: 'StepSkipped', data: { stepId, reason: 'branch-not-taken' } });
  }
};
