/**
 * Event-store stream names: one registry, so the writers, the relay's subscription and the readers agree.
 * - `run-<runId>`: one run (scheduler's run decider).
 * - `schedule-<scheduleId>`: one schedule (gateway and scheduler).
 * - `concurrency-<scope>`: one run-level concurrency scope (docs/adr/0120).
 * - `start-control-<scope>`: one debounce or throttle key of a workflow (docs/adr/0122).
 * - `rate-limit-<scope>`: one step rate-limit key, shared across workflows (docs/adr/0123).
 * - `snapshot-<stream>`: snapshots of a long-lived stream; nothing relays or projects them.
 */
export const RUN_STREAM_PREFIX = 'run-';
export const SCHEDULE_STREAM_PREFIX = 'schedule-';
export const CONCURRENCY_STREAM_PREFIX = 'concurrency-';
export const START_CONTROL_STREAM_PREFIX = 'start-control-';
export const RATE_LIMIT_STREAM_PREFIX = 'rate-limit-';
export const SNAPSHOT_STREAM_PREFIX = 'snapshot-';

/** Event store stream of one run. */
export const runStreamName = (runId: string): string => `${RUN_STREAM_PREFIX}${runId}`;
/** The run of a run stream; undefined for any other stream. */
export const runIdOfStream = (streamName: string): string | undefined =>
  streamName.startsWith(RUN_STREAM_PREFIX) ? streamName.slice(RUN_STREAM_PREFIX.length) : undefined;

/** Event store stream of one schedule. */
export const scheduleStreamName = (scheduleId: string): string => `${SCHEDULE_STREAM_PREFIX}${scheduleId}`;

/** Event store stream of one run-level concurrency scope: a workflow and a key value. */
export const concurrencyStreamName = (scope: string): string => `${CONCURRENCY_STREAM_PREFIX}${scope}`;

/** Event store stream of one debounce or throttle scope: a workflow and a key value. */
export const startControlStreamName = (scope: string): string => `${START_CONTROL_STREAM_PREFIX}${scope}`;

/** Event store stream of one step rate-limit key. */
export const rateLimitStreamName = (scope: string): string => `${RATE_LIMIT_STREAM_PREFIX}${scope}`;

/** Where the snapshots of a stream are kept. */
export const snapshotStreamName = (streamName: string): string => `${SNAPSHOT_STREAM_PREFIX}${streamName}`;

/**
 * - `source-<name>` / `secret-<name>`: a registered source or secret as executors see it (gateway writes,
 *   executors fold; docs/adr/0134). Events in `libs/contracts/src/source-directory`.
 */
export const SOURCE_STREAM_PREFIX = 'source-';
export const SECRET_STREAM_PREFIX = 'secret-';

/** Event store stream of one registered source (a LangFlow or agent server). */
export const sourceStreamName = (name: string): string => `${SOURCE_STREAM_PREFIX}${name}`;

/** Event store stream of one registered secret of http steps. */
export const secretStreamName = (name: string): string => `${SECRET_STREAM_PREFIX}${name}`;
