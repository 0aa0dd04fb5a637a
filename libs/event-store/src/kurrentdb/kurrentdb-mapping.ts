import {
  type AllStreamSubscription,
  type AppendStreamState,
  eventTypeFilter,
  excludeSystemEvents,
  type Filter,
  type Position,
  type ResolvedEvent,
  streamNameFilter,
} from '@kurrent/kurrentdb-client';
import { type SubscriptionFilter } from '../port/event-store';
import { type EventMetadata, type JsonValue, type RecordedEvent } from '../port/events';
import { type ExpectedRevision } from '../port/expected-revision';

/**
 * Our single bigint position is KurrentDB's commit position. Prepare positions differ from commit
 * positions only for explicit (TCP-era) transactions, which this adapter never writes, so a position
 * goes back to the server as { commit: p, prepare: p } (ADR 0022).
 */
export function toKurrentPosition(position: bigint): Position {
  return { commit: position, prepare: position };
}

export function toStreamState(expected: ExpectedRevision): AppendStreamState {
  return expected;
}

/** System events (`$`-prefixed streams and types) never reach callers of the port. */
export function isSystemEvent(streamName: string, type: string): boolean {
  return streamName.startsWith('$') || type.startsWith('$');
}

/**
 * KurrentDB filters on either stream name or event type, not both: with both, the server filters on
 * stream-name prefixes and `matchesTypes` finishes the job.
 */
export function toServerFilter(filter: SubscriptionFilter): {
  server: Filter;
  matchesTypes: (type: string) => boolean;
} {
  const types = filter.eventTypes && filter.eventTypes.length > 0 ? new Set(filter.eventTypes) : undefined;
  const matchesTypes = (type: string) => !types || types.has(type);
  if (filter.streamNamePrefixes && filter.streamNamePrefixes.length > 0) {
    return { server: streamNameFilter({ prefixes: [...filter.streamNamePrefixes] }), matchesTypes };
  }
  if (types) {
    const alternatives = [...types].map((type) => type.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    return { server: eventTypeFilter({ regex: `^(?:${alternatives.join('|')})$` }), matchesTypes };
  }
  return { server: excludeSystemEvents(), matchesTypes };
}

export function toRecordedEvent(resolved: ResolvedEvent): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event) return undefined;
  const position = event.position?.commit ?? resolved.commitPosition;
  if (position === undefined) throw new Error(`KurrentDB returned event ${event.id} without a position`);
  return {
    id: event.id,
    type: event.type,
    data: decodeData(event.data),
    metadata: decodeMetadata(event.metadata),
    streamName: event.streamId,
    revision: event.revision,
    position,
    recordedAt: event.created,
  };
}

export type { AllStreamSubscription };

function decodeData(data: unknown): JsonValue {
  if (data instanceof Uint8Array) {
    // Written by another client as binary: hand it over as JSON when it is JSON, else as base64.
    const text = Buffer.from(data).toString('utf8');
    try {
      return JSON.parse(text) as JsonValue;
    } catch {
      return Buffer.from(data).toString('base64');
    }
  }
  return data as JsonValue;
}

function decodeMetadata(metadata: unknown): EventMetadata {
  if (metadata instanceof Uint8Array) {
    try {
      return decodeMetadata(JSON.parse(Buffer.from(metadata).toString('utf8')));
    } catch {
      return {};
    }
  }
  return typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata)
    ? (metadata as EventMetadata)
    : {};
}
