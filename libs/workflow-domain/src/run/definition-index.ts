import { type StepDefinition, type WorkflowDefinition } from '@spark/contracts';

import { type BranchMembership, branchMemberships, dependenciesOf, leafSteps } from '../definition/graph';

export interface DefinitionIndex {
  byId: Map<string, StepDefinition>;
  dependencies: Map<string, string[]>;
  memberships: Map<string, BranchMembership>;
  leaves: string[];
}

// A run's definition object is shared by every state derived from its RunStarted event, so it keys a cache well.
const cache = new WeakMap<WorkflowDefinition, DefinitionIndex>();

export const indexOf = (definition: WorkflowDefinition): DefinitionIndex => {
  let index = cache.get(definition);
  if (!index) {
    const memberships = branchMemberships(definition);
    index = {
      byId: new Map(definition.steps.map((step) => [step.id, step])),
      dependencies: new Map(definition.steps.map((step) => [step.id, dependenciesOf(step, memberships)])),
      memberships,
      leaves: leafSteps(definition),
    };
    cache.set(definition, index);
  }
  return index;
};

export const stepOf = (definition: WorkflowDefinition, stepId: string): StepDefinition => {
  const step = indexOf(definition).byId.get(stepId);
  if (!step)
    throw new Error(`step "${stepId}" is not in workflow "${definition.name}" v${definition.version}`);
  return step;
};
