import { type ConcurrencyStrategy } from '@spark/contracts';

import { type Instant } from '../time';

interface Event<Type extends string, Data> {
  type: Type;
  data: Data;
}

/**
 * Every event names the run (and its attempt) it is about and the relay position of the run event that
 * caused it: positions only grow, so a replayed command (position already seen) changes nothing.
 */
interface SlotFacts {
  runId: string;
  runAttempt: number;
  key: string;
  /** The global log position (decimal) of the run event the command came from. */
  relayPosition: string;
  at: Instant;
}

export type SlotGranted = Event<'SlotGranted', SlotFacts & { limit: number; inUse: number }>;
/** The run waits: `position` is its place in line (1 = next), `inUse` the slots held when it queued. */
export type SlotQueued = Event<
  'SlotQueued',
  SlotFacts & { limit: number; inUse: number; position: number; strategy: ConcurrencyStrategy }
>;
/** `cancelNewest` with every slot taken, or a waiting run displaced under `cancelInProgress`. */
export type SlotRefused = Event<'SlotRefused', SlotFacts & { limit: number; inUse: number; reason: string }>;
/** `cancelInProgress`: the run holding this slot is asked to stop; it keeps the slot until it has. */
export type SlotHolderCancellationRequested = Event<
  'SlotHolderCancellationRequested',
  SlotFacts & { reason: string }
>;
/** The run reached a final state: its slot (or its place in line) is given up. */
export type SlotReleased = Event<'SlotReleased', SlotFacts & { wasWaiting: boolean }>;

export type ConcurrencyEvent =
  SlotGranted | SlotQueued | SlotRefused | SlotHolderCancellationRequested | SlotReleased;

export type ConcurrencyEventType = ConcurrencyEvent['type'];
export const CONCURRENCY_EVENT_TYPES: readonly ConcurrencyEventType[] = [
  'SlotGranted',
  'SlotQueued',
  'SlotRefused',
  'SlotHolderCancellationRequested',
  'SlotReleased',
];
