import { FreshReads } from './fresh-reads';

/** A read per call of `read`, each held until released, returning the value the store had when it began. */
function heldStore() {
  let value = 0;
  const begun: { valueAtStart: number; release: () => void }[] = [];
  const read = (_key: string) =>
    new Promise<number>((resolve) => {
      const valueAtStart = value;
      begun.push({ valueAtStart, release: () => resolve(valueAtStart) });
    });
  return { begun, read, write: () => (value += 1) };
}

const ticks = () => new Promise((resolve) => setImmediate(resolve));

describe('FreshReads', () => {
  it('gives callers that arrive during a read the next one, shared, and never one begun before their call', async () => {
    const store = heldStore();
    const reads = new FreshReads(store.read);
    const first = reads.get('a');
    store.write();
    const late = [reads.get('a'), reads.get('a'), reads.get('a')];
    await ticks();
    expect(store.begun).toHaveLength(1);
    store.begun[0]!.release();
    expect(await first).toBe(0);
    await ticks();
    // One more read for the three late callers, begun after the write they followed.
    expect(store.begun).toHaveLength(2);
    store.begun[1]!.release();
    expect(await Promise.all(late)).toEqual([1, 1, 1]);
  });

  it('reads at once when nothing is in flight, and keeps keys apart', async () => {
    const store = heldStore();
    const reads = new FreshReads(store.read);
    const a = reads.get('a');
    const b = reads.get('b');
    await ticks();
    expect(store.begun).toHaveLength(2);
    store.begun.forEach((read) => read.release());
    await Promise.all([a, b]);
    await ticks();
    const again = reads.get('a');
    await ticks();
    expect(store.begun).toHaveLength(3);
    store.begun[2]!.release();
    await again;
  });

  it('passes a failed read to its callers only, and the next callers read again', async () => {
    let calls = 0;
    const reads = new FreshReads(async () => {
      calls += 1;
      if (calls === 1) throw new Error('database away');
      return calls;
    });
    const failing = reads.get('a');
    const next = reads.get('a');
    await expect(failing).rejects.toThrow('database away');
    expect(await next).toBe(2);
    expect(await reads.get('a')).toBe(3);
  });
});
