import { type RateLimitEvent } from './events';
import { type RateLimitState } from './state';

const later = (a: string | undefined, b: string): string =>
  a === undefined || BigInt(b) > BigInt(a) ? b : a;

export const evolveRateLimit = (state: RateLimitState, event: RateLimitEvent): RateLimitState => {
  switch (event.type) {
    case 'TokenScheduled':
      return {
        key: event.data.key,
        nextAtMs: Math.max(state.nextAtMs ?? 0, event.data.nextAtMs),
        lastPosition: later(state.lastPosition, event.data.relayPosition),
      };
    default: {
      const _exhaustive: never = event.type;
      return _exhaustive;
    }
  }
};
