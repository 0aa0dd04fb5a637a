import { inBatches } from './batches';

async function* timed(items: [number, number][]): AsyncGenerator<number> {
  for (const [value, delayMs] of items) {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    yield value;
  }
}

const collect = async <T>(source: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
};

describe('inBatches', () => {
  it('closes a batch at its size', async () => {
    expect(await collect(inBatches(timed([1, 2, 3, 4, 5].map((n) => [n, 0])), 2, 1000))).toEqual([
      [1, 2],
      [3, 4],
      [5],
    ]);
  });

  it('closes a batch when its window has passed, keeping order', async () => {
    const batches = await collect(
      inBatches(
        timed([
          [1, 0],
          [2, 0],
          [3, 80],
          [4, 0],
        ]),
        100,
        30,
      ),
    );
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('yields nothing for an empty source', async () => {
    expect(await collect(inBatches(timed([]), 10, 10))).toEqual([]);
  });
});
