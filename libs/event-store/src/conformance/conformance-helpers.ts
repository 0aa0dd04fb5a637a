import { randomUUID } from 'node:crypto';
import { type EventSubscription } from '../port/event-store';
import { type NewEvent, type RecordedEvent } from '../port/events';

/** A stream-name prefix no other run of the suite (or other test in it) shares. */
export function uniquePrefix(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}`;
}

export function newEvent(
  type: string,
  data: NewEvent['data'] = {},
  metadata: NewEvent['metadata'] = {},
): NewEvent & { id: string } {
  return { id: randomUUID(), type, data, metadata };
}

export function numberedEvents(count: number, type = 'Numbered', from = 0): (NewEvent & { id: string })[] {
  return Array.from({ length: count }, (_, index) => newEvent(type, { n: from + index }));
}

/** Takes `count` events from a subscription, then leaves it; fails when they do not arrive in time. */
export async function take(
  subscription: EventSubscription,
  count: number,
  timeoutMs = 30_000,
): Promise<RecordedEvent[]> {
  const received: RecordedEvent[] = [];
  if (count === 0) return received;
  const timer = setTimeout(() => void subscription.close(), timeoutMs);
  try {
    for await (const event of subscription) {
      received.push(event);
      if (received.length >= count) break;
    }
  } finally {
    clearTimeout(timer);
  }
  if (received.length < count)
    throw new Error(`Subscription delivered ${received.length} of ${count} events within ${timeoutMs} ms`);
  return received;
}

export function expectStrictlyIncreasing(positions: readonly bigint[]): void {
  for (let index = 1; index < positions.length; index++) {
    if (positions[index]! <= positions[index - 1]!) {
      throw new Error(
        `Position ${positions[index]} at index ${index} does not follow ${positions[index - 1]}`,
      );
    }
  }
}
