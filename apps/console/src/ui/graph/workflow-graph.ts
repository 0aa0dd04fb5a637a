/** The parts of a workflow definition the graph needs (the gateway returns the definition as JSON). */
export interface DefinitionLike {
  name?: string;
  version?: number;
  steps?: readonly StepLike[];
}

export interface StepLike {
  id: string;
  type: string;
  handler?: string;
  needs?: readonly string[];
  branches?: readonly { name: string; steps: readonly string[] }[];
  default?: readonly string[];
  task?: { handler?: string };
}

export interface GraphNode {
  id: string;
  type: string;
  handler?: string;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** The switch branch this edge is taken on. */
  branch?: string;
}

export interface WorkflowGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** Steps and the edges between them: each step's `needs`, and a switch to the steps of its branches. */
export function workflowGraph(definition: DefinitionLike): WorkflowGraph {
  const steps = definition.steps ?? [];
  const branchOf = new Map<string, { switchId: string; branch: string }>();
  for (const step of steps) {
    if (step.type !== 'switch') continue;
    for (const branch of step.branches ?? [])
      for (const target of branch.steps) branchOf.set(target, { switchId: step.id, branch: branch.name });
    for (const target of step.default ?? []) branchOf.set(target, { switchId: step.id, branch: 'default' });
  }
  const known = new Set(steps.map((step) => step.id));
  const nodes = steps.map((step) => {
    const handler = step.handler ?? step.task?.handler;
    return { id: step.id, type: step.type, ...(handler ? { handler } : {}) };
  });
  const edges: GraphEdge[] = [];
  for (const step of steps) {
    const needs = new Set(step.needs ?? []);
    const membership = branchOf.get(step.id);
    if (membership) needs.add(membership.switchId);
    for (const from of needs) {
      if (!known.has(from)) continue;
      edges.push({
        from,
        to: step.id,
        ...(membership?.switchId === from ? { branch: membership.branch } : {}),
      });
    }
  }
  return { nodes, edges };
}
