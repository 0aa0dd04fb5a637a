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
      langflow: { inFlight: 0, queued: 0 },
      http: { inFlight: 1, queued: 0 },
    });
  });
});
