export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * Event metadata. The three named keys carry the run's causality and its trace across services;
 * any other JSON values may ride along.
 */
export type EventMetadata = {
  /** The run (or schedule) this event belongs to. */
  correlationId?: string;
  /** The id of the command or event that caused this one. */
  causationId?: string;
  /** W3C trace context of the span that appended the event. */
  traceparent?: string;
  [key: string]: JsonValue | undefined;
};

/**
 * An event as a decider produces it. Give it a deterministic `id` (a UUID) when the append may be
 * retried: re-appending the same ids with the same expected revision is a no-op that returns the
 * original result. Without an id the store generates a random one.
 */
export type NewEvent<Type extends string = string, Data extends JsonValue = JsonValue> = {
  id?: string;
  type: Type;
  data: Data;
  metadata?: EventMetadata;
};

/** An event as it was stored. */
export type RecordedEvent<Type extends string = string, Data extends JsonValue = JsonValue> = {
  id: string;
  type: Type;
  data: Data;
  metadata: EventMetadata;
  streamName: string;
  /** Position of the event in its stream, from 0. */
  revision: bigint;
  /** Position of the event in the global log (`$all`); strictly increasing in read order. */
  position: bigint;
  recordedAt: Date;
};
