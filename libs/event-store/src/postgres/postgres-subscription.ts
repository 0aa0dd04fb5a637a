import { type EventSubscription, type SubscriptionFilter } from '../port/event-store';
import { type RecordedEvent } from '../port/events';
import { type ChangeNotifier } from './change-notifier';
import { type EventRow, toRecordedEvent } from './event-row';

type Page = { rows: EventRow[]; barrier: bigint; heldBack: boolean };

export type PostgresSubscriptionOptions = {
  fromPosition: bigint;
  filter: SubscriptionFilter;
  batchSize: number;
  pollIntervalMs: number;
  notifier: ChangeNotifier;
  readPage: (from: bigint, limit: number, filter: SubscriptionFilter) => Promise<Page>;
  onClose: (subscription: PostgresSubscription) => void;
};

/** A committed event exists above the barrier: look again soon rather than at the next poll. */
const HELD_BACK_FIRST_RETRY_MS = 2;

/**
 * Catch-up then live over `$all`: reads pages below the visibility barrier, and when caught up waits
 * for a NOTIFY (or the poll interval) before reading again.
 */
export class PostgresSubscription implements EventSubscription {
  private closed = false;
  private iterating = false;

  constructor(private readonly options: PostgresSubscriptionOptions) {}

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    if (this.iterating) throw new Error('A subscription can be iterated only once');
    this.iterating = true;
    return this.events();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.options.onClose(this);
    this.options.notifier.wakeAll();
  }

  private async *events(): AsyncGenerator<RecordedEvent> {
    const { notifier, batchSize, filter, pollIntervalMs } = this.options;
    // The scan cursor may run ahead of the last delivered event when a filter skips rows.
    let cursor = this.options.fromPosition;
    let heldBackRetryMs = HELD_BACK_FIRST_RETRY_MS;
    try {
      await notifier.start();
      while (!this.closed) {
        const generation = notifier.currentGeneration;
        const page = await this.options.readPage(cursor, batchSize, filter);
        for (const row of page.rows) {
          if (this.closed) return;
          const event = toRecordedEvent(row);
          cursor = event.position;
          yield event;
        }
        if (page.rows.length === batchSize) continue;
        // Everything below the barrier has been scanned; nothing can commit there any more.
        if (page.barrier - 1n > cursor) cursor = page.barrier - 1n;
        if (page.heldBack) {
          await notifier.waitForChange(generation, heldBackRetryMs);
          heldBackRetryMs = Math.min(heldBackRetryMs * 2, pollIntervalMs);
        } else {
          heldBackRetryMs = HELD_BACK_FIRST_RETRY_MS;
          await notifier.waitForChange(generation, pollIntervalMs);
        }
      }
    } finally {
      await this.close();
    }
  }
}
