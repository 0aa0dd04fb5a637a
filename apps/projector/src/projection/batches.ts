/**
 * Groups an async stream into batches: a batch closes at `maxSize` items or `windowMs` after its first
 * item, whichever comes first. Items are pulled one at a time in order (nothing interleaves).
 */
export async function* inBatches<T>(
  source: AsyncIterable<T>,
  maxSize: number,
  windowMs: number,
): AsyncGenerator<T[]> {
  const iterator = source[Symbol.asyncIterator]();
  const timedOut = Symbol('timedOut');
  let next = iterator.next();
  try {
    for (;;) {
      const first = await next;
      if (first.done) return;
      const batch = [first.value];
      next = iterator.next();
      const deadline = Date.now() + windowMs;
      while (batch.length < maxSize) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) break;
        let timer: NodeJS.Timeout | undefined;
        const result = await Promise.race([
          next,
          new Promise<typeof timedOut>((resolve) => (timer = setTimeout(() => resolve(timedOut), remaining))),
        ]);
        clearTimeout(timer);
        if (result === timedOut) break;
        if (result.done) {
          yield batch;
          return;
        }
        batch.push(result.value);
        next = iterator.next();
      }
      yield batch;
    }
  } finally {
    await iterator.return?.();
  }
}
