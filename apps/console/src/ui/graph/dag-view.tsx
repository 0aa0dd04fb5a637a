import { useMemo } from 'react';
import { layoutGraph } from './layout';
import { type WorkflowGraph } from './workflow-graph';

export interface NodeState {
  /** A step status (PENDING, ACTIVE, SUCCEEDED, ...); colours the node. */
  status: string;
  /** A second line, e.g. "12/500 items". */
  detail?: string;
}

interface DagViewProps {
  graph: WorkflowGraph;
  states?: ReadonlyMap<string, NodeState>;
  selected?: string | undefined;
  onSelect?: (stepId: string) => void;
  label: string;
}

/** The workflow's DAG as SVG, each step a focusable node coloured by its status. */
export function DagView({ graph, states, selected, onSelect, label }: DagViewProps) {
  const layout = useMemo(() => layoutGraph(graph), [graph]);
  const types = new Map(graph.nodes.map((node) => [node.id, node]));
  return (
    <div className="dag" role="group" aria-label={label}>
      <svg width={layout.width} height={layout.height} viewBox={`0 0 ${layout.width} ${layout.height}`}>
        <defs>
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" className="dag-arrow" />
          </marker>
        </defs>
        {layout.edges.map((edge) => (
          <g key={`${edge.from}->${edge.to}`}>
            <polyline
              className="dag-edge"
              markerEnd="url(#arrow)"
              points={edge.points.map((point) => `${point.x},${point.y}`).join(' ')}
            />
            {edge.branch && edge.points.length > 1 ? (
              <text className="dag-branch" x={edge.points[1]!.x} y={edge.points[1]!.y - 4}>
                {edge.branch}
              </text>
            ) : null}
          </g>
        ))}
        {layout.nodes.map((node) => {
          const state = states?.get(node.id);
          const info = types.get(node.id);
          const status = state?.status ?? 'NONE';
          return (
            <g
              key={node.id}
              className={`dag-node status-${status.toLowerCase()}${selected === node.id ? ' selected' : ''}`}
              transform={`translate(${node.x - node.width / 2},${node.y - node.height / 2})`}
              tabIndex={0}
              role="button"
              aria-label={`step ${node.id}: ${status.toLowerCase()}`}
              data-step={node.id}
              data-status={status}
              onClick={() => onSelect?.(node.id)}
              onKeyDown={(event) => {
                if (event.key === 'Enter' || event.key === ' ') {
                  event.preventDefault();
                  onSelect?.(node.id);
                }
              }}
            >
              <rect width={node.width} height={node.height} rx={8} />
              <text x={10} y={20} className="dag-title">
                {node.id}
              </text>
              <text x={10} y={38} className="dag-sub">
                {[info?.handler ?? info?.type, state?.detail, state ? status.toLowerCase() : undefined]
                  .filter(Boolean)
                  .join(' · ')}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
