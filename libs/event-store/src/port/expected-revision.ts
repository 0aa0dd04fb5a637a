/**
 * What the appender believes about the stream before its events are added:
 * - a bigint: the stream's last event has exactly this revision (revisions start at 0);
 * - `'no_stream'`: the stream has no events yet;
 * - `'stream_exists'`: the stream has at least one event;
 * - `'any'`: no check.
 */
export type ExpectedRevision = bigint | 'no_stream' | 'stream_exists' | 'any';

export const NO_STREAM = 'no_stream' as const;
export const STREAM_EXISTS = 'stream_exists' as const;
export const ANY = 'any' as const;
