import { type EventSubscription, type SubscriptionFilter } from '../port/event-store';
import { type RecordedEvent } from '../port/events';

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * A subscription to the in-memory store's `$all`: the stored events after its checkpoint were queued at
 * creation, the store pushes each committed batch; events the filter does not match are dropped on push.
 * A hand-written iterator rather than an async generator: `return()` must end a `next()` that is still
 * waiting for an event (a generator would queue the return behind it, and wait forever).
 */
export class InMemorySubscription implements EventSubscription {
  private queue: RecordedEvent[] = [];
  /** The next event to deliver (an index, not shift(): a catch-up may queue many thousands). */
  private head = 0;
  private waiting: (() => void)[] = [];
  private iterating = false;
  private closed = false;

  constructor(
    backlog: readonly RecordedEvent[],
    private readonly filter: SubscriptionFilter,
    private readonly onClose: () => void,
  ) {
    this.push(backlog);
  }

  push(events: readonly RecordedEvent[]): void {
    if (this.closed) return;
    for (const event of events) if (this.matches(event)) this.queue.push(event);
    this.wakeAll();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.head = 0;
    this.onClose();
    this.wakeAll();
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    if (this.iterating) throw new Error('A subscription can be iterated only once');
    this.iterating = true;
    return {
      next: () => this.next(),
      return: async () => {
        await this.close();
        return DONE;
      },
    };
  }

  private async next(): Promise<IteratorResult<RecordedEvent>> {
    while (!this.closed) {
      if (this.head < this.queue.length) {
        const value = this.queue[this.head++]!;
        if (this.head === this.queue.length) {
          this.queue = [];
          this.head = 0;
        }
        return { done: false, value };
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    return DONE;
  }

  private wakeAll(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
  }

  private matches(event: RecordedEvent): boolean {
    const { streamNamePrefixes, eventTypes } = this.filter;
    if (streamNamePrefixes && !streamNamePrefixes.some((prefix) => event.streamName.startsWith(prefix)))
      return false;
    return !eventTypes || eventTypes.includes(event.type);
  }
}
