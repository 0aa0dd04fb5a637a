import { type RequestStart, type StartControlSettings } from './commands';
import { type StartControlEvent } from './events';
import { startControlDecider } from './start-control-decider';

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();
const key = 'tenant-a';
let position = 0;
const request = (runId: string, arrivedMs: number, settings: StartControlSettings): RequestStart => ({
  type: 'RequestStart',
  data: { runId, key, settings, arrivedAt: at(arrivedMs), relayPosition: String(++position) },
  metadata: { now: at(arrivedMs + 5) },
});

const play = async (commands: RequestStart[]): Promise<StartControlEvent[]> => {
  let state = startControlDecider.initialState();
  const all: StartControlEvent[] = [];
  for (const command of commands) {
    const events = await startControlDecider.decide(command, state);
    state = events.reduce(startControlDecider.evolve, state);
    all.push(...events);
  }
  return all;
};
const startTimes = (events: StartControlEvent[]) =>
  events.flatMap((event) =>
    event.type === 'StartScheduled'
      ? [[event.data.runId, Date.parse(event.data.startAt) - Date.parse(at(0))]]
      : [],
  );

describe('start-control decider', () => {
  describe('throttle', () => {
    const throttle: StartControlSettings = { kind: 'throttle', limit: 2, periodMs: 1000 };

    it('starts the first `limit` at once, and each later one a period after the start `limit` before it', async () => {
      const events = await play([0, 10, 20, 30, 40].map((ms, i) => request(`r${i}`, ms, throttle)));
      // Each decided 5 ms after its run started (metadata.now): times count from the decision.
      expect(startTimes(events)).toEqual([
        ['r0', 5],
        ['r1', 15],
        ['r2', 1005],
        ['r3', 1015],
        ['r4', 2005],
      ]);
      expect(events[2]).toMatchObject({
        data: { reason: `throttled: key tenant-a allows 2 starts per 1000 ms; starts at ${at(1005)}` },
      });
    });

    it('lets a start through at once when the period since the start `limit` before it has passed', async () => {
      const events = await play([0, 10, 5000].map((ms, i) => request(`r${i}`, ms, throttle)));
      expect(startTimes(events)).toEqual([
        ['r0', 5],
        ['r1', 15],
        ['r2', 5005],
      ]);
    });

    it('counts from when the relay decides, so a relay that lagged hands out no start time already past', async () => {
      const late = { ...request('r0', 0, throttle), metadata: { now: at(30_000) } };
      expect(startTimes(await play([late]))).toEqual([['r0', 30_000]]);
    });

    it('decides nothing for a replayed command (relay position not past the last applied)', async () => {
      const first = request('r0', 0, throttle);
      const state = (await startControlDecider.decide(first, startControlDecider.initialState())).reduce(
        startControlDecider.evolve,
        startControlDecider.initialState(),
      );
      expect(await startControlDecider.decide(first, state)).toEqual([]);
    });
  });

  describe('debounce', () => {
    const debounce: StartControlSettings = { kind: 'debounce', periodMs: 500, maxWaitMs: 2000 };

    it('makes a burst one start, with the last run, a period after the last start', async () => {
      const events = await play([0, 100, 200].map((ms, i) => request(`r${i}`, ms, debounce)));
      expect(
        events.filter((event) => event.type === 'StartSuperseded').map((e) => [e.data.runId, e.data.by]),
      ).toEqual([
        ['r0', 'r1'],
        ['r1', 'r2'],
      ]);
      expect(startTimes(events).at(-1)).toEqual(['r2', 700]);
    });

    it('never moves the start past maxWait after the burst began', async () => {
      const events = await play(Array.from({ length: 12 }, (_, i) => request(`r${i}`, i * 300, debounce)));
      // Starts every 300 ms never leave 500 ms of quiet: the burst ends at maxWait (2000 ms), and
      // the starts after it open a new burst.
      const scheduled = startTimes(events);
      expect(scheduled.filter(([, startMs]) => startMs === 2000).length).toBeGreaterThan(0);
      expect(
        scheduled.every(([, startMs]) => (startMs as number) <= 2000 || (startMs as number) >= 2100),
      ).toBe(true);
      const superseded = events.filter((event) => event.type === 'StartSuperseded').map((e) => e.data.runId);
      expect(superseded).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r7', 'r8', 'r9', 'r10']);
    });

    it('starts a new burst once the pending start time has passed', async () => {
      const events = await play([request('r0', 0, debounce), request('r1', 900, debounce)]);
      expect(events.map((event) => event.type)).toEqual(['StartScheduled', 'StartScheduled']);
      expect(startTimes(events)).toEqual([
        ['r0', 500],
        ['r1', 1400],
      ]);
    });
  });
});
