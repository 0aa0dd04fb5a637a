import { type WorkflowDefinition } from '@spark/contracts';
import { formatGraph, graphToDot, workflowGraph } from './graph';
import { lineOf, pathSegments } from './locate';

describe('locating a JSON path in the file', () => {
  const yaml = [
    'name: x',
    'version: 1',
    'steps:',
    '  - id: a',
    '    type: task',
    '  - id: b',
    '    retry:',
    '      maxAttempts: many',
    '',
  ].join('\n');

  it('splits paths into keys and indexes', () => {
    expect(pathSegments('$.steps[1].retry.maxAttempts')).toEqual(['steps', 1, 'retry', 'maxAttempts']);
    expect(pathSegments('$')).toEqual([]);
  });

  it('finds the line of a key, and of the closest ancestor of a missing one', () => {
    expect(lineOf(yaml, '$.steps[1].retry.maxAttempts')).toBe(8);
    expect(lineOf(yaml, '$.steps[1].handler')).toBe(6);
    expect(lineOf(yaml, '$.version')).toBe(2);
  });

  it('works on JSON text too', () => {
    const json = JSON.stringify({ name: 'x', steps: [{ id: 'a' }, { id: 'b', handler: 3 }] }, null, 2);
    expect(lineOf(json, '$.steps[1].handler')).toBe(
      json.split('\n').findIndex((line) => line.includes('"handler"')) + 1,
    );
  });
});

describe('the workflow graph', () => {
  const definition = {
    name: 'w',
    version: 3,
    steps: [
      { id: 'price', type: 'task', handler: 'transform' },
      { id: 'charge', type: 'task', handler: 'http', needs: ['price'] },
      { id: 'reserve', type: 'task', handler: 'http', needs: ['price'] },
      {
        id: 'route',
        type: 'switch',
        needs: ['charge', 'reserve'],
        branches: [{ name: 'big', when: 'true', steps: ['ship'] }],
      },
      { id: 'ship', type: 'task', handler: 'noop' },
    ],
  } as unknown as WorkflowDefinition;

  it('puts steps in stages by what they need, switch branches included', () => {
    const graph = workflowGraph(definition);
    expect(graph.nodes.map((node) => [node.id, node.stage])).toEqual([
      ['price', 1],
      ['charge', 2],
      ['reserve', 2],
      ['route', 3],
      ['ship', 4],
    ]);
    expect(graph.edges).toContainEqual({ from: 'route', to: 'ship', branch: 'big' });
    const text = formatGraph(graph);
    expect(text).toContain('stage 2 (2 in parallel)');
    expect(text).toContain('└─ ship (task:noop)  ← route  [branch route:big]');
    expect(graphToDot(graph)).toContain('"route" -> "ship" [label="big"];');
  });
});
