const settled = (): void => undefined;

/**
 * Reads by key for callers that each need a read begun after their call (read-your-writes), without a
 * read per caller: the first caller starts one; callers arriving while it is in flight share the next,
 * which begins once it ends. Under load that is at most two reads per key in flight, whatever the number
 * of callers; when idle, no added wait.
 */
export class FreshReads<Key, Value> {
  private readonly reads = new Map<Key, { running: Promise<Value>; next?: Promise<Value> }>();

  constructor(private readonly read: (key: Key) => Promise<Value>) {}

  get(key: Key): Promise<Value> {
    const entry = this.reads.get(key);
    if (!entry) return this.start(key);
    return (entry.next ??= entry.running.then(settled, settled).then(() => this.start(key)));
  }

  private start(key: Key): Promise<Value> {
    const running = this.read(key);
    const entry: { running: Promise<Value>; next?: Promise<Value> } = { running };
    this.reads.set(key, entry);
    // Runs before the `next` of this read starts (one step earlier in the promise chain), so an entry
    // that has a `next` is left for it to replace.
    const done = (): void => {
      if (this.reads.get(key) === entry && !entry.next) this.reads.delete(key);
    };
    running.then(done, done);
    return running;
  }
}
