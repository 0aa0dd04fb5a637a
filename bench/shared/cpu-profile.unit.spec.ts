import { packageOf, summariseCpuProfile } from './cpu-profile';

// Samples 1 ms apart: idle, a kafkajs function twice, a Spark library function, a native write
// called from kafkajs, idle (the last sample has no next delta, so it weighs nothing).
const profile = {
  nodes: [
    { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 }, children: [2, 3, 4] },
    { id: 2, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
    {
      id: 3,
      callFrame: {
        functionName: 'encode',
        url: 'file:///w/node_modules/kafkajs/src/encoder.js',
        lineNumber: 9,
      },
      children: [5],
    },
    {
      id: 4,
      callFrame: {
        functionName: 'evolve',
        url: 'file:///w/dist/libs/workflow-domain/src/evolve.js',
        lineNumber: 0,
      },
    },
    // A native socket write called from kafkajs.
    { id: 5, callFrame: { functionName: 'writev', url: '', lineNumber: -1 } },
  ],
  startTime: 1_000_000,
  endTime: 1_006_000,
  samples: [2, 3, 3, 4, 5, 2],
  timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000],
};

describe('summariseCpuProfile', () => {
  it('adds self time per function and package, and the idle share', () => {
    const summary = summariseCpuProfile('scheduler', profile);
    expect(summary.windowed).toBe(false);
    expect(summary.windowMs).toBe(5); // the last sample has no next delta to weigh it
    expect(summary.idleShare).toBeCloseTo(0.2);
    expect(summary.topFunctions[0]).toEqual({ name: 'encode kafkajs/src/encoder.js:10', ms: 2, share: 0.4 });
    expect(summary.topPackages.map((entry) => [entry.name, entry.ms])).toEqual([
      ['kafkajs', 2],
      ['(idle)', 1],
      ['spark libs/workflow-domain', 1],
      ['(native)', 1],
    ]);
    expect(summary.topCallerPackages.map((entry) => [entry.name, entry.ms])).toEqual([
      ['kafkajs', 3],
      ['(idle)', 1],
      ['spark libs/workflow-domain', 1],
    ]);
  });

  it('keeps only the samples inside the window', () => {
    const summary = summariseCpuProfile('executor', profile, { fromMicros: 1_002_500, toMicros: 1_004_500 });
    // samples at 1,003,000 (encode) and 1,004,000 (evolve)
    expect(summary.windowed).toBe(true);
    expect(summary.windowMs).toBe(2);
    expect(summary.topFunctions.map((entry) => entry.name)).toEqual([
      'encode kafkajs/src/encoder.js:10',
      'evolve libs/workflow-domain/src/evolve.js:1',
    ]);
  });

  it('uses the whole profile when the window misses it', () => {
    // a window before the profile started
    expect(summariseCpuProfile('executor', profile, { fromMicros: 1, toMicros: 2 }).windowed).toBe(false);
  });
});

describe('packageOf', () => {
  it('names scoped packages, Node built-ins and Spark code', () => {
    expect(packageOf('file:///w/node_modules/@opentelemetry/core/build/x.js', 'f')).toBe(
      '@opentelemetry/core',
    );
    expect(packageOf('node:internal/streams/writable', 'f')).toBe('node (built-in)');
    expect(packageOf('file:///w/dist/apps/scheduler/src/main.js', 'f')).toBe('spark apps/scheduler');
    expect(packageOf('', '(garbage collector)')).toBe('(garbage collector)');
    expect(packageOf('', 'writev')).toBe('(native)');
  });
});
