import { type AcquireSlot, type ConcurrencyCommand, type ReleaseSlot } from './commands';
import { type ConcurrencyEvent } from './events';
import { evolveConcurrency } from './evolve';
import { type ConcurrencyState } from './state';

/**
 * The concurrency decider of one scope (docs/adr/0120). Commands come from the relay, which reads run
 * events in log order and may replay some after a crash or a change of leader: a command whose relay
 * position is not past the last one applied is a replay and decides nothing, so a slot is never granted
 * twice nor released twice.
 */
export const decideConcurrency = (
  command: ConcurrencyCommand,
  state: ConcurrencyState,
): ConcurrencyEvent[] => {
  const { relayPosition } = command.data;
  if (state.lastPosition !== undefined && BigInt(relayPosition) <= BigInt(state.lastPosition)) return [];
  switch (command.type) {
    case 'AcquireSlot':
      return acquire(command, state);
    case 'ReleaseSlot':
      return release(command, state);
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
};

export const waitingReason = (key: string, inUse: number, limit: number): string =>
  `waiting for concurrency key ${key}: ${inUse} of ${limit} in use`;

const acquire = (command: AcquireSlot, state: ConcurrencyState): ConcurrencyEvent[] => {
  const { runId, runAttempt, key, limit, strategy, relayPosition } = command.data;
  const known = [...state.holders, ...state.waiting].find((ticket) => ticket.runId === runId);
  if (known && known.runAttempt >= runAttempt) return [];
  const facts = { runId, runAttempt, key, relayPosition, at: command.metadata.now };
  const inUse = state.holders.length;
  if (inUse < limit && state.waiting.length === 0)
    return [{ type: 'SlotGranted', data: { ...facts, limit, inUse: inUse + 1 } }];
  const full = `concurrency key ${key}: ${inUse} of ${limit} in use`;
  if (strategy === 'cancelNewest')
    return [{ type: 'SlotRefused', data: { ...facts, limit, inUse, reason: `${full} (cancelNewest)` } }];
  const queued: ConcurrencyEvent = {
    type: 'SlotQueued',
    data: { ...facts, limit, inUse, position: state.waiting.length + 1, strategy },
  };
  if (strategy === 'queue') return [queued];
  // cancelInProgress: the newest `limit` runs stay; the oldest of the others are stopped.
  const events: ConcurrencyEvent[] = [queued];
  let after = evolveConcurrency(state, queued);
  const reason = `cancelled by newer run ${runId} (${full}, cancelInProgress)`;
  for (;;) {
    const staying = after.holders.filter((ticket) => !after.cancelling.includes(ticket.runId));
    if (staying.length + after.waiting.length <= limit) break;
    const oldest = staying[0] ?? after.waiting[0]!;
    const base = { runId: oldest.runId, runAttempt: oldest.runAttempt, key, relayPosition };
    const event: ConcurrencyEvent = staying[0]
      ? { type: 'SlotHolderCancellationRequested', data: { ...base, at: command.metadata.now, reason } }
      : { type: 'SlotRefused', data: { ...base, at: command.metadata.now, limit, inUse, reason } };
    events.push(event);
    after = evolveConcurrency(after, event);
  }
  return events;
};

const release = (command: ReleaseSlot, state: ConcurrencyState): ConcurrencyEvent[] => {
  const { runId, key, relayPosition } = command.data;
  const holder = state.holders.find((ticket) => ticket.runId === runId);
  const waiting = state.waiting.find((ticket) => ticket.runId === runId);
  const ticket = holder ?? waiting;
  if (!ticket) return [];
  const at = command.metadata.now;
  const events: ConcurrencyEvent[] = [
    {
      type: 'SlotReleased',
      data: { runId, runAttempt: ticket.runAttempt, key, relayPosition, at, wasWaiting: !holder },
    },
  ];
  if (!holder) return events;
  let inUse = state.holders.length - 1;
  for (const next of state.waiting) {
    if (inUse >= state.limit) break;
    inUse++;
    events.push({
      type: 'SlotGranted',
      data: {
        runId: next.runId,
        runAttempt: next.runAttempt,
        key,
        relayPosition,
        at,
        limit: state.limit,
        inUse,
      },
    });
  }
  return events;
};
