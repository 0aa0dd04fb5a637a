import { type ConcurrencyStrategy } from '@spark/contracts';

import { deciderSpecification } from '../testing';
import { type AcquireSlot, type ReleaseSlot } from './commands';
import { concurrencyDecider } from './concurrency-decider';
import { type ConcurrencyEvent } from './events';

const T0 = '2026-01-01T00:00:00.000Z';
const spec = deciderSpecification(concurrencyDecider);
const key = 'tenant-a';

const acquire = (
  runId: string,
  relayPosition: number,
  strategy: ConcurrencyStrategy = 'queue',
  limit = 2,
  runAttempt = 1,
): AcquireSlot => ({
  type: 'AcquireSlot',
  data: { runId, runAttempt, key, limit, strategy, relayPosition: String(relayPosition) },
  metadata: { now: T0 },
});
const release = (runId: string, relayPosition: number): ReleaseSlot => ({
  type: 'ReleaseSlot',
  data: { runId, key, relayPosition: String(relayPosition) },
  metadata: { now: T0 },
});
const facts = (runId: string, relayPosition: number, runAttempt = 1) => ({
  runId,
  runAttempt,
  key,
  relayPosition: String(relayPosition),
  at: T0,
});
const granted = (runId: string, position: number, inUse: number, limit = 2): ConcurrencyEvent => ({
  type: 'SlotGranted',
  data: { ...facts(runId, position), limit, inUse },
});
const queued = (runId: string, position: number, inUse: number, line: number): ConcurrencyEvent => ({
  type: 'SlotQueued',
  data: { ...facts(runId, position), limit: 2, inUse, position: line, strategy: 'queue' },
});

/** The decider's events for each command in turn, each applied before the next. */
const play = async (commands: (AcquireSlot | ReleaseSlot)[]): Promise<ConcurrencyEvent[]> => {
  let state = concurrencyDecider.initialState();
  const all: ConcurrencyEvent[] = [];
  for (const command of commands) {
    const events = await concurrencyDecider.decide(command, state);
    state = events.reduce(concurrencyDecider.evolve, state);
    all.push(...events);
  }
  return all;
};

describe('concurrency decider', () => {
  describe('queue (FIFO)', () => {
    it('given free slots, when a run asks, then it gets one', async () => {
      await spec
        .given([])
        .when(acquire('r1', 10))
        .then([granted('r1', 10, 1)]);
    });

    it('given every slot taken, when a run asks, then it waits with its place in line', async () => {
      await spec
        .given([granted('r1', 10, 1), granted('r2', 11, 2)])
        .when(acquire('r3', 12))
        .then([queued('r3', 12, 2, 1)]);
    });

    it('given waiting runs, when a holder finishes, then the first in line gets its slot', async () => {
      await spec
        .given([granted('r1', 10, 1), granted('r2', 11, 2), queued('r3', 12, 2, 1), queued('r4', 13, 2, 2)])
        .when(release('r1', 14))
        .then([
          { type: 'SlotReleased', data: { ...facts('r1', 14), wasWaiting: false } },
          granted('r3', 14, 2),
        ]);
    });

    it('given a waiting run, when it finishes (cancelled in line), then it leaves the line and no slot moves', async () => {
      await spec
        .given([granted('r1', 10, 1), granted('r2', 11, 2), queued('r3', 12, 2, 1)])
        .when(release('r3', 13))
        .then([{ type: 'SlotReleased', data: { ...facts('r3', 13), wasWaiting: true } }]);
    });

    it('given a free slot but runs in line, when a new run asks, then it queues behind them (FIFO)', async () => {
      // r1 released, r3 granted in the same decision: no free slot; a later arrival never jumps the line.
      const events = await play([
        acquire('r1', 1, 'queue', 1),
        acquire('r2', 2, 'queue', 1),
        acquire('r3', 3, 'queue', 1),
        release('r1', 4),
        acquire('r4', 5, 'queue', 1),
      ]);
      expect(events.filter((e) => e.type === 'SlotGranted').map((e) => e.data.runId)).toEqual(['r1', 'r2']);
      expect(events.at(-1)).toMatchObject({ type: 'SlotQueued', data: { runId: 'r4', position: 2 } });
    });

    it('given a command at or below the last applied relay position (a replay), then nothing happens', async () => {
      const given = [
        granted('r1', 10, 1),
        { type: 'SlotReleased', data: { ...facts('r1', 12), wasWaiting: false } },
      ] as ConcurrencyEvent[];
      await spec.given(given).when(acquire('r1', 10)).thenNothing();
      await spec.given(given).when(release('r1', 12)).thenNothing();
      await spec.given(given).when(acquire('r9', 11)).thenNothing();
    });

    it('given a run that holds nothing, when it is released, then nothing happens', async () => {
      await spec
        .given([granted('r1', 10, 1)])
        .when(release('r2', 11))
        .thenNothing();
    });

    it('given a failed run retried (attempt 2), when it asks again, then it is a new request', async () => {
      const events = await play([acquire('r1', 1), release('r1', 2), acquire('r1', 3, 'queue', 2, 2)]);
      expect(events.at(-1)).toMatchObject({ type: 'SlotGranted', data: { runId: 'r1', runAttempt: 2 } });
    });

    it('never holds more than the limit and leaks no slot, whatever the order of starts and ends', async () => {
      const commands: (AcquireSlot | ReleaseSlot)[] = [];
      let position = 0;
      for (let i = 0; i < 30; i++) {
        commands.push(acquire(`r${i}`, ++position, 'queue', 3));
        if (i % 2 === 1) commands.push(release(`r${(i * 7) % (i + 1)}`, ++position));
      }
      for (let i = 0; i < 30; i++) commands.push(release(`r${i}`, ++position));
      let state = concurrencyDecider.initialState();
      for (const command of commands) {
        const events = await concurrencyDecider.decide(command, state);
        state = events.reduce(concurrencyDecider.evolve, state);
        expect(state.holders.length).toBeLessThanOrEqual(3);
      }
      expect(state.holders).toEqual([]);
      expect(state.waiting).toEqual([]);
    });
  });

  describe('cancelNewest', () => {
    it('given every slot taken, when a run asks, then it is refused (and will be cancelled)', async () => {
      await spec
        .given([granted('r1', 10, 1), granted('r2', 11, 2)])
        .when(acquire('r3', 12, 'cancelNewest'))
        .then([
          {
            type: 'SlotRefused',
            data: {
              ...facts('r3', 12),
              limit: 2,
              inUse: 2,
              reason: 'concurrency key tenant-a: 2 of 2 in use (cancelNewest)',
            },
          },
        ]);
    });
  });

  describe('cancelInProgress', () => {
    it('given every slot taken, when a run asks, then it queues and the oldest holder is asked to stop', async () => {
      const events = await play([
        acquire('r1', 1, 'cancelInProgress'),
        acquire('r2', 2, 'cancelInProgress'),
        acquire('r3', 3, 'cancelInProgress'),
      ]);
      expect(events.slice(2).map((e) => [e.type, e.data.runId])).toEqual([
        ['SlotQueued', 'r3'],
        ['SlotHolderCancellationRequested', 'r1'],
      ]);
    });

    it('keeps the newest `limit` runs: a run still in line is refused when a newer one comes', async () => {
      const events = await play([
        acquire('r1', 1, 'cancelInProgress', 1),
        acquire('r2', 2, 'cancelInProgress', 1),
        acquire('r3', 3, 'cancelInProgress', 1),
        release('r1', 4),
      ]);
      expect(events.map((e) => [e.type, e.data.runId])).toEqual([
        ['SlotGranted', 'r1'],
        ['SlotQueued', 'r2'],
        ['SlotHolderCancellationRequested', 'r1'],
        ['SlotQueued', 'r3'],
        ['SlotRefused', 'r2'],
        ['SlotReleased', 'r1'],
        ['SlotGranted', 'r3'],
      ]);
    });
  });
});
