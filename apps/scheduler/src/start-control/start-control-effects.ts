import { type StartControlCommand as StartControlMessage, Topics } from '@spark/contracts';
import { type RecordedEvent } from '@spark/event-store';
import {
  type RunStarted,
  type StartControlCommand,
  type StartControlEvent,
  type StartControlSettings,
} from '@spark/workflow-domain';
import { type RelayEffect } from '../relay/run-event-effects';
import { type ScopeRequest } from '../scopes';

/** A command for a start-control scope, caused by a relayed run event. */
export type StartScopeCommand = ScopeRequest<StartControlCommand>;

/** A relayed RunStarted of a debounced or throttled run asks its scope when it may start. Pure. */
export function startControlCommandOf(
  event: RecordedEvent,
  runId: string,
  now: Date,
): StartScopeCommand | undefined {
  if (event.type !== 'RunStarted') return undefined;
  const { startControl, startedAt } = event.data as unknown as RunStarted['data'];
  if (!startControl) return undefined;
  const settings: StartControlSettings =
    startControl.kind === 'throttle'
      ? { kind: 'throttle', limit: startControl.limit, periodMs: startControl.periodMs }
      : {
          kind: 'debounce',
          periodMs: startControl.periodMs,
          ...(startControl.maxWaitMs === undefined ? {} : { maxWaitMs: startControl.maxWaitMs }),
        };
  return {
    scope: startControl.scope,
    causationId: `relay:${event.id}`,
    ...(event.metadata.traceparent ? { traceparent: event.metadata.traceparent } : {}),
    command: {
      type: 'RequestStart',
      data: {
        runId,
        key: startControl.key,
        settings,
        arrivedAt: startedAt,
        relayPosition: event.position.toString(),
      },
      metadata: { now: now.toISOString() },
    },
  };
}

/** What a scope's decision means for its runs: when to start, or that a later start took its place. */
export function startControlEffectsOf(event: RecordedEvent, now: Date): RelayEffect[] {
  const headers: Record<string, string> = event.metadata.traceparent
    ? { traceparent: event.metadata.traceparent }
    : {};
  const issuedAt = now.toISOString();
  const domainEvent = { type: event.type, data: event.data } as unknown as StartControlEvent;
  const publish = (value: StartControlMessage): RelayEffect => ({
    kind: 'publish',
    topic: Topics.commands,
    key: value.runId,
    value,
    headers,
  });
  switch (domainEvent.type) {
    case 'StartScheduled': {
      const { runId, startAt, reason } = domainEvent.data;
      return [
        publish({
          type: 'StartControl',
          commandId: `${event.id}:scheduled`,
          runId,
          outcome: 'scheduled',
          startAt,
          reason,
          issuedAt,
        }),
      ];
    }
    case 'StartSuperseded': {
      const { runId, by, reason } = domainEvent.data;
      return [
        publish({
          type: 'StartControl',
          commandId: `${event.id}:superseded`,
          runId,
          outcome: 'superseded',
          by,
          reason,
          issuedAt,
        }),
      ];
    }
    default: {
      const _exhaustive: never = domainEvent;
      return _exhaustive;
    }
  }
}
