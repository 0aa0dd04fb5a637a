import { type RateLimitTokenCommand, Topics } from '@spark/contracts';
import { type RecordedEvent } from '@spark/event-store';
import {
  decodeRunEvent,
  type RateLimitCommand,
  type RateLimitEvent,
  type TaskRateLimited,
} from '@spark/workflow-domain';
import { type RelayEffect } from '../relay/run-event-effects';
import { type ScopeRequest } from '../scopes';

/** A command for a step rate-limit scope, caused by a relayed run event. */
export type RateLimitScopeCommand = ScopeRequest<RateLimitCommand>;

/** A relayed TaskRateLimited asks its key for a token (docs/adr/0123). Pure, like `effectsOf`. */
export function rateLimitCommandOf(
  event: RecordedEvent,
  runId: string,
  now: Date,
  leadMs: number,
): RateLimitScopeCommand | undefined {
  if (event.type !== 'TaskRateLimited') return undefined;
  const { taskId, attempt, rateLimit } = (decodeRunEvent(event) as TaskRateLimited).data;
  const { scope, key, limit, per, perMs } = rateLimit;
  return {
    scope,
    causationId: `relay:${event.id}`,
    ...(event.metadata.traceparent ? { traceparent: event.metadata.traceparent } : {}),
    command: {
      type: 'RequestToken',
      data: {
        runId,
        taskId,
        attempt,
        key,
        settings: { limit, per, perMs },
        leadMs,
        relayPosition: event.position.toString(),
      },
      metadata: { now: now.toISOString() },
    },
  };
}

/** A key's token goes to its run as an internal command: dispatch at `startAt`. */
export function rateLimitEffectsOf(event: RecordedEvent, now: Date): RelayEffect[] {
  const domainEvent = { type: event.type, data: event.data } as unknown as RateLimitEvent;
  if (domainEvent.type !== 'TokenScheduled') return [];
  const { runId, taskId, attempt, startAt, reason } = domainEvent.data;
  const token: RateLimitTokenCommand = {
    type: 'RateLimitToken',
    commandId: `${event.id}:token`,
    runId,
    taskId,
    attempt,
    startAt,
    reason,
    issuedAt: now.toISOString(),
  };
  return [
    {
      kind: 'publish',
      topic: Topics.commands,
      key: runId,
      value: token,
      headers: event.metadata.traceparent ? { traceparent: event.metadata.traceparent } : {},
    },
  ];
}
