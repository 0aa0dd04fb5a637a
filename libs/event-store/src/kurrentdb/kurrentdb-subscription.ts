import { type EventSubscription } from '../port/event-store';
import { type RecordedEvent } from '../port/events';
import { type AllStreamSubscription, toRecordedEvent } from './kurrentdb-mapping';

/** Adapts the client's $all subscription (a Node stream) to the port: mapped, filtered, closable. */
export class KurrentSubscription implements EventSubscription {
  private closed = false;
  private iterating = false;

  constructor(
    private readonly subscription: AllStreamSubscription,
    private readonly wanted: (event: RecordedEvent) => boolean,
    private readonly onClose: (subscription: KurrentSubscription) => void,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    if (this.iterating) throw new Error('A subscription can be iterated only once');
    this.iterating = true;
    return this.events();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onClose(this);
    await this.subscription.unsubscribe();
    // unsubscribe cancels the call; ending the readable lets a pending `for await` finish.
    this.subscription.destroy();
  }

  private async *events(): AsyncGenerator<RecordedEvent> {
    try {
      for await (const resolved of this.subscription) {
        if (this.closed) return;
        const event = toRecordedEvent(resolved);
        if (event && this.wanted(event)) yield event;
      }
    } catch (error) {
      if (!this.closed) throw error;
    } finally {
      await this.close();
    }
  }
}
