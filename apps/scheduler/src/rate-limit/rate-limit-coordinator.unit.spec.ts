import { InMemoryEventStore } from '@spark/event-store/testing';
import { rateLimitStreamName } from '@spark/workflow-domain';
import { RateLimitCoordinator } from './rate-limit-coordinator';
import { type RateLimitScopeCommand } from './rate-limit-effects';

const T0 = Date.UTC(2026, 0, 1);
let position = 0;
const request = (taskId: string, nowMs: number, leadMs: number): RateLimitScopeCommand => {
  const relayPosition = String(++position);
  return {
    scope: 'model-x',
    causationId: `relay:${relayPosition}`,
    command: {
      type: 'RequestToken',
      data: {
        runId: `run-${taskId}`,
        taskId,
        attempt: 1,
        key: 'model-x',
        settings: { limit: 5, per: '1s', perMs: 1000 },
        leadMs,
        relayPosition,
      },
      metadata: { now: new Date(T0 + nowMs).toISOString() },
    },
  };
};

describe('rate-limit coordinator', () => {
  it('decides tokens on the key stream, and reports the attempts whose token is still ahead', async () => {
    const store = new InMemoryEventStore();
    let now = T0;
    const coordinator = new RateLimitCoordinator(store, () => new Date(now));
    await coordinator.decide(Array.from({ length: 10 }, (_, i) => request(`t${i}`, 0, 0)));
    expect(await store.readStream(rateLimitStreamName('model-x'))).toHaveLength(10);
    // Tokens at 0, 200, ..., 1800 ms: at 0 the first is due, nine are ahead.
    expect(coordinator.keys).toEqual([{ key: 'model-x', waiting: 9 }]);
    now = T0 + 1000;
    expect(coordinator.keys).toEqual([{ key: 'model-x', waiting: 4 }]);
    now = T0 + 2000;
    expect(coordinator.keys).toEqual([]);
  });

  it('leads by half again the longest round trip it measured, 250 ms before any, at most 1 s', async () => {
    const coordinator = new RateLimitCoordinator(new InMemoryEventStore(), () => new Date(T0));
    expect(coordinator.leadMs).toBe(250);
    await coordinator.decide([request('a', 0, 0), request('b', 0, 0)]);
    coordinator.tokenArrived('run-a', 'a', 1, new Date(T0 + 40));
    coordinator.tokenArrived('run-b', 'b', 1, new Date(T0 + 60));
    // A second word about the same token (its dispatch after its wait) is not a second hop.
    coordinator.tokenArrived('run-b', 'b', 1, new Date(T0 + 900));
    expect(coordinator.leadMs).toBe(90);
    await coordinator.decide([request('c', 0, 0)]);
    coordinator.tokenArrived('run-c', 'c', 1, new Date(T0 + 5000));
    expect(coordinator.leadMs).toBe(1000);
  });
});
