import { type Decider } from '../shared';
import { type RateLimitCommand } from './commands';
import { decideRateLimit } from './decide';
import { type RateLimitEvent } from './events';
import { evolveRateLimit } from './evolve';
import { initialRateLimitState, type RateLimitState } from './state';

export const rateLimitDecider: Decider<RateLimitState, RateLimitCommand, RateLimitEvent> = {
  decide: decideRateLimit,
  evolve: evolveRateLimit,
  initialState: initialRateLimitState,
};

export { RATE_LIMIT_STREAM_PREFIX, rateLimitStreamName } from '@spark/contracts';

/** A step rate-limit scope: the key value alone, so every step and workflow naming it shares it. */
export const rateLimitScope = (key: string): string => key;
