import { randomUUID } from 'node:crypto';
import { EventStoreValidationError } from '../errors/event-store-errors';
import {
  type AppendOptions,
  type ReadAllOptions,
  type ReadStreamOptions,
  type SubscribeToAllOptions,
} from './event-store';
import { type EventMetadata, type JsonValue, type NewEvent } from './events';
import { type ExpectedRevision } from './expected-revision';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const METADATA_STRING_KEYS = ['correlationId', 'causationId', 'traceparent'] as const;

/** An event checked by `validateAppend`: id filled in, data and metadata already serialised. */
export type ValidatedEvent = {
  id: string;
  type: string;
  data: JsonValue;
  metadata: EventMetadata;
  dataJson: string;
  metadataJson: string;
};

export function validateStreamName(streamName: unknown, path = 'streamName'): asserts streamName is string {
  if (typeof streamName !== 'string' || streamName.length === 0) {
    throw new EventStoreValidationError('A stream name must be a non-empty string', path);
  }
  if (streamName.includes('\u0000'))
    throw new EventStoreValidationError('A stream name may not contain NUL', path);
}

export function validateExpectedRevision(expected: unknown): asserts expected is ExpectedRevision {
  if (expected === 'no_stream' || expected === 'stream_exists' || expected === 'any') return;
  if (typeof expected !== 'bigint') {
    throw new EventStoreValidationError(
      `The expected revision must be a bigint or 'no_stream' | 'stream_exists' | 'any', got ${describe(expected)}`,
      'expectedRevision',
    );
  }
  if (expected < 0n) {
    throw new EventStoreValidationError(`A revision cannot be negative, got ${expected}`, 'expectedRevision');
  }
}

/** Checks a multi-stream append: each part as `validateAppend` does, and no stream twice. */
export function validateMultiStreamAppend(
  appends: readonly { streamName: unknown; events: readonly NewEvent[]; expectedRevision: unknown }[],
): ValidatedEvent[][] {
  if (!Array.isArray(appends))
    throw new EventStoreValidationError('A multi-stream append needs an array of appends', 'appends');
  const streams = new Set<string>();
  const metadataSeen: MetadataSeen = new Map();
  return appends.map((append, index) => {
    try {
      const validated = validateAppend(
        append.streamName,
        append.events,
        { expectedRevision: append.expectedRevision as ExpectedRevision },
        metadataSeen,
      );
      if (streams.has(append.streamName as string))
        throw new EventStoreValidationError(
          'A stream may appear once in a multi-stream append',
          'streamName',
        );
      streams.add(append.streamName as string);
      return validated;
    } catch (error) {
      if (error instanceof EventStoreValidationError)
        throw new EventStoreValidationError(
          error.message.replace(/ \(at [^)]*\)$/, ''),
          `appends[${index}]${error.path ? `.${error.path}` : ''}`,
        );
      throw error;
    }
  });
}

/** Checks everything an append carries; throws EventStoreValidationError before anything is written. */
export function validateAppend(
  streamName: unknown,
  events: readonly NewEvent[],
  options: AppendOptions | undefined,
  metadataSeen: MetadataSeen = new Map(),
): ValidatedEvent[] {
  validateStreamName(streamName);
  validateExpectedRevision(options?.expectedRevision);
  if (!Array.isArray(events) || events.length === 0) {
    throw new EventStoreValidationError('An append needs a non-empty array of events', 'events');
  }
  const seenIds = new Set<string>();
  return events.map((event, index) => {
    const path = `events[${index}]`;
    if (typeof event !== 'object' || event === null)
      throw new EventStoreValidationError('An event must be an object', path);
    const id = event.id ?? randomUUID();
    if (typeof id !== 'string' || !UUID.test(id))
      throw new EventStoreValidationError('An event id must be a UUID', `${path}.id`);
    const normalisedId = id.toLowerCase();
    if (seenIds.has(normalisedId))
      throw new EventStoreValidationError('Event ids must be unique in an append', `${path}.id`);
    seenIds.add(normalisedId);
    if (typeof event.type !== 'string' || event.type.length === 0 || event.type.includes('\u0000')) {
      throw new EventStoreValidationError('An event type must be a non-empty string', `${path}.type`);
    }
    assertJson(event.data, `${path}.data`);
    const { metadata, metadataJson } = checkedMetadata(event.metadata, `${path}.metadata`, metadataSeen);
    return {
      id: normalisedId,
      type: event.type,
      data: event.data,
      metadata,
      dataJson: JSON.stringify(event.data),
      metadataJson,
    };
  });
}

export function validateReadStream(streamName: unknown, options: ReadStreamOptions | undefined): void {
  validateStreamName(streamName);
  validateDirection(options?.direction);
  if (options?.fromRevision !== undefined) validateNonNegativeBigint(options.fromRevision, 'fromRevision');
  if (options?.maxCount !== undefined) validateMaxCount(options.maxCount);
}

export function validateReadAll(options: ReadAllOptions | undefined): void {
  validateDirection(options?.direction);
  if (options?.fromPosition !== undefined) validateNonNegativeBigint(options.fromPosition, 'fromPosition');
  if (options?.maxCount !== undefined) validateMaxCount(options.maxCount);
}

export function validateSubscribeToAll(options: SubscribeToAllOptions | undefined): void {
  if (options?.fromPosition !== undefined) validateNonNegativeBigint(options.fromPosition, 'fromPosition');
  const filter = options?.filter;
  if (filter === undefined) return;
  for (const key of ['streamNamePrefixes', 'eventTypes'] as const) {
    const values = filter[key];
    if (values === undefined) continue;
    if (!Array.isArray(values) || values.some((value) => typeof value !== 'string' || value.length === 0)) {
      throw new EventStoreValidationError('A filter must be an array of non-empty strings', `filter.${key}`);
    }
  }
}

/** Accepts only what JSON can represent faithfully: no undefined, functions, bigints, NaN, class instances or cycles. */
export function assertJson(
  value: unknown,
  path: string,
  ancestors: object[] = [],
): asserts value is JsonValue {
  // Every event of every append passes here: check without building paths first, and walk again
  // with them only to say where a value is wrong.
  if (ancestors.length === 0 && isPlainJson(value, [])) return;
  assertJsonAt(value, path, ancestors);
}

/** The same rules as `assertJsonAt`, as a yes/no; `stack` holds the objects above `value`. */
function isPlainJson(value: unknown, stack: object[]): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (stack.includes(value)) return false;
      stack.push(value);
      let plain = true;
      if (Array.isArray(value)) {
        for (let index = 0; plain && index < value.length; index++)
          plain = !(index in value) || isPlainJson(value[index], stack);
      } else {
        const prototype: unknown = Object.getPrototypeOf(value);
        if (prototype !== Object.prototype && prototype !== null) plain = false;
        else
          for (const key of Object.keys(value)) {
            if (!isPlainJson((value as Record<string, unknown>)[key], stack)) {
              plain = false;
              break;
            }
          }
      }
      stack.pop();
      return plain;
    }
    default:
      return false;
  }
}

function assertJsonAt(value: unknown, path: string, ancestors: object[]): asserts value is JsonValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new EventStoreValidationError(`${value} is not valid JSON`, path);
      return;
    case 'object': {
      if (value === null) return;
      if (ancestors.includes(value))
        throw new EventStoreValidationError('Circular reference is not valid JSON', path);
      const inner = [...ancestors, value];
      if (Array.isArray(value)) {
        value.forEach((item, index) => assertJsonAt(item, `${path}[${index}]`, inner));
        return;
      }
      const prototype: unknown = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) {
        throw new EventStoreValidationError(
          `A ${value.constructor?.name ?? 'class'} instance is not plain JSON`,
          path,
        );
      }
      for (const [key, item] of Object.entries(value)) assertJsonAt(item, `${path}.${key}`, inner);
      return;
    }
    default:
      throw new EventStoreValidationError(`A ${typeof value} is not valid JSON`, path);
  }
}

/**
 * Metadata objects already checked in this append, with their JSON: the events of one decision share
 * one metadata object, and it is checked and serialised once (nothing runs between the events' checks
 * that could change it).
 */
type MetadataSeen = Map<object, { metadata: EventMetadata; metadataJson: string }>;

function checkedMetadata(
  metadata: unknown,
  path: string,
  seen: MetadataSeen,
): { metadata: EventMetadata; metadataJson: string } {
  const known = typeof metadata === 'object' && metadata !== null ? seen.get(metadata) : undefined;
  if (known) return known;
  const validated = validateMetadata(metadata, path);
  const checked = { metadata: validated, metadataJson: JSON.stringify(validated) };
  if (typeof metadata === 'object' && metadata !== null) seen.set(metadata, checked);
  return checked;
}

function validateMetadata(metadata: unknown, path: string): EventMetadata {
  if (metadata === undefined) return {};
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new EventStoreValidationError('Metadata must be a JSON object', path);
  }
  const defined: Record<string, unknown> = Object.fromEntries(
    Object.entries(metadata).filter(([, value]) => value !== undefined),
  );
  for (const [key, value] of Object.entries(defined)) assertJson(value, `${path}.${key}`);
  for (const key of METADATA_STRING_KEYS) {
    if (key in defined && typeof defined[key] !== 'string') {
      throw new EventStoreValidationError(`${key} must be a string`, `${path}.${key}`);
    }
  }
  return defined as EventMetadata;
}

function validateDirection(direction: unknown): void {
  if (direction !== undefined && direction !== 'forwards' && direction !== 'backwards') {
    throw new EventStoreValidationError(
      `Direction must be 'forwards' or 'backwards', got ${describe(direction)}`,
      'direction',
    );
  }
}

function validateNonNegativeBigint(value: unknown, path: string): void {
  if (typeof value !== 'bigint')
    throw new EventStoreValidationError(`Must be a bigint, got ${describe(value)}`, path);
  if (value < 0n) throw new EventStoreValidationError(`Cannot be negative, got ${value}`, path);
}

function validateMaxCount(maxCount: unknown): void {
  if (typeof maxCount !== 'number' || !Number.isSafeInteger(maxCount) || maxCount < 1) {
    throw new EventStoreValidationError(
      `maxCount must be a positive integer, got ${describe(maxCount)}`,
      'maxCount',
    );
  }
}

function describe(value: unknown): string {
  return typeof value === 'bigint' ? `${value}n` : typeof value === 'string' ? `'${value}'` : String(value);
}
