const NOT_YET = Symbol('not yet');

/** Resolves after the current macrotask: whatever is already buffered resolves before it. */
const afterBufferedItems = () =>
  new Promise<typeof NOT_YET>((resolve) => setImmediate(() => resolve(NOT_YET)));

/**
 * Groups an async iterable into arrays of what is available at once: the first item is awaited, then
 * items are taken for as long as they arrive without waiting for I/O (a page already read), up to
 * `maxSize`. A slow source gives batches of one, so nothing waits for a batch to fill.
 */
export async function* inBatches<T>(source: AsyncIterable<T>, maxSize: number): AsyncGenerator<T[]> {
  const iterator = source[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<T>> | undefined;
  try {
    for (;;) {
      const first = await (pending ?? iterator.next());
      pending = undefined;
      if (first.done) return;
      const batch = [first.value];
      let done = false;
      while (batch.length < maxSize) {
        pending = iterator.next();
        const next = await Promise.race([pending, afterBufferedItems()]);
        if (next === NOT_YET) break;
        pending = undefined;
        if (next.done) {
          done = true;
          break;
        }
        batch.push(next.value);
      }
      yield batch;
      if (done) return;
    }
  } finally {
    await iterator.return?.();
  }
}
