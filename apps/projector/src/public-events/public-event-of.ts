import { type PublicEvent, type PublicEventType } from '@spark/contracts';
import { type RecordedEvent } from '@spark/event-store';
import { eventTime } from '@spark/read-model';

/** The CloudEvent envelope of a recorded event: its id, its own time and the trace it belongs to. */
export const publicEventOf = (
  recorded: RecordedEvent,
  type: PublicEventType,
  subject: string,
  data: PublicEvent['data'],
): PublicEvent => ({
  id: recorded.id,
  type,
  subject,
  time: eventTime(recorded, recorded.recordedAt),
  ...(typeof recorded.metadata.traceparent === 'string'
    ? { traceparent: recorded.metadata.traceparent }
    : {}),
  data,
});
