import { type StepDefinition } from '@spark/contracts';

import { isTruthy } from '../../expressions';
import { awaitsConcurrencySlot } from '../concurrency-gate';
import { awaitsStartControl } from '../start-gate';
import { indexOf } from '../definition-index';
import { requestChild } from './child-runs';
import { failRun, failStep } from './compensation';
import { type Decision, nextAttempt } from './decision';
import { dispatchTask } from './dispatch';
import { evaluate } from './expressions';
import { expandMap, topUpMap } from './map';
import { chooseBranch } from './switch';
import { startSignal, startWait } from './wait-signal';

/** Progress: everything that becomes possible after a change, until nothing more is. */
export const advance = async (d: Decision): Promise<void> => {
  if (awaitsStartControl(d.run) || awaitsConcurrencySlot(d.run)) return;
  const { dependencies } = indexOf(d.definition);
  let progressed = true;
  while (progressed && d.run.status === 'running') {
    progressed = false;
    for (const step of d.definition.steps) {
      if (d.run.status !== 'running') return;
      const runtime = d.run.steps[step.id]!;
      if (runtime.status === 'active' && step.type === 'map') {
        if (await topUpMap(d, step)) progressed = true;
        continue;
      }
      if (runtime.status !== 'pending') continue;
      const needed = (dependencies.get(step.id) ?? []).map((id) => d.run.steps[id]?.status);
      if (needed.some((status) => status !== 'succeeded' && status !== 'skipped')) continue;
      progressed = true;
      if ((step.join ?? 'allSucceeded') === 'allSucceeded' && needed.includes('skipped')) {
        d.emit({ type: 'StepSkipped', data: { stepId: step.id, reason: 'needs-skipped' } });
        continue;
      }
      if (step.if !== undefined) {
        const condition = await evaluate(d, step.if, `steps.${step.id}.if`);
        if (!condition.ok) return failStep(d, step.id, condition.error);
        if (!isTruthy(condition.value)) {
          d.emit({ type: 'StepSkipped', data: { stepId: step.id, reason: 'condition-false' } });
          continue;
        }
      }
      await startStep(d, step);
    }
  }
  if (
    d.run.status === 'running' &&
    Object.values(d.run.steps).every((step) => step.status === 'succeeded' || step.status === 'skipped')
  ) {
    await completeRun(d);
  }
};

const startStep = async (d: Decision, step: StepDefinition): Promise<void> => {
  switch (step.type) {
    case 'task':
      return dispatchTask(d, { taskId: step.id, stepId: step.id, purpose: 'step' }, step, step);
    case 'map':
      return expandMap(d, step);
    case 'switch':
      return chooseBranch(d, step);
    case 'wait':
      return startWait(d, step);
    case 'signal':
      return startSignal(d, step);
    case 'subworkflow':
      return requestChild(d, step, nextAttempt(d.run, step.id));
    default: {
      const _exhaustive: never = step;
      return _exhaustive;
    }
  }
};

const completeRun = async (d: Decision): Promise<void> => {
  const { leaves } = indexOf(d.definition);
  let output: unknown;
  if (d.definition.output !== undefined) {
    const result = await evaluate(d, d.definition.output, 'output');
    if (!result.ok) return failRun(d, result.error);
    output = result.value ?? null;
  } else {
    output = Object.fromEntries(
      leaves
        .filter((id) => d.run.steps[id]?.status === 'succeeded')
        .map((id) => [id, d.run.steps[id]?.output ?? null]),
    );
  }
  d.emit({ type: 'RunCompleted', data: { output, completedAt: d.now } });
};
