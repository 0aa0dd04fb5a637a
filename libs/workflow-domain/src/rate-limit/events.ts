import { type Instant } from '../time';

interface Event<Type extends string, Data> {
  type: Type;
  data: Data;
}

/** The attempt may be dispatched at `startAt`; the key's next token is not before `nextAtMs`. */
export type TokenScheduled = Event<
  'TokenScheduled',
  {
    runId: string;
    taskId: string;
    attempt: number;
    key: string;
    relayPosition: string;
    /** When the relay decided (the hop to the run is measured from here). */
    decidedAt: Instant;
    startAt: Instant;
    nextAtMs: number;
    limit: number;
    per: string;
    /** e.g. "waiting for rate limit model-x: 5 per 1s". */
    reason: string;
  }
>;

export type RateLimitEvent = TokenScheduled;

export const RATE_LIMIT_EVENT_TYPES = ['TokenScheduled'] as const satisfies readonly RateLimitEvent['type'][];
