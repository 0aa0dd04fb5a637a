import { type ExpectedRevision } from '../port/expected-revision';

export type EventStoreErrorCode = 'CONCURRENCY_CONFLICT' | 'STREAM_NOT_FOUND' | 'VALIDATION';

/** Base of every error the event store raises on purpose; check `code` or `instanceof`. */
export abstract class EventStoreError extends Error {
  abstract readonly code: EventStoreErrorCode;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The stream's current revision did not satisfy the append's expected revision. */
export class ConcurrencyConflictError extends EventStoreError {
  readonly code = 'CONCURRENCY_CONFLICT';

  constructor(
    readonly streamName: string,
    readonly expectedRevision: ExpectedRevision,
    /** The stream's revision when the append was refused; `'no_stream'` when it did not exist. */
    readonly actualRevision: bigint | 'no_stream',
    options?: ErrorOptions,
  ) {
    super(
      `Concurrency conflict on stream "${streamName}": expected ${String(expectedRevision)}, actual ${String(actualRevision)}`,
      options,
    );
  }
}

export class StreamNotFoundError extends EventStoreError {
  readonly code = 'STREAM_NOT_FOUND';

  constructor(
    readonly streamName: string,
    options?: ErrorOptions,
  ) {
    super(`Stream "${streamName}" not found`, options);
  }
}

/** The caller's input was refused before anything was written. */
export class EventStoreValidationError extends EventStoreError {
  readonly code = 'VALIDATION';

  constructor(
    message: string,
    /** Where in the input the problem is, e.g. `events[2].data.items[0]`. */
    readonly path?: string,
    options?: ErrorOptions,
  ) {
    super(path ? `${message} (at ${path})` : message, options);
  }
}
