import { toInstant, toMillis } from '../time';
import { type RateLimitCommand } from './commands';
import { type RateLimitEvent } from './events';
import { type RateLimitState } from './state';

export const rateLimitReason = (key: string, limit: number, per: string): string =>
  `waiting for rate limit ${key}: ${limit} per ${per}`;

/**
 * The rate-limit decider of one key (docs/adr/0123). Tokens are handed out evenly, one every
 * `per / limit` (a generic cell rate with no burst): the i-th request gets `max(decided, next)` and
 * moves `next` on by one interval, so no window of `per` ever holds more than `limit` tokens, in
 * arrival order. Like the other scopes (0120, 0122), commands come from the relay in log order and a
 * command not past the last relay position applied is a replay that decides nothing. Time counts from
 * the relay's decision (`metadata.now`) plus the measured hop to the run (`leadMs`): a relay that
 * lagged hands out no token times already past, and no token reaches its run after its time.
 */
export const decideRateLimit = (command: RateLimitCommand, state: RateLimitState): RateLimitEvent[] => {
  const { runId, taskId, attempt, key, settings, leadMs = 0, relayPosition } = command.data;
  if (state.lastPosition !== undefined && BigInt(relayPosition) <= BigInt(state.lastPosition)) return [];
  const { limit, per, perMs } = settings;
  const decidedAtMs = toMillis(command.metadata.now);
  const startMs = Math.max(decidedAtMs + leadMs, state.nextAtMs ?? 0);
  return [
    {
      type: 'TokenScheduled',
      data: {
        runId,
        taskId,
        attempt,
        key,
        relayPosition,
        decidedAt: command.metadata.now,
        // Rounded up to the millisecond an instant can say: never earlier than the interval allows.
        startAt: toInstant(Math.ceil(startMs)),
        nextAtMs: startMs + perMs / limit,
        limit,
        per,
        reason: rateLimitReason(key, limit, per),
      },
    },
  ];
};
