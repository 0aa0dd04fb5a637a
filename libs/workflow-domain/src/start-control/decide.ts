import { addMillis, toMillis } from '../time';
import { type RequestStart, type StartControlCommand } from './commands';
import { type StartControlEvent } from './events';
import { type StartControlState } from './state';

/**
 * The start-control decider of one scope (docs/adr/0122). Like the concurrency scopes (0120), its
 * commands come from the relay in log order; a command not past the last relay position applied is a
 * replay and decides nothing. Every time is counted from the runs' own start times, so a replay or a
 * slow relay decides the same.
 */
export const decideStartControl = (
  command: StartControlCommand,
  state: StartControlState,
): StartControlEvent[] => {
  const { relayPosition } = command.data;
  if (state.lastPosition !== undefined && BigInt(relayPosition) <= BigInt(state.lastPosition)) return [];
  switch (command.type) {
    case 'RequestStart':
      return command.data.settings.kind === 'throttle' ? throttle(command, state) : debounce(command, state);
    default: {
      const _exhaustive: never = command.type;
      return _exhaustive;
    }
  }
};

const latest = (...instants: string[]): string =>
  instants.reduce((a, b) => (toMillis(b) > toMillis(a) ? b : a));
const earliest = (...instants: string[]): string =>
  instants.reduce((a, b) => (toMillis(b) < toMillis(a) ? b : a));

/**
 * The i-th start gets `max(decided, start[i-1], start[i-limit] + period)`: never earlier than the one
 * before it, and never a `limit`+1-th start inside one period. It counts from when the relay decides
 * (`metadata.now`), not from the run's start: a relay that lagged (a failover) must not hand out
 * start times already past, which would all start at once.
 */
const throttle = (command: RequestStart, state: StartControlState): StartControlEvent[] => {
  const { runId, key, settings, arrivedAt, relayPosition } = command.data;
  if (settings.kind !== 'throttle') return [];
  const { limit, periodMs } = settings;
  const recent = state.recentStarts;
  const decidedAt = latest(arrivedAt, command.metadata.now);
  const candidates = [decidedAt];
  if (recent.length > 0) candidates.push(recent.at(-1)!);
  if (recent.length >= limit) candidates.push(addMillis(recent[recent.length - limit]!, periodMs));
  const startAt = latest(...candidates);
  const waits = toMillis(startAt) > toMillis(decidedAt);
  return [
    {
      type: 'StartScheduled',
      data: {
        runId,
        key,
        relayPosition,
        kind: 'throttle',
        startAt,
        limit,
        reason: waits
          ? `throttled: key ${key} allows ${limit} starts per ${periodMs} ms; starts at ${startAt}`
          : `throttle key ${key}: started at once`,
      },
    },
  ];
};

/**
 * A start while another run of the key is still pending takes its place (the earlier one is
 * superseded), keeps the burst's first start, and moves the start to `period` after itself — but
 * never past `maxWait` after the burst's first start.
 */
const debounce = (command: RequestStart, state: StartControlState): StartControlEvent[] => {
  const { runId, key, settings, arrivedAt, relayPosition } = command.data;
  if (settings.kind !== 'debounce') return [];
  const { periodMs, maxWaitMs } = settings;
  const pending = state.pending;
  if (pending?.runId === runId) return [];
  const inBurst = pending !== undefined && toMillis(arrivedAt) < toMillis(pending.startAt);
  const burstStartedAt = inBurst ? pending.burstStartedAt : arrivedAt;
  const quietAt = addMillis(arrivedAt, periodMs);
  const startAt = maxWaitMs === undefined ? quietAt : earliest(quietAt, addMillis(burstStartedAt, maxWaitMs));
  const events: StartControlEvent[] = [];
  if (inBurst)
    events.push({
      type: 'StartSuperseded',
      data: {
        runId: pending.runId,
        key,
        relayPosition,
        by: runId,
        reason: `debounced: superseded by the later start ${runId} (debounce key ${key})`,
      },
    });
  events.push({
    type: 'StartScheduled',
    data: {
      runId,
      key,
      relayPosition,
      kind: 'debounce',
      startAt,
      burstStartedAt,
      reason: `debounced: key ${key} starts after ${periodMs} ms without another start${
        maxWaitMs === undefined ? '' : ` (at the latest ${addMillis(burstStartedAt, maxWaitMs)})`
      }; starts at ${startAt}`,
    },
  });
  return events;
};
