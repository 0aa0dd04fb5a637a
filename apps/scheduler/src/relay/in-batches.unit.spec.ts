import { inBatches } from './in-batches';

async function* pages(...sizes: number[]) {
  let n = 0;
  for (const size of sizes) {
    // A page read from the database: the wait, then its rows one after another without I/O.
    await new Promise((resolve) => setTimeout(resolve, 5));
    for (let index = 0; index < size; index++) yield n++;
  }
}

const collect = async <T>(source: AsyncIterable<T[]>) => {
  const batches: T[][] = [];
  for await (const batch of source) batches.push(batch);
  return batches;
};

describe('inBatches', () => {
  it('takes what is available at once, up to the maximum, and never waits for a batch to fill', async () => {
    const batches = await collect(inBatches(pages(3, 1, 5), 4));
    expect(batches).toEqual([[0, 1, 2], [3], [4, 5, 6, 7], [8]]);
  });

  it('ends with the source, and closes it when the consumer stops early', async () => {
    expect(await collect(inBatches(pages(), 4))).toEqual([]);
    let closed = false;
    async function* endless() {
      try {
        for (let n = 0; ; n++) {
          await new Promise((resolve) => setTimeout(resolve, 1));
          yield n;
        }
      } finally {
        closed = true;
      }
    }
    for await (const batch of inBatches(endless(), 10)) {
      expect(batch).toEqual([0]);
      break;
    }
    expect(closed).toBe(true);
  });
});
