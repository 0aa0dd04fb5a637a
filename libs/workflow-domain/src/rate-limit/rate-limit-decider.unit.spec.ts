import { type RequestToken } from './commands';
import { type RateLimitEvent } from './events';
import { rateLimitDecider } from './rate-limit-decider';

const T0 = Date.UTC(2026, 0, 1);
const at = (ms: number) => new Date(T0 + ms).toISOString();
let position = 0;
const request = (taskId: string, nowMs: number, limit = 5, per = '1s', perMs = 1000): RequestToken => ({
  type: 'RequestToken',
  data: {
    runId: `run-of-${taskId}`,
    taskId,
    attempt: 1,
    key: 'model-x',
    settings: { limit, per, perMs },
    relayPosition: String(++position),
  },
  metadata: { now: at(nowMs) },
});

const play = (commands: RequestToken[], state = rateLimitDecider.initialState()) => {
  const all: RateLimitEvent[] = [];
  for (const command of commands) {
    const events = rateLimitDecider.decide(command, state) as RateLimitEvent[];
    state = events.reduce(rateLimitDecider.evolve, state);
    all.push(...events);
  }
  return { events: all, state };
};
const offsets = (events: RateLimitEvent[]) => events.map((event) => Date.parse(event.data.startAt) - T0);

describe('rate-limit decider', () => {
  it('spreads a burst evenly, one token every per/limit, in arrival order', () => {
    const { events } = play(Array.from({ length: 12 }, (_, i) => request(`t${i}`, i)));
    expect(offsets(events)).toEqual([0, 200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800, 2000, 2200]);
    expect(events[3]!.data.reason).toBe('waiting for rate limit model-x: 5 per 1s');
  });

  it('never puts more than `limit` tokens in any window of `per`', () => {
    const arrivals = [0, 0, 0, 50, 700, 900, 901, 2500, 2600, 2601, 2602, 2603, 2604, 2605, 4000];
    const { events } = play(arrivals.map((ms, i) => request(`t${i}`, ms, 3, '1s', 1000)));
    const times = offsets(events);
    for (let i = 0; i + 3 < times.length; i++) expect(times[i + 3]! - times[i]!).toBeGreaterThanOrEqual(1000);
    times.forEach((time, i) => expect(time).toBeGreaterThanOrEqual(arrivals[i]!));
  });

  it('hands out a token at once when the key has been quiet, and never one in the past', () => {
    const { events } = play([request('a', 0), request('b', 5000), request('c', 5001)]);
    expect(offsets(events)).toEqual([0, 5000, 5200]);
  });

  it('rounds an interval that is not a whole millisecond up, and keeps the fraction for the next', () => {
    const { events, state } = play([0, 0, 0, 0].map((ms, i) => request(`t${i}`, ms, 3, '1s', 1000)));
    expect(offsets(events)).toEqual([0, 334, 667, 1000]);
    expect(state.nextAtMs! - T0).toBeCloseTo(4000 / 3, 2);
  });

  it('makes no token due sooner than the lead after its decision (the measured hop to the run)', () => {
    const withLead = (command: RequestToken, leadMs: number): RequestToken => ({
      ...command,
      data: { ...command.data, leadMs },
    });
    const { events } = play([
      withLead(request('a', 0), 80),
      withLead(request('b', 0), 80),
      withLead(request('c', 900), 80),
    ]);
    // The spacing counts from the first token, the lead only from each decision.
    expect(offsets(events)).toEqual([80, 280, 980]);
    expect(events[0]!.data.decidedAt).toBe(at(0));
  });

  it('decides nothing for a replayed command (a relay restarted from an older checkpoint)', () => {
    const first = request('a', 0);
    const { state } = play([first, request('b', 0)]);
    expect(rateLimitDecider.decide(first, state)).toEqual([]);
  });
});
