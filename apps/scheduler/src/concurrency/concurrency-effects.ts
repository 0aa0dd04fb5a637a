import { type CancelRunCommand, type ConcurrencySlotCommand, Topics } from '@spark/contracts';
import { type RecordedEvent } from '@spark/event-store';
import {
  type ConcurrencyCommand,
  decodeRunEvent,
  type ConcurrencyEvent,
  type RunConcurrency,
  type RunEvent,
} from '@spark/workflow-domain';
import { type RelayEffect } from '../relay/run-event-effects';
import { type ScopeRequest } from '../scopes';

/** A command for a concurrency scope, caused by a relayed run event. */
export type ScopeCommand = ScopeRequest<ConcurrencyCommand>;

const FINAL_RUN_EVENTS = new Set(['RunCompleted', 'RunFailed', 'RunCancelled', 'RunTimedOut']);

/**
 * What a relayed run event asks of its concurrency scope: a slot when the run starts or is retried
 * from failure, giving it back when the run reaches any final state. Pure, like `effectsOf`.
 */
export function scopeCommandOf(
  event: RecordedEvent,
  runId: string,
  concurrency: RunConcurrency | undefined,
  now: Date,
): ScopeCommand | undefined {
  if (!concurrency) return undefined;
  const base = {
    scope: concurrency.scope,
    causationId: `relay:${event.id}`,
    ...(event.metadata.traceparent ? { traceparent: event.metadata.traceparent } : {}),
  };
  const metadata = { now: now.toISOString() };
  const relayPosition = event.position.toString();
  const { key, limit, strategy } = concurrency;
  if (event.type === 'RunStarted' || event.type === 'RunResumed') {
    const decoded = decodeRunEvent(event);
    const runAttempt = decoded.type === 'RunResumed' ? decoded.data.runAttempt : 1;
    return {
      ...base,
      command: {
        type: 'AcquireSlot',
        data: { runId, runAttempt, key, limit, strategy, relayPosition },
        metadata,
      },
    };
  }
  if (FINAL_RUN_EVENTS.has(event.type))
    return { ...base, command: { type: 'ReleaseSlot', data: { runId, key, relayPosition }, metadata } };
  return undefined;
}

/** What a scope's decision means for its runs: a word to the run, or a cancellation. */
export function concurrencyEffectsOf(event: RecordedEvent, now: Date): RelayEffect[] {
  const headers: Record<string, string> = event.metadata.traceparent
    ? { traceparent: event.metadata.traceparent }
    : {};
  const issuedAt = now.toISOString();
  const domainEvent = { type: event.type, data: event.data } as unknown as ConcurrencyEvent;
  const publish = (value: { runId: string }): RelayEffect => ({
    kind: 'publish',
    topic: Topics.commands,
    key: value.runId,
    value,
    headers,
  });
  const { runId, runAttempt } = domainEvent.data;
  switch (domainEvent.type) {
    case 'SlotGranted': {
      const granted: ConcurrencySlotCommand = {
        type: 'ConcurrencySlot',
        commandId: `${event.id}:granted`,
        runId,
        runAttempt,
        outcome: 'granted',
        issuedAt,
      };
      return [publish(granted)];
    }
    case 'SlotQueued': {
      const { inUse, limit, position } = domainEvent.data;
      const queued: ConcurrencySlotCommand = {
        type: 'ConcurrencySlot',
        commandId: `${event.id}:queued`,
        runId,
        runAttempt,
        outcome: 'queued',
        inUse,
        limit,
        position,
        issuedAt,
      };
      return [publish(queued)];
    }
    case 'SlotRefused':
    case 'SlotHolderCancellationRequested': {
      const cancel: CancelRunCommand = {
        type: 'CancelRun',
        commandId: `${event.id}:cancel`,
        runId,
        reason: domainEvent.data.reason,
        issuedAt,
      };
      return [publish(cancel)];
    }
    case 'SlotReleased':
      return [];
    default: {
      const _exhaustive: never = domainEvent;
      return _exhaustive;
    }
  }
}

export const isRunEventWithSlot = (type: string): type is RunEvent['type'] =>
  type === 'RunStarted' || type === 'RunResumed' || FINAL_RUN_EVENTS.has(type);
