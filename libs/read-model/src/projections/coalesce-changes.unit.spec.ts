import { coalesceChanges } from './coalesce-changes';
import { type ReadModelChange } from './read-model-change';

const runUpdated = (position: number, patch: object): ReadModelChange => ({
  kind: 'runUpdated',
  runId: 'r1',
  patch,
  at: `2026-12-01T00:00:0${position}Z`,
  revision: BigInt(position),
  position: BigInt(position),
});
const attempt = (kind: 'attemptUpserted' | 'attemptUpdated', position: number, fields: object) =>
  ({
    kind,
    runId: 'r1',
    taskId: 'a',
    attempt: 1,
    ...(kind === 'attemptUpserted' ? { stepId: 'a' } : {}),
    fields,
    position: BigInt(position),
  }) as ReadModelChange;

describe('coalesceChanges', () => {
  it("merges a run's updates into one: later fields win, startedAt keeps the first, the last position", () => {
    const { runUpdates } = coalesceChanges([
      runUpdated(1, { startedAt: 'first' }),
      runUpdated(2, { status: 'running', startedAt: 'second' }),
      runUpdated(3, { status: 'completed', output: { n: 2 } }),
    ]);
    expect(runUpdates).toEqual([
      {
        kind: 'runUpdated',
        runId: 'r1',
        patch: { startedAt: 'first', status: 'completed', output: { n: 2 } },
        at: '2026-12-01T00:00:03Z',
        revision: 3n,
        position: 3n,
      },
    ]);
  });

  it('folds attempt updates into the change before them; an upsert after another change stays apart', () => {
    const { attempts } = coalesceChanges([
      attempt('attemptUpserted', 1, { status: 'scheduled', queue: 'q' }),
      attempt('attemptUpdated', 2, { status: 'running' }),
      attempt('attemptUpdated', 3, { status: 'succeeded', output: 1 }),
      attempt('attemptUpserted', 4, { status: 'scheduled' }),
    ]);
    expect(attempts.map((change) => [change.kind, change.fields, change.position])).toEqual([
      ['attemptUpserted', { status: 'succeeded', queue: 'q', output: 1 }, 3n],
      ['attemptUpserted', { status: 'scheduled' }, 4n],
    ]);
  });

  it('keeps one start per run and the other changes in order', () => {
    const started = { kind: 'runStarted', runId: 'r1', position: 1n } as ReadModelChange;
    const schedule = (position: number) =>
      ({ kind: 'scheduleUpdated', scheduleId: 's', position: BigInt(position) }) as ReadModelChange;
    const coalesced = coalesceChanges([started, schedule(5), started, schedule(6)]);
    expect(coalesced.runsStarted).toEqual([started]);
    expect(coalesced.others).toEqual([schedule(5), schedule(6)]);
  });
});
