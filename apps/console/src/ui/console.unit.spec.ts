import { scopeFromWriteProbe, allows } from './api/session';
import { workflowGraph } from './graph/workflow-graph';
import { fieldsOf, inputFrom } from './workflows/input-fields';
import { filtersFrom } from './runs/filters';

describe('the console, pure parts', () => {
  it('draws needs and switch branches as edges, ignoring unknown steps', () => {
    const graph = workflowGraph({
      steps: [
        { id: 'fetch', type: 'task', handler: 'http' },
        {
          id: 'route',
          type: 'switch',
          needs: ['fetch'],
          branches: [{ name: 'big', steps: ['ship'] }],
          default: ['drop'],
        },
        { id: 'ship', type: 'task', handler: 'http' },
        { id: 'drop', type: 'noop' },
        { id: 'items', type: 'map', needs: ['fetch', 'ghost'], task: { handler: 'transform' } },
      ],
    });
    expect(graph.nodes.find((node) => node.id === 'items')).toEqual({
      id: 'items',
      type: 'map',
      handler: 'transform',
    });
    expect(graph.edges).toEqual([
      { from: 'fetch', to: 'route' },
      { from: 'route', to: 'ship', branch: 'big' },
      { from: 'route', to: 'drop', branch: 'default' },
      { from: 'fetch', to: 'items' },
    ]);
  });

  it('tells the scope from the probes and ranks scopes as the gateway does', () => {
    expect(scopeFromWriteProbe(403)).toBe('read');
    expect(scopeFromWriteProbe(200)).toBe('write');
    expect(scopeFromWriteProbe(422)).toBe('write');
    expect(allows('admin', 'write')).toBe(true);
    expect(allows('read', 'write')).toBe(false);
  });

  it('makes a start form from the input schema and the input from its values', () => {
    const fields = fieldsOf({
      type: 'object',
      required: ['n'],
      properties: {
        n: { type: 'integer' },
        note: { type: 'string' },
        mode: { enum: ['a', 'b'] },
        deep: { type: 'object' },
        on: { type: 'boolean' },
      },
    });
    expect(fields.map((field) => [field.name, field.kind, field.required])).toEqual([
      ['n', 'integer', true],
      ['note', 'string', false],
      ['mode', 'enum', false],
      ['deep', 'json', false],
      ['on', 'boolean', false],
    ]);
    expect(inputFrom(fields, { n: '21', note: '', mode: 'b', deep: '{"x":[1]}' })).toEqual({
      n: 21,
      mode: 'b',
      deep: { x: [1] },
      on: false,
    });
    expect(fieldsOf({ type: 'array' })).toEqual([]);
  });

  it('reads run filters from the address and drops an unknown status', () => {
    expect(filtersFrom(new URLSearchParams('status=FAILED&workflow=%20shop%20&label=team=a&x=1'))).toEqual({
      status: 'FAILED',
      workflow: 'shop',
      label: 'team=a',
    });
    expect(filtersFrom(new URLSearchParams('status=BOGUS'))).toEqual({});
  });
});
