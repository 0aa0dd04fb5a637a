import { type StepDefinition, type WorkflowDefinition } from '@spark/contracts';

export interface BranchMembership {
  switchId: string;
  branch: string;
}

/** Name of the branch a switch takes when no `when` matches. */
export const DEFAULT_BRANCH = 'default';

/** Which switch branch each branch target belongs to. */
export const branchMemberships = (definition: WorkflowDefinition): Map<string, BranchMembership> => {
  const memberships = new Map<string, BranchMembership>();
  for (const step of definition.steps) {
    if (step.type !== 'switch') continue;
    for (const branch of step.branches)
      for (const target of branch.steps) memberships.set(target, { switchId: step.id, branch: branch.name });
    for (const target of step.default ?? [])
      memberships.set(target, { switchId: step.id, branch: DEFAULT_BRANCH });
  }
  return memberships;
};

/** The steps a step waits for: its `needs`, plus the switch whose branch it belongs to. */
export const dependenciesOf = (
  step: StepDefinition,
  memberships: Map<string, BranchMembership>,
): string[] => {
  const needs = [...(step.needs ?? [])];
  const membership = memberships.get(step.id);
  if (membership && !needs.includes(membership.switchId)) needs.push(membership.switchId);
  return needs;
};

export const dependencyGraph = (definition: WorkflowDefinition): Map<string, string[]> => {
  const memberships = branchMemberships(definition);
  return new Map(definition.steps.map((step) => [step.id, dependenciesOf(step, memberships)]));
};

/** Steps no other step needs: their outputs make the default run output. */
export const leafSteps = (definition: WorkflowDefinition): string[] => {
  const needed = new Set([...dependencyGraph(definition).values()].flat());
  return definition.steps.filter((step) => !needed.has(step.id)).map((step) => step.id);
};
