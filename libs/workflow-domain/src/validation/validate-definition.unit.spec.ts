import { workflowDefinitionSchema } from '@spark/contracts';

import { parseWorkflowDefinition } from '../definition';
import { ValidationError } from '../errors';
import { validateWorkflowDefinition } from './validate-definition';

const problemsOf = (definition: unknown) => {
  const result = validateWorkflowDefinition(definition);
  return result.valid ? [] : result.problems;
};

const workflow = (steps: unknown[], extra: Record<string, unknown> = {}) => ({
  name: 'orders',
  version: 1,
  steps,
  ...extra,
});
const task = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'task',
  handler: 'noop',
  ...extra,
});

describe('workflow definition validation', () => {
  it('accepts step priorities from 0 to 9 for built-in handlers and names one out of range', () => {
    expect(problemsOf(workflow([task('a', { priority: 9 }), task('b', { priority: 0 })]))).toEqual([]);
    expect(problemsOf(workflow([task('a', { priority: 10 })]))).toEqual([
      { path: '$.steps[0].priority', message: 'must be <= 9' },
    ]);
  });

  it('refuses a priority on a step whose tasks go to external workers, which keep no priority order', () => {
    expect(
      problemsOf(
        workflow([
          task('a', { handler: 'external:billing', priority: 9 }),
          task('b', { priority: 8, compensate: { handler: 'external:refunds' } }),
          task('c', { handler: 'external:billing', priority: 5 }),
        ]),
      ),
    ).toEqual([
      {
        path: '$.steps[0].priority',
        message:
          'priorities are not kept for external workers (handler "external:billing" reads its queue in dispatch order); remove "priority" or leave it at 5',
      },
      {
        path: '$.steps[1].priority',
        message:
          'priorities are not kept for external workers (handler "external:refunds" reads its queue in dispatch order); remove "priority" or leave it at 5',
      },
    ]);
  });

  it('names an unknown concurrency strategy by its path, and accepts the three known ones', () => {
    expect(
      problemsOf(
        workflow([task('a')], { concurrency: { key: 'input.k', limit: 2, strategy: 'cancelOldest' } }),
      ),
    ).toEqual([
      {
        path: '$.concurrency.strategy',
        message: 'must be one of "queue", "cancelNewest", "cancelInProgress"',
      },
    ]);
    for (const strategy of ['queue', 'cancelNewest', 'cancelInProgress'])
      expect(
        problemsOf(workflow([task('a')], { concurrency: { key: 'input.k', limit: 2, strategy } })),
      ).toEqual([]);
  });

  it('accepts debounce and throttle, and names bad settings of each by JSON path', () => {
    expect(
      problemsOf(workflow([task('a')], { debounce: { key: 'input.doc', period: '500ms', maxWait: '5s' } })),
    ).toEqual([]);
    expect(problemsOf(workflow([task('a')], { throttle: { limit: 5, period: '1s' } }))).toEqual([]);
    const problems = (extra: Record<string, unknown>) =>
      problemsOf(workflow([task('a')], extra)).map(({ path, message }) => `${path}: ${message}`);
    expect(problems({ debounce: { key: 'input.(', period: '0s', maxWait: '1s' } })).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\$\.debounce\.key: invalid JSONata expression/),
        '$.debounce.period: must be longer than zero',
      ]),
    );
    expect(problems({ debounce: { key: 'input.doc', period: '2s', maxWait: '1s' } })).toEqual([
      '$.debounce.maxWait: must be at least the period (2s)',
    ]);
    expect(problems({ throttle: { limit: 0, period: '1s' } })).toEqual(['$.throttle.limit: must be >= 1']);
    expect(problems({ throttle: { limit: 2 } })).toEqual(['$.throttle.period: is required']);
    expect(
      problems({ throttle: { limit: 2, period: '1s' }, debounce: { key: 'input.doc', period: '1s' } }),
    ).toEqual(['$.throttle: a workflow has either debounce or throttle, not both']);
  });

  it('accepts a rate limit on task and map steps, and names bad settings by JSON path', () => {
    const rateLimit = { key: "'model-x'", limit: 5, per: '1s' };
    const map = { id: 'm', type: 'map', items: 'input.docs', task: { handler: 'noop' }, rateLimit };
    expect(problemsOf(workflow([task('a', { rateLimit }), map]))).toEqual([]);
    const problems = (limit: Record<string, unknown>) =>
      problemsOf(workflow([task('a', { rateLimit: { ...rateLimit, ...limit } })])).map(
        ({ path, message }) => `${path}: ${message}`,
      );
    expect(problems({ limit: 0 })).toEqual(['$.steps[0].rateLimit.limit: must be >= 1']);
    expect(problems({ per: '0s' })).toEqual(['$.steps[0].rateLimit.per: must be longer than zero']);
    expect(problems({ per: 'soon' })).toEqual([expect.stringMatching(/^\$\.steps\[0\]\.rateLimit\.per: /)]);
    expect(problems({ key: 'input.(' })).toEqual([
      expect.stringMatching(/^\$\.steps\[0\]\.rateLimit\.key: invalid JSONata expression/),
    ]);
    expect(
      problemsOf(workflow([{ id: 'w', type: 'wait', duration: '1s', rateLimit }])).map(({ path }) => path),
    ).toEqual([expect.stringMatching(/^\$\.steps\[0\]/)]);
  });

  it('accepts a concurrency key on task steps, and names bad settings by JSON path', () => {
    const concurrency = { key: "'model-a'", limit: 2 };
    expect(problemsOf(workflow([task('a', { concurrency })]))).toEqual([]);
    const problems = (extra: Record<string, unknown>) =>
      problemsOf(workflow([task('a', extra)])).map(({ path, message }) => `${path}: ${message}`);
    expect(problems({ concurrency: { ...concurrency, limit: 0 } })).toEqual([
      '$.steps[0].concurrency.limit: must be >= 1',
    ]);
    expect(problems({ concurrency: { key: 'input.(', limit: 1 } })).toEqual([
      expect.stringMatching(/^\$\.steps\[0\]\.concurrency\.key: invalid JSONata expression/),
    ]);
    // Both on one step: the slot first, then the token (docs/adr/0125).
    expect(problems({ concurrency, rateLimit: { key: "'m'", limit: 1, per: '1s' } })).toEqual([]);
    expect(problems({ concurrency, rateLimit: { key: "'m'", limit: 1, per: '0s' } })).toEqual([
      '$.steps[0].rateLimit.per: must be longer than zero',
    ]);
  });

  it('accepts a concurrency key for the items of a map step, and names bad settings by JSON path', () => {
    const map = (extra: Record<string, unknown>) => ({
      id: 'each',
      type: 'map',
      items: 'input.docs',
      concurrency: 5,
      task: { handler: 'noop' },
      ...extra,
    });
    const problems = (extra: Record<string, unknown>) =>
      problemsOf(workflow([map(extra)])).map(({ path, message }) => `${path}: ${message}`);
    expect(problems({ concurrencyKey: { key: "'model-' & item.model", limit: 2 } })).toEqual([]);
    expect(
      problems({
        concurrencyKey: { key: "'model-a'", limit: 2 },
        rateLimit: { key: "'model-a'", limit: 5, per: '1s' },
      }),
    ).toEqual([]);
    expect(problems({ concurrencyKey: { key: "'m'", limit: 0 } })).toEqual([
      '$.steps[0].concurrencyKey.limit: must be >= 1',
    ]);
    expect(problems({ concurrencyKey: { key: 'item.(', limit: 1 } })).toEqual([
      expect.stringMatching(/^\$\.steps\[0\]\.concurrencyKey\.key: invalid JSONata expression/),
    ]);
    // Other step types take no concurrency key (the schema refuses it).
    expect(
      problemsOf(
        workflow([{ id: 'w', type: 'wait', duration: '1s', concurrency: { key: "'m'", limit: 1 } }]),
      ).map(({ path }) => path),
    ).toEqual([expect.stringMatching(/^\$\.steps\[0\]/)]);
  });

  it('accepts a definition using every step type, in YAML', () => {
    const definition = parseWorkflowDefinition(`
name: order-fulfilment
version: 3
inputSchema:
  type: object
  required: [orderId]
  properties: { orderId: { type: string }, email: { type: string, format: email } }
output: steps.notify.output
timeout: 2h
concurrency: { key: input.customerId, limit: 2 }
steps:
  - id: reserve
    type: task
    handler: http
    config: { url: "https://stock/reserve", method: POST }
    input: { orderId: "=input.orderId" }
    retry: { maxAttempts: 5, backoff: exponential, initialInterval: 1s, maxInterval: 1m, jitter: 0.2, nonRetryableErrors: [OUT_OF_STOCK] }
    timeout: { scheduleToStart: 30s, startToClose: 5m, heartbeat: 30s }
    queue: stock
    priority: 5
    compensate: { handler: http, config: { url: "https://stock/release" }, input: "=steps.reserve.output" }
  - id: lines
    type: map
    needs: [reserve]
    items: input.lines
    concurrency: 5
    task: { handler: "external:pricing", input: { sku: "=item.sku", position: "=index" } }
  - id: route
    type: switch
    needs: [lines]
    branches:
      - { name: big, when: "$sum(steps.lines.output.price) > 1000", steps: [approval] }
    default: [autoApprove]
  - { id: approval, type: signal, signal: { name: approved, timeout: 24h, onTimeout: fail } }
  - { id: autoApprove, type: task, handler: transform, config: { expression: "'ok'" } }
  - { id: settle, type: wait, needs: [approval, autoApprove], join: noneFailed, duration: 1h30m }
  - { id: ship, type: subworkflow, needs: [settle], workflow: { name: shipping, version: 2 }, input: "=input" }
  - { id: notify, type: task, needs: [ship], if: "input.email != null", handler: langflow, config: { flowId: abc } }
`);
    expect(definition.version).toBe(3);
    expect(definition.steps).toHaveLength(8);
  });

  it('accepts JSON text', () => {
    expect(parseWorkflowDefinition(JSON.stringify(workflow([task('a')]))).name).toBe('orders');
  });

  it('names the path of every structural problem at once', () => {
    const problems = problemsOf(
      workflow([
        { id: 'a', type: 'teleport' },
        task('b', { handler: 'ftp' }),
        task('c', { retry: { maxAttempts: 0, backoff: 'random' } }),
        task('d', { timeout: { startToClose: '5 minutes' }, colour: 'red' }),
        { id: 'e', type: 'map', items: 'input.x', concurrency: 5000, task: { handler: 'noop' } },
      ]),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: '$.steps[0].type', message: expect.stringContaining('unknown step type "teleport"') },
        { path: '$.steps[1].handler', message: expect.stringContaining('unknown handler') },
        { path: '$.steps[2].retry.maxAttempts', message: 'must be >= 1' },
        { path: '$.steps[2].retry.backoff', message: 'must be one of "fixed", "linear", "exponential"' },
        { path: '$.steps[3].timeout.startToClose', message: expect.stringContaining('not a duration') },
        { path: '$.steps[3].colour', message: 'unknown property' },
        { path: '$.steps[4].concurrency', message: 'must be <= 1000' },
      ]),
    );
  });

  it('reports duplicate ids and needs that point nowhere', () => {
    expect(
      problemsOf(
        workflow([task('a'), task('a'), task('b', { needs: ['a', 'ghost'] }), task('c', { needs: ['c'] })]),
      ),
    ).toEqual([
      { path: '$.steps[1].id', message: 'duplicate step id "a" (first used at $.steps[0])' },
      { path: '$.steps[2].needs[1]', message: 'unknown step "ghost"' },
      { path: '$.steps[3].needs[0]', message: 'a step cannot need itself' },
    ]);
  });

  it('names each cycle in execution order', () => {
    const problems = problemsOf(
      workflow([
        task('a', { needs: ['c'] }),
        task('b', { needs: ['a'] }),
        task('c', { needs: ['b'] }),
        task('x', { needs: ['y'] }),
        task('y', { needs: ['x'] }),
      ]),
    );
    expect(problems).toEqual([
      { path: '$.steps[0].needs', message: 'cycle: a → b → c → a' },
      { path: '$.steps[3].needs', message: 'cycle: x → y → x' },
    ]);
  });

  it('names a cycle that other steps depend on, without overflowing the stack', () => {
    const problems = problemsOf(
      workflow([task('a', { needs: ['b'] }), task('b', { needs: ['a'] }), task('c', { needs: ['a'] })]),
    );
    expect(problems).toEqual([{ path: '$.steps[0].needs', message: 'cycle: a → b → a' }]);
  });

  it('names a cycle reached only through a chain of dependants', () => {
    const problems = problemsOf(
      workflow([
        task('d', { needs: ['c'] }),
        task('c', { needs: ['b'] }),
        task('b', { needs: ['a'] }),
        task('a', { needs: ['b'] }),
      ]),
    );
    expect(problems).toEqual([{ path: '$.steps[3].needs', message: 'cycle: a → b → a' }]);
  });

  it('finds a cycle that runs through a switch branch', () => {
    const problems = problemsOf(
      workflow([
        { id: 's', type: 'switch', needs: ['b'], branches: [{ name: 'one', when: 'true', steps: ['b'] }] },
        task('b'),
      ]),
    );
    expect(problems).toEqual([{ path: '$.steps[1].needs', message: 'cycle: b → s → b' }]);
  });

  it('reports unreachable steps: a constant false condition, two branches of one switch, and their dependants', () => {
    const problems = problemsOf(
      workflow([
        {
          id: 'route',
          type: 'switch',
          branches: [{ name: 'x', when: 'input.x', steps: ['left'] }],
          default: ['right'],
        },
        task('left'),
        task('right'),
        task('both', { needs: ['left', 'right'] }),
        task('after', { needs: ['both'] }),
        task('either', { needs: ['left', 'right'], join: 'noneFailed' }),
        task('never', { if: 'false' }),
      ]),
    );
    expect(problems.map((p) => p.path)).toEqual(['$.steps[3]', '$.steps[4]', '$.steps[6]']);
    expect(problems[0]!.message).toContain('unreachable step "both"');
    expect(problems[2]!.message).toBe('unreachable step "never": its condition is always false');
  });

  it('reports expressions that do not parse, wherever they are', () => {
    const problems = problemsOf(
      workflow(
        [
          task('a', {
            if: 'input.x >',
            input: { deep: ['ok', '=$sum('] },
            config: { literal: '==not an expression (' },
          }),
          { id: 'm', type: 'map', items: ')', task: { handler: 'noop' } },
          { id: 's', type: 'switch', branches: [{ name: 'b', when: '[', steps: ['a'] }] },
        ],
        { output: '{', concurrency: { key: '}', limit: 1 } },
      ),
    );
    expect(problems.map((p) => p.path)).toEqual([
      '$.steps[0].if',
      '$.steps[0].input.deep[1]',
      '$.steps[1].items',
      '$.steps[2].branches[0].when',
      '$.output',
      '$.concurrency.key',
    ]);
    expect(problems[0]!.message).toMatch(/^invalid JSONata expression: .*\(at character \d+\)$/);
  });

  it('reports bad durations, limits out of range and options that do not apply', () => {
    const problems = problemsOf(
      workflow(
        [
          task('a', { retry: { maxAttempts: 3, initialInterval: '10s', maxInterval: '1s' }, priority: 12 }),
          { id: 'w', type: 'wait', duration: '0s' },
          { id: 'w2', type: 'wait', until: 'tomorrow' },
          { id: 'w3', type: 'wait' },
          {
            id: 'sig',
            type: 'signal',
            signal: { name: 'go', timeout: '400d' },
            timeout: { heartbeat: '1s' },
            retry: { maxAttempts: 2 },
          },
          task('ext', { handler: 'external:billing', queue: 'other' }),
        ],
        { version: 0, timeout: '2 hours', concurrency: { key: 'input.k', limit: 0 } },
      ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: '$.version', message: 'must be >= 1' },
        { path: '$.timeout', message: expect.stringContaining('not a duration') },
        { path: '$.concurrency.limit', message: 'must be >= 1' },
        { path: '$.steps[0].priority', message: 'must be <= 9' },
        { path: '$.steps[0].retry.maxInterval', message: 'must not be shorter than initialInterval' },
        { path: '$.steps[1].duration', message: 'must be longer than zero' },
        { path: '$.steps[2].until', message: expect.stringContaining('ISO-8601') },
        { path: '$.steps[3]', message: 'a wait step needs exactly one of "duration" and "until"' },
        { path: '$.steps[4].signal.timeout', message: 'must be at most 366d' },
        { path: '$.steps[4].timeout.heartbeat', message: 'does not apply to signal steps' },
        { path: '$.steps[4].retry', message: 'does not apply to signal steps' },
        { path: '$.steps[5].queue', message: expect.stringContaining('runs on queue "external.billing"') },
      ]),
    );
  });

  it('reports switch targets that are unknown or belong to two branches', () => {
    const problems = problemsOf(
      workflow([
        {
          id: 's',
          type: 'switch',
          branches: [
            { name: 'x', when: 'true', steps: ['a', 'ghost'] },
            { name: 'x', when: 'false', steps: ['a'] },
          ],
        },
        task('a'),
      ]),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: '$.steps[0].branches[1].name', message: 'duplicate branch name "x"' },
        { path: '$.steps[0].branches[0].steps[1]', message: 'unknown step "ghost"' },
        {
          path: '$.steps[0].branches[1].steps[0]',
          message: expect.stringContaining('already belongs to branch "x"'),
        },
      ]),
    );
  });

  it('rejects an input schema that is not a JSON Schema', () => {
    expect(problemsOf(workflow([task('a')], { inputSchema: { type: 'banana' } }))).toEqual([
      { path: '$.inputSchema', message: expect.stringContaining('not a valid JSON Schema') },
    ]);
  });

  it('throws a ValidationError from parsing, with every problem and bad YAML located', () => {
    expect(() => parseWorkflowDefinition('name: x\nsteps: [\n')).toThrow(ValidationError);
    try {
      parseWorkflowDefinition('{"name": "x", "version": 1, "steps": []}');
      fail('expected a ValidationError');
    } catch (error) {
      expect((error as ValidationError).code).toBe('VALIDATION_FAILED');
      expect((error as ValidationError).problems).toEqual([
        { path: '$.steps', message: 'must NOT have fewer than 1 items' },
      ]);
    }
  });

  it('publishes its JSON Schema in the contracts', () => {
    expect(workflowDefinitionSchema.$id).toBe('https://spark.dev/schemas/workflow-definition.v1.json');
  });
});
