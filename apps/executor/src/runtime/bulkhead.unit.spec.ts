import { Bulkhead, Bulkheads } from './bulkhead';

describe('Bulkhead', () => {
  it('runs at most `limit` tasks at once and the rest in arrival order', async () => {
    const bulkhead = new Bulkhead('http', 2);
    const order: string[] = [];
    const releases = await Promise.all([bulkhead.acquire(), bulkhead.acquire()]);
    const third = bulkhead.acquire().then((release) => (order.push('third'), release));
    const fourth = bulkhead.acquire().then((release) => (order.push('fourth'), release));
    await Promise.resolve();
    expect({ inFlight: bulkhead.inFlight, queued: bulkhead.queued }).toEqual({ inFlight: 2, queued: 2 });
    releases[0]!();
    releases[0]!(); // a second release of the same slot changes nothing
    (await third)();
    expect(bulkhead.inFlight).toBe(2);
    releases[1]!();
    (await fourth)();
    expect(order).toEqual(['third', 'fourth']);
    expect({ inFlight: bulkhead.inFlight, queued: bulkhead.queued }).toEqual({ inFlight: 0, queued: 0 });
  });

  it('hands a freed slot to the highest priority waiting, equals in arrival order', async () => {
    const bulkhead = new Bulkhead('sleep', 1);
    const order: string[] = [];
    const release = await bulkhead.acquire();
    const waiters = [
      ['normal-1', 5],
      ['low', 0],
      ['high', 9],
      ['normal-2', 5],
    ].map(([name, priority]) =>
      bulkhead.acquire(priority as number).then((next) => (order.push(name as string), next)),
    );
    await Promise.resolve();
    expect(bulkhead.queuedByPriority()).toEqual({ 0: 1, 5: 2, 9: 1 });
    release();
    for (let i = 0; i < 4; i++) {
      while (order.length <= i) await new Promise((resolve) => setImmediate(resolve));
      (await waiters[['normal-1', 'low', 'high', 'normal-2'].indexOf(order[i]!)]!)();
    }
    expect(order).toEqual(['high', 'normal-1', 'normal-2', 'low']);
  });

  it('gives the slot back when the work fails', async () => {
    const bulkhead = new Bulkhead('x', 1);
    await expect(bulkhead.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(bulkhead.inFlight).toBe(0);
  });

  it('keeps one bulkhead per handler type with its own limit, and reports them', async () => {
    const bulkheads = new Bulkheads((handler) => (handler === 'langflow' ? 8 : 64));
    expect(bulkheads.for('langflow').limit).toBe(8);
    expect(bulkheads.for('http').limit).toBe(64);
    expect(bulkheads.for('http')).toBe(bulkheads.for('http'));
    await bulkheads.for('http').acquire();
    expect(bulkheads.stats()).toEqual({
      langflow: { inFlight: 0, queued: 0, queuedByPriority: {} },
      http: { inFlight: 1, queued: 0, queuedByPriority: {} },
    });
  });
});
