import { type WorkflowDefinition } from '@spark/contracts';
import { branchMemberships, dependencyGraph } from '@spark/workflow-domain';

export interface WorkflowGraph {
  name: string;
  version: number;
  nodes: { id: string; type: string; handler?: string; stage: number; needs: string[]; branch?: string }[];
  edges: { from: string; to: string; branch?: string }[];
}

/** The DAG in stages: a step's stage is one more than the latest of the steps it needs. */
export function workflowGraph(definition: WorkflowDefinition): WorkflowGraph {
  const dependencies = dependencyGraph(definition);
  const memberships = branchMemberships(definition);
  const stages = new Map<string, number>();
  const stageOf = (id: string, seen: Set<string>): number => {
    const known = stages.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0;
    seen.add(id);
    const needs = dependencies.get(id) ?? [];
    const stage = needs.length === 0 ? 1 : 1 + Math.max(...needs.map((need) => stageOf(need, seen)));
    stages.set(id, stage);
    return stage;
  };
  const nodes = definition.steps.map((step) => {
    const membership = memberships.get(step.id);
    return {
      id: step.id,
      type: step.type,
      ...('handler' in step && step.handler ? { handler: step.handler } : {}),
      ...(step.type === 'map' ? { handler: step.task.handler } : {}),
      stage: stageOf(step.id, new Set()),
      needs: dependencies.get(step.id) ?? [],
      ...(membership ? { branch: `${membership.switchId}:${membership.branch}` } : {}),
    };
  });
  const edges = nodes.flatMap((node) =>
    node.needs.map((from) => {
      const membership = memberships.get(node.id);
      return { from, to: node.id, ...(membership?.switchId === from ? { branch: membership.branch } : {}) };
    }),
  );
  return { name: definition.name, version: definition.version, nodes, edges };
}

/** Stage by stage, steps of one stage run in parallel. */
export function formatGraph(graph: WorkflowGraph): string {
  const lines = [`${graph.name} v${graph.version}`];
  const last = Math.max(0, ...graph.nodes.map((node) => node.stage));
  for (let stage = 1; stage <= last; stage++) {
    const nodes = graph.nodes.filter((node) => node.stage === stage);
    if (nodes.length === 0) continue;
    lines.push(`stage ${stage}${nodes.length > 1 ? ` (${nodes.length} in parallel)` : ''}`);
    nodes.forEach((node, index) => {
      const kind = node.handler ? `${node.type}:${node.handler}` : node.type;
      const needs = node.needs.length ? `  ← ${node.needs.join(', ')}` : '';
      const branch = node.branch ? `  [branch ${node.branch}]` : '';
      lines.push(`  ${index === nodes.length - 1 ? '└─' : '├─'} ${node.id} (${kind})${needs}${branch}`);
    });
  }
  return lines.join('\n');
}

/** Graphviz, for `spark workflows graph NAME --dot | dot -Tsvg`. */
export function graphToDot(graph: WorkflowGraph): string {
  const quote = (value: string) => JSON.stringify(value);
  return [
    `digraph ${quote(`${graph.name} v${graph.version}`)} {`,
    '  rankdir=LR;',
    ...graph.nodes.map(
      (node) => `  ${quote(node.id)} [label=${quote(`${node.id}\n${node.handler ?? node.type}`)}];`,
    ),
    ...graph.edges.map(
      (edge) =>
        `  ${quote(edge.from)} -> ${quote(edge.to)}${edge.branch ? ` [label=${quote(edge.branch)}]` : ''};`,
    ),
    '}',
  ].join('\n');
}
