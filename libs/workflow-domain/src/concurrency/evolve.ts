import { type ConcurrencyEvent } from './events';
import { type ConcurrencyState, type SlotTicket } from './state';

const later = (a: string | undefined, b: string): string =>
  a === undefined || BigInt(b) > BigInt(a) ? b : a;

const without = (tickets: SlotTicket[], runId: string): SlotTicket[] =>
  tickets.filter((ticket) => ticket.runId !== runId);

export const evolveConcurrency = (state: ConcurrencyState, event: ConcurrencyEvent): ConcurrencyState => {
  const { data } = event;
  const next = { ...state, key: data.key, lastPosition: later(state.lastPosition, data.relayPosition) };
  const ticket: SlotTicket = { runId: data.runId, runAttempt: data.runAttempt, since: data.at };
  switch (event.type) {
    case 'SlotGranted':
      return {
        ...next,
        limit: event.data.limit,
        holders: [...without(state.holders, data.runId), ticket],
        waiting: without(state.waiting, data.runId),
      };
    case 'SlotQueued':
      return {
        ...next,
        limit: event.data.limit,
        strategy: event.data.strategy,
        waiting: [...without(state.waiting, data.runId), ticket],
      };
    case 'SlotRefused':
      return { ...next, limit: event.data.limit, waiting: without(state.waiting, data.runId) };
    case 'SlotHolderCancellationRequested':
      return { ...next, cancelling: [...state.cancelling.filter((id) => id !== data.runId), data.runId] };
    case 'SlotReleased':
      return {
        ...next,
        holders: without(state.holders, data.runId),
        waiting: without(state.waiting, data.runId),
        cancelling: state.cancelling.filter((id) => id !== data.runId),
      };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
};
