import { context, ROOT_CONTEXT } from '@opentelemetry/api';

/**
 * Hands items to `flush` as callers submit them, one flush at a time: items submitted while a flush
 * is in flight wait and go together in the next one (up to `maxBatch`). No added delay when idle, one
 * round trip for many callers under load. `flush` returns one result per item, in order. When a flush
 * of several items throws, each of them is flushed again on its own, so one bad item fails alone.
 */
export class Coalescer<Item, Result> {
  private queue: { item: Item; resolve: (result: Result) => void; reject: (error: unknown) => void }[] = [];
  private flushing = false;

  constructor(
    private readonly flush: (items: Item[]) => Promise<Result[]>,
    private readonly maxBatch = 500,
  ) {}

  submit(item: Item): Promise<Result> {
    const result = new Promise<Result>((resolve, reject) => this.queue.push({ item, resolve, reject }));
    // The flush serves many callers: it must not run in the trace of whichever one started it.
    if (!this.flushing) void context.with(ROOT_CONTEXT, () => this.drain());
    return result;
  }

  private async drain(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const results = await this.flushChecked(batch.map((entry) => entry.item));
          batch.forEach((entry, index) => entry.resolve(results[index]!));
        } catch (error) {
          if (batch.length === 1) batch[0]!.reject(error);
          else
            for (const entry of batch)
              await this.flushChecked([entry.item]).then(([result]) => entry.resolve(result!), entry.reject);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private async flushChecked(items: Item[]): Promise<Result[]> {
    const results = await this.flush(items);
    if (results.length !== items.length)
      throw new Error(`a flush of ${items.length} items returned ${results.length} results`);
    return results;
  }
}
