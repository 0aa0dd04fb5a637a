/**
 * The chaos workload: one workflow per kind of run, the input each run gets and the outcome its
 * workflow implies, so the end checks can compare every run with what it had to become.
 */

export const KINDS = [
  'one-step',
  'chain',
  'fan',
  'map20',
  'retry',
  'wait',
  'signal',
  'subworkflow',
  'saga',
  'heartbeat',
] as const;
export type Kind = (typeof KINDS)[number];

/** How often each kind is started, relative to the others. */
const WEIGHTS: Record<Kind, number> = {
  'one-step': 4,
  chain: 2,
  fan: 2,
  map20: 1,
  retry: 2,
  wait: 1,
  signal: 1,
  subworkflow: 1,
  saga: 1,
  heartbeat: 1,
};

export interface Expected {
  status: 'COMPLETED' | 'FAILED';
  output?: unknown;
  /** A number output at least this (the attempt that succeeded: a fault may cost an extra attempt). */
  outputAtLeast?: number;
  /** For a saga: the steps compensated, in order. */
  compensated?: string[];
}

/** Task steps outlast a lost dispatch or a paused executor by retrying after their timeout. */
const RESILIENT = {
  retry: { maxAttempts: 6, backoff: 'fixed', initialInterval: '200ms' },
  timeout: { startToClose: '15s' },
};

/** The heartbeat timeout of the `heartbeat` kind; the executor pause lasts longer than this. */
export const HEARTBEAT_TIMEOUT_MS = 2000;
export const SIGNAL_NAME = 'go';
export const SCHEDULE_WORKFLOW = 'chaos-tick';

export function workflowName(kind: Kind): string {
  return `chaos-${kind}`;
}

export function definitions(target: string): unknown[] {
  const http = (id: string, path: string, extra: Record<string, unknown> = {}) => ({
    id,
    type: 'task',
    handler: 'http',
    config: { method: 'POST', url: `${target}${path}`, body: { value: '=input.n' } },
    ...RESILIENT,
    ...extra,
  });
  const child = `${workflowName('subworkflow')}-child`;
  return [
    {
      name: SCHEDULE_WORKFLOW,
      version: 1,
      steps: [{ id: 'tick', type: 'task', handler: 'noop', ...RESILIENT }],
    },
    {
      name: workflowName('one-step'),
      version: 1,
      steps: [
        {
          id: 'double',
          type: 'task',
          handler: 'transform',
          config: { expression: 'input.n * 2' },
          input: { n: '=input.n' },
          ...RESILIENT,
        },
      ],
      output: 'steps.double.output',
    },
    {
      name: workflowName('chain'),
      version: 1,
      steps: [
        {
          id: 'double',
          type: 'task',
          handler: 'transform',
          config: { expression: 'input.n * 2' },
          input: { n: '=input.n' },
          ...RESILIENT,
        },
        {
          ...http('post', '/effect/chain'),
          needs: ['double'],
          config: { method: 'POST', url: `${target}/effect/chain`, body: { value: '=steps.double.output' } },
        },
        {
          id: 'done',
          type: 'task',
          needs: ['post'],
          handler: 'noop',
          input: '=steps.post.output.body.echo.value',
          ...RESILIENT,
        },
      ],
      output: 'steps.done.output',
    },
    {
      name: workflowName('fan'),
      version: 1,
      steps: [
        http('a', '/effect/a'),
        http('b', '/effect/b'),
        http('c', '/effect/c'),
        {
          id: 'join',
          type: 'task',
          needs: ['a', 'b', 'c'],
          handler: 'noop',
          input:
            '=[steps.a.output.body.echo.value, steps.b.output.body.echo.value, steps.c.output.body.echo.value]',
          ...RESILIENT,
        },
      ],
      output: 'steps.join.output',
    },
    {
      name: workflowName('map20'),
      version: 1,
      steps: [
        {
          id: 'fan',
          type: 'map',
          items: 'input.items',
          concurrency: 5,
          task: {
            handler: 'http',
            config: { method: 'POST', url: `${target}/effect/item`, body: { item: '=item' } },
          },
          ...RESILIENT,
        },
      ],
      output: 'steps.fan.output.body.doubled',
    },
    {
      name: workflowName('retry'),
      version: 1,
      steps: [http('call', '/flaky/2')],
      output: 'steps.call.output.body.attempt',
    },
    {
      name: workflowName('wait'),
      version: 1,
      steps: [
        { id: 'pause', type: 'wait', duration: '1s' },
        { id: 'after', type: 'task', needs: ['pause'], handler: 'noop', input: '=input.n', ...RESILIENT },
      ],
      output: 'steps.after.output',
    },
    {
      name: workflowName('signal'),
      version: 1,
      steps: [{ id: 'approval', type: 'signal', signal: { name: SIGNAL_NAME, timeout: '10m' } }],
      output: 'steps.approval.output',
    },
    {
      name: child,
      version: 1,
      steps: [
        {
          id: 'shout',
          type: 'task',
          handler: 'transform',
          config: { expression: '$uppercase(input.word)' },
          input: '=input',
          ...RESILIENT,
        },
      ],
      output: 'steps.shout.output',
    },
    {
      name: workflowName('subworkflow'),
      version: 1,
      steps: [{ id: 'sub', type: 'subworkflow', workflow: { name: child }, input: { word: '=input.word' } }],
      output: 'steps.sub.output',
    },
    {
      name: workflowName('saga'),
      version: 1,
      steps: [
        http('reserve', '/effect/reserve', {
          compensate: {
            handler: 'http',
            config: { method: 'POST', url: `${target}/effect/release` },
            ...RESILIENT,
          },
        }),
        http('charge', '/effect/charge', {
          needs: ['reserve'],
          compensate: {
            handler: 'http',
            config: { method: 'POST', url: `${target}/effect/refund` },
            ...RESILIENT,
          },
        }),
        http('ship', '/missing', { needs: ['charge'] }),
      ],
    },
    {
      name: workflowName('heartbeat'),
      version: 1,
      steps: [
        {
          id: 'slow',
          type: 'task',
          handler: 'sleep',
          config: { durationMs: 3000 },
          retry: { maxAttempts: 6, backoff: 'fixed', initialInterval: '200ms' },
          timeout: { startToClose: '30s', heartbeat: `${HEARTBEAT_TIMEOUT_MS}ms` },
        },
        { id: 'after', type: 'task', needs: ['slow'], handler: 'noop', input: '=input.n', ...RESILIENT },
      ],
      output: 'steps.after.output',
    },
  ];
}

/** The kind of the i-th run: a fixed, interleaved sequence following the weights. */
export function kindAt(index: number): Kind {
  const wheel = KINDS.flatMap((kind) => Array.from({ length: WEIGHTS[kind] }, () => kind));
  return wheel[(index * 7) % wheel.length]!;
}

export function inputOf(kind: Kind, n: number): unknown {
  switch (kind) {
    case 'map20':
      return { items: Array.from({ length: 20 }, (_, index) => n + index) };
    case 'subworkflow':
      return { word: `spark${n}` };
    default:
      return { n };
  }
}

export function expectedOf(kind: Kind, n: number): Expected {
  switch (kind) {
    case 'one-step':
      return { status: 'COMPLETED', output: n * 2 };
    case 'chain':
      return { status: 'COMPLETED', output: n * 2 };
    case 'fan':
      return { status: 'COMPLETED', output: [n, n, n] };
    case 'map20':
      return { status: 'COMPLETED', output: Array.from({ length: 20 }, (_, index) => (n + index) * 2) };
    case 'retry':
      return { status: 'COMPLETED', outputAtLeast: 3 };
    case 'wait':
    case 'heartbeat':
      return { status: 'COMPLETED', output: n };
    case 'signal':
      return { status: 'COMPLETED', output: { n } };
    case 'subworkflow':
      return { status: 'COMPLETED', output: `SPARK${n}` };
    case 'saga':
      return { status: 'FAILED', compensated: ['charge', 'reserve'] };
  }
}

/** The `runId:stepId` steps of a run that call the effect ledger and must have applied exactly once. */
export function effectStepsOf(kind: Kind): string[] {
  switch (kind) {
    case 'chain':
      return ['post'];
    case 'fan':
      return ['a', 'b', 'c'];
    case 'map20':
      return Array.from({ length: 20 }, (_, index) => `fan[${index}]`);
    case 'retry':
      return ['call'];
    case 'saga':
      return ['reserve', 'charge'];
    default:
      return [];
  }
}
