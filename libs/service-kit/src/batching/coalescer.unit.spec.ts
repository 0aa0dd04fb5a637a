import { Coalescer } from './coalescer';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
};

describe('Coalescer', () => {
  it('flushes at once when idle, and what arrives during a flush together in the next', async () => {
    const flushes: number[][] = [];
    const gate = deferred();
    const coalescer = new Coalescer<number, string>(async (items) => {
      flushes.push(items);
      if (flushes.length === 1) await gate.promise;
      return items.map((item) => `r${item}`);
    });
    const first = coalescer.submit(1);
    const later = [coalescer.submit(2), coalescer.submit(3), coalescer.submit(4)];
    expect(flushes).toEqual([[1]]);
    gate.resolve();
    expect(await first).toBe('r1');
    expect(await Promise.all(later)).toEqual(['r2', 'r3', 'r4']);
    expect(flushes).toEqual([[1], [2, 3, 4]]);
  });

  it('splits a queue longer than the largest batch', async () => {
    const flushes: number[][] = [];
    const coalescer = new Coalescer<number, number>(async (items) => {
      flushes.push(items);
      return items;
    }, 2);
    const results = await Promise.all([1, 2, 3, 4, 5].map((item) => coalescer.submit(item)));
    expect(results).toEqual([1, 2, 3, 4, 5]);
    expect(flushes).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('flushes the items of a failed batch one by one: a bad item fails alone', async () => {
    const flushes: number[][] = [];
    const gate = deferred();
    const coalescer = new Coalescer<number, number>(async (items) => {
      flushes.push(items);
      if (flushes.length === 1) await gate.promise;
      if (items.includes(3)) throw new Error('3 is refused');
      return items;
    });
    const first = coalescer.submit(1);
    const batch = [2, 3, 4].map((item) => coalescer.submit(item));
    gate.resolve();
    expect(await first).toBe(1);
    const settled = await Promise.allSettled(batch);
    expect(settled.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(flushes).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
  });

  it('rejects the items of a failed flush only, and goes on with the next', async () => {
    let calls = 0;
    const gate = deferred();
    const coalescer = new Coalescer<number, number>(async (items) => {
      calls++;
      if (calls === 1) {
        await gate.promise;
        throw new Error('database away');
      }
      return items.map((item) => item * 10);
    });
    const failed = coalescer.submit(1);
    const next = coalescer.submit(2);
    gate.resolve();
    await expect(failed).rejects.toThrow('database away');
    expect(await next).toBe(20);
  });

  it('rejects when the flush returns a result count that does not match', async () => {
    const coalescer = new Coalescer<number, number>(async () => []);
    await expect(coalescer.submit(1)).rejects.toThrow('a flush of 1 items returned 0 results');
  });
});
