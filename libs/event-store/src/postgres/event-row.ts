import { type EventMetadata, type JsonValue, type RecordedEvent } from '../port/events';

/** Numbers and JSON come back as text, whatever type parsers the process has installed. */
export type EventRow = {
  position: string;
  stream_name: string;
  revision: string;
  event_id: string;
  event_type: string;
  data: string;
  metadata: string;
  recorded_at: Date;
};

export const EVENT_COLUMNS =
  'position::text AS position, stream_name, revision::text AS revision, event_id::text AS event_id, event_type, data::text AS data, metadata::text AS metadata, recorded_at';

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.event_type,
    data: JSON.parse(row.data) as JsonValue,
    metadata: JSON.parse(row.metadata) as EventMetadata,
    streamName: row.stream_name,
    revision: BigInt(row.revision),
    position: BigInt(row.position),
    recordedAt: row.recorded_at,
  };
}
