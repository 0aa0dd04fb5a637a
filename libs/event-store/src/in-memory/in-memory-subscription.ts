import { type EventSubscription, type SubscriptionFilter } from '../port/event-store';
import { type RecordedEvent } from '../port/events';

/**
 * A subscription to the in-memory store's `$all`: the stored events after its checkpoint were queued at
 * creation, the store pushes each committed batch; events the filter does not match are dropped on push.
 */
export class InMemorySubscription implements EventSubscription {
  private queue: RecordedEvent[] = [];
  /** The next event to deliver (an index, not shift(): a catch-up may queue many thousands). */
  private head = 0;
  private wake?: () => void;
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
    this.wake?.();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.head = 0;
    this.onClose();
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    try {
      while (!this.closed) {
        if (this.head < this.queue.length) {
          const next = this.queue[this.head++]!;
          if (this.head === this.queue.length) {
            this.queue = [];
            this.head = 0;
          }
          yield next;
          continue;
        }
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
      }
    } finally {
      await this.close();
    }
  }

  private matches(event: RecordedEvent): boolean {
    const { streamNamePrefixes, eventTypes } = this.filter;
    if (streamNamePrefixes && !streamNamePrefixes.some((prefix) => event.streamName.startsWith(prefix)))
      return false;
    return !eventTypes || eventTypes.includes(event.type);
  }
}
