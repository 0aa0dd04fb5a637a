import { TtlLookup } from './gateway-tables';

describe('TtlLookup', () => {
  const setup = (maxEntries?: number) => {
    let now = 1_000;
    const reads: string[] = [];
    const values: Record<string, string | undefined> = { a: 'A1', b: 'B1', c: 'C1' };
    const lookup = new TtlLookup(
      async (name) => {
        reads.push(name);
        return values[name];
      },
      5_000,
      () => now,
      maxEntries,
    );
    return { lookup, reads, values, advance: (ms: number) => (now += ms) };
  };

  it('remembers a value (and a missing one) for the ttl, then reads it again', async () => {
    const { lookup, reads, values, advance } = setup();
    expect(await lookup.get('a')).toBe('A1');
    expect(await lookup.get('missing')).toBeUndefined();
    values.a = 'A2';
    advance(4_999);
    expect(await lookup.get('a')).toBe('A1');
    expect(await lookup.get('missing')).toBeUndefined();
    expect(reads).toEqual(['a', 'missing']);
    advance(2);
    expect(await lookup.get('a')).toBe('A2');
    expect(reads).toEqual(['a', 'missing', 'a']);
  });

  it('keeps at most maxEntries names, dropping the least recently used', async () => {
    const { lookup, reads } = setup(2);
    await lookup.get('a');
    await lookup.get('b');
    await lookup.get('a');
    await lookup.get('c');
    await lookup.get('a');
    await lookup.get('b');
    expect(reads).toEqual(['a', 'b', 'c', 'b']);
  });

  it('does not remember a read that failed', async () => {
    let fail = true;
    const lookup = new TtlLookup(
      async () => {
        if (fail) throw new Error('down');
        return 'up';
      },
      5_000,
      () => 0,
    );
    await expect(lookup.get('a')).rejects.toThrow('down');
    fail = false;
    await expect(lookup.get('a')).resolves.toBe('up');
  });
});
