import dagre from '@dagrejs/dagre';
import { type WorkflowGraph } from './workflow-graph';

export interface PlacedNode {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge {
  from: string;
  to: string;
  branch?: string;
  points: { x: number; y: number }[];
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 52;

/** Positions from dagre, left to right (a run reads like a timeline). */
export function layoutGraph(graph: WorkflowGraph): GraphLayout {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 56, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) g.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const edge of graph.edges) g.setEdge(edge.from, edge.to);
  dagre.layout(g);
  const nodes = graph.nodes.map((node) => {
    const placed = g.node(node.id);
    return { id: node.id, x: placed.x, y: placed.y, width: NODE_WIDTH, height: NODE_HEIGHT };
  });
  const edges = graph.edges.map((edge) => ({
    ...edge,
    points: ((g.edge(edge.from, edge.to)?.points ?? []) as { x: number; y: number }[]).map((point) => ({
      x: point.x,
      y: point.y,
    })),
  }));
  const label = g.graph();
  return { width: label.width ?? 0, height: label.height ?? 0, nodes, edges };
}
