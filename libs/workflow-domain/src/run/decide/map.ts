import { type MapStepDefinition } from '@spark/contracts';

import { mapItemTaskId } from '../task-ids';
import { failStep } from './compensation';
import { type Decision, succeeded } from './decision';
import { dispatchTask } from './dispatch';
import { evaluate } from './expressions';

export const expandMap = async (d: Decision, step: MapStepDefinition): Promise<void> => {
  const result = await evaluate(d, step.items, `steps.${step.id}.items`);
  if (!result.ok) return failStep(d, step.id, result.error);
  // JSONata sequence semantics: nothing is no items, a single value is one item.
  const items =
    result.value === undefined || result.value === null
      ? []
      : Array.isArray(result.value)
        ? result.value
        : [result.value];
  d.emit({ type: 'MapExpanded', data: { stepId: step.id, items } });
  if (items.length === 0) return d.emit(succeeded(d, step.id, []));
  await topUpMap(d, step);
};

/** Dispatches items until `concurrency` are in flight (an item waiting for its retry holds its slot). */
export const topUpMap = async (d: Decision, step: MapStepDefinition): Promise<boolean> => {
  let dispatched = false;
  const limit = step.concurrency ?? 10;
  for (;;) {
    const map = d.run.steps[step.id]?.map;
    if (!map || map.nextIndex >= map.items.length || d.run.status !== 'running') return dispatched;
    const inFlight = Object.values(d.run.tasks).filter(
      (task) => task.stepId === step.id && task.purpose === 'step',
    ).length;
    if (inFlight >= limit) return dispatched;
    const index = map.nextIndex;
    await dispatchTask(
      d,
      { taskId: mapItemTaskId(step.id, index), stepId: step.id, purpose: 'step', itemIndex: index },
      step.task,
      step,
      {
        item: map.items[index],
        index,
      },
    );
    dispatched = true;
  }
};

/** A map item's success completes the step once every item has. */
export const mapItemSucceeded = (d: Decision, stepId: string): void => {
  const map = d.run.steps[stepId]?.map;
  if (map && map.completed === map.items.length) d.emit(succeeded(d, stepId, map.results));
};
