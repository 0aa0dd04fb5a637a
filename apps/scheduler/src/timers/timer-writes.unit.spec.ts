import { TimerWrites } from './timer-writes';

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second));

describe('TimerWrites', () => {
  it('keeps the last word on each timer and drops what came before a run removal', () => {
    const writes = new TimerWrites();
    writes.upsert({ runId: 'r1', timerId: 'a', fireAt: at(1) });
    writes.upsert({ runId: 'r1', timerId: 'a', fireAt: at(2) });
    writes.upsert({ runId: 'r1', timerId: 'b', fireAt: at(3) });
    writes.remove('r1', 'b');
    writes.upsert({ runId: 'r2', timerId: 'a', fireAt: at(4) });
    writes.removeRun('r2');
    writes.upsert({ runId: 'r2', timerId: 'c', fireAt: at(5) });
    writes.remove('r3', 'x');
    writes.upsert({ runId: 'r3', timerId: 'x', fireAt: at(6) });

    expect(writes.upserts).toEqual([
      { runId: 'r1', timerId: 'a', fireAt: at(2) },
      { runId: 'r2', timerId: 'c', fireAt: at(5) },
      { runId: 'r3', timerId: 'x', fireAt: at(6) },
    ]);
    expect(writes.removals).toEqual([{ runId: 'r1', timerId: 'b' }]);
    expect([...writes.removedRuns]).toEqual(['r2']);
    expect(writes.empty).toBe(false);
    expect(new TimerWrites().empty).toBe(true);
  });
});
