/**
 * The schema version of the run events this code writes. It goes into each event's metadata
 * (`schemaVersion`); an event without one is version 1 (written before versions were recorded).
 * Raise it with every change old streams cannot be read as, and add the upcaster from the previous one.
 */
export const RUN_EVENT_SCHEMA_VERSION = 2;

/** The metadata key of an event's schema version. */
export const SCHEMA_VERSION_KEY = 'schemaVersion';

/** The schema version an event was written with, from its metadata. */
export const schemaVersionOf = (metadata: Readonly<Record<string, unknown>> | undefined): number => {
  const value = metadata?.[SCHEMA_VERSION_KEY];
  if (value === undefined) return 1;
  const version = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(version) || version < 1)
    throw new RunEventDecodeError(`schema version ${JSON.stringify(value)} is not a positive integer`);
  return version;
};

/** A stored event that is not a run event this code can read. */
export class RunEventDecodeError extends Error {
  readonly code = 'RUN_EVENT_UNDECODABLE';

  constructor(message: string) {
    super(message);
    this.name = 'RunEventDecodeError';
  }
}
