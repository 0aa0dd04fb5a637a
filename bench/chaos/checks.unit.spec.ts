import { checkOutcomes, type AcceptedRun, type RunFacts } from './checks';
import { parseKey } from './effect-ledger';
import { expectedOf, KINDS, kindAt } from './workload';

describe('chaos end checks', () => {
  const run = (runId: string, kind: AcceptedRun['kind'], n: number): AcceptedRun => ({
    runId,
    kind,
    n,
    expected: expectedOf(kind, n),
    acceptedAt: 0,
  });

  it('counts final runs, and tells stuck, wrong and twice-started ones apart', () => {
    const runs = [
      run('ok', 'one-step', 2),
      run('stuck', 'chain', 3),
      run('wrong', 'fan', 4),
      run('twice', 'one-step', 5),
      run('saga', 'saga', 6),
      run('retried', 'retry', 7),
      run('retried-too-early', 'retry', 8),
    ];
    const facts = new Map<string, RunFacts>([
      ['ok', { starts: 1, final: 'RunCompleted', finalData: { output: 4 } }],
      ['stuck', { starts: 1, lastEvent: 'TaskDispatched' }],
      ['wrong', { starts: 1, final: 'RunCompleted', finalData: { output: [4, 4] } }],
      ['twice', { starts: 2, final: 'RunCompleted', finalData: { output: 10 } }],
      ['saga', { starts: 1, final: 'RunFailed', finalData: { compensated: ['charge', 'reserve'] } }],
      ['retried', { starts: 1, final: 'RunCompleted', finalData: { output: 4 } }],
      ['retried-too-early', { starts: 1, final: 'RunCompleted', finalData: { output: 2 } }],
    ]);
    const result = checkOutcomes(runs, facts);
    expect(result).toMatchObject({ final: 6, stuck: 1, wrongOutcome: 2, duplicateStarts: 1 });
    expect(result.examples.join('\n')).toMatch(/stuck: not final, last event TaskDispatched/);
  });

  it('a saga that completed, or compensated in the wrong order, is a wrong outcome', () => {
    const runs = [run('a', 'saga', 1), run('b', 'saga', 2)];
    const facts = new Map<string, RunFacts>([
      ['a', { starts: 1, final: 'RunCompleted', finalData: {} }],
      ['b', { starts: 1, final: 'RunFailed', finalData: { compensated: ['reserve', 'charge'] } }],
    ]);
    expect(checkOutcomes(runs, facts).wrongOutcome).toBe(2);
  });

  it('reads run, step (map items included) and attempt out of an idempotency key', () => {
    expect(parseKey('r-1:fan[3]:2')).toEqual({ runId: 'r-1', stepId: 'fan[3]', attempt: 2 });
    expect(parseKey('no-key')).toBeUndefined();
  });

  it('starts every kind of run', () => {
    const kinds = new Set(Array.from({ length: 32 }, (_, index) => kindAt(index)));
    expect([...kinds].sort()).toEqual([...KINDS].sort());
  });
});
