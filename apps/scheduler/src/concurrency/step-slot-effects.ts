import { concurrencyStreamName, type StepSlotCommand, Topics } from '@spark/contracts';
import { type RecordedEvent } from '@spark/event-store';
import {
  type ConcurrencyEvent,
  parseStepSlotHolder,
  STEP_SLOT_SCOPE_PREFIX,
  stepSlotHolder,
  type TaskAwaitingSlot,
  type TaskSlotReleased,
} from '@spark/workflow-domain';
import { type RelayEffect } from '../relay/run-event-effects';
import { type ScopeCommand } from './concurrency-effects';

/** Streams of step-level concurrency scopes (docs/adr/0124), beside the run-level ones. */
export const STEP_SLOT_STREAM_PREFIX = concurrencyStreamName(STEP_SLOT_SCOPE_PREFIX);

/**
 * What a relayed run event asks of a step concurrency key: a slot for an attempt that awaits one, and
 * giving it back when the decider says the attempt left it. The holders are attempts of tasks
 * (`runId/taskId`, the attempt as the ticket's attempt) where the run-level scopes hold runs. Pure.
 */
export function stepSlotCommandOf(event: RecordedEvent, runId: string, now: Date): ScopeCommand | undefined {
  if (event.type !== 'TaskAwaitingSlot' && event.type !== 'TaskSlotReleased') return undefined;
  const base = {
    causationId: `relay:${event.id}`,
    ...(event.metadata.traceparent ? { traceparent: event.metadata.traceparent } : {}),
  };
  const metadata = { now: now.toISOString() };
  const relayPosition = event.position.toString();
  if (event.type === 'TaskAwaitingSlot') {
    const { taskId, attempt, slot } = event.data as unknown as TaskAwaitingSlot['data'];
    return {
      ...base,
      scope: slot.scope,
      command: {
        type: 'AcquireSlot',
        data: {
          runId: stepSlotHolder(runId, taskId),
          runAttempt: attempt,
          key: slot.key,
          limit: slot.limit,
          strategy: 'queue',
          relayPosition,
        },
        metadata,
      },
    };
  }
  const { taskId, scope, key } = event.data as unknown as TaskSlotReleased['data'];
  return {
    ...base,
    scope,
    command: {
      type: 'ReleaseSlot',
      data: { runId: stepSlotHolder(runId, taskId), key, relayPosition },
      metadata,
    },
  };
}

/** A step key's decision goes to the attempt's run: granted, or queued with its place in line. */
export function stepSlotEffectsOf(event: RecordedEvent, now: Date): RelayEffect[] {
  const domainEvent = { type: event.type, data: event.data } as unknown as ConcurrencyEvent;
  if (domainEvent.type !== 'SlotGranted' && domainEvent.type !== 'SlotQueued') return [];
  const { runId, taskId } = parseStepSlotHolder(domainEvent.data.runId);
  const common = {
    type: 'StepSlot' as const,
    runId,
    taskId,
    attempt: domainEvent.data.runAttempt,
    issuedAt: now.toISOString(),
  };
  const value: StepSlotCommand =
    domainEvent.type === 'SlotGranted'
      ? { ...common, commandId: `${event.id}:granted`, outcome: 'granted' }
      : {
          ...common,
          commandId: `${event.id}:queued`,
          outcome: 'queued',
          inUse: domainEvent.data.inUse,
          limit: domainEvent.data.limit,
          position: domainEvent.data.position,
        };
  return [
    {
      kind: 'publish',
      topic: Topics.commands,
      key: runId,
      value,
      headers: event.metadata.traceparent ? { traceparent: event.metadata.traceparent } : {},
    },
  ];
}
