import { type StartControlEvent } from './events';
import { type StartControlState } from './state';

const later = (a: string | undefined, b: string): string =>
  a === undefined || BigInt(b) > BigInt(a) ? b : a;

export const evolveStartControl = (state: StartControlState, event: StartControlEvent): StartControlState => {
  const next = {
    ...state,
    key: event.data.key,
    lastPosition: later(state.lastPosition, event.data.relayPosition),
  };
  switch (event.type) {
    case 'StartScheduled': {
      const { kind, runId, startAt, burstStartedAt, limit } = event.data;
      if (kind === 'throttle')
        return { ...next, recentStarts: [...state.recentStarts, startAt].slice(-(limit ?? 1)) };
      return { ...next, pending: { runId, startAt, burstStartedAt: burstStartedAt ?? startAt } };
    }
    case 'StartSuperseded':
      return next;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
};
