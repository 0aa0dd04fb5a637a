/**
 * Runs work for one key at a time, in arrival order; different keys run concurrently. Keeps one
 * run's commands and task results (two topics) from racing each other inside one instance.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.runAll([key], work);
  }

  /**
   * Runs work once every key is free, holding all of them. Keys wait in arrival order (each caller
   * registers on all its keys at once), so callers with overlapping keys cannot deadlock.
   */
  async runAll<T>(keys: Iterable<string>, work: () => Promise<T>): Promise<T> {
    const unique = [...new Set(keys)];
    const previous = Promise.all(unique.map((key) => this.tails.get(key) ?? Promise.resolve()));
    const result = previous.then(work, work);
    const tail = result.catch(() => undefined);
    for (const key of unique) this.tails.set(key, tail);
    try {
      return await result;
    } finally {
      for (const key of unique) if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  get size(): number {
    return this.tails.size;
  }
}
