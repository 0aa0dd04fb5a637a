import { type Instant } from '../time';

interface Event<Type extends string, Data> {
  type: Type;
  data: Data;
}

interface Facts {
  runId: string;
  key: string;
  relayPosition: string;
}

/** The run starts its steps at `startAt` (at once when that is not later than its arrival). */
export type StartScheduled = Event<
  'StartScheduled',
  Facts & {
    kind: 'debounce' | 'throttle';
    startAt: Instant;
    reason: string;
    /** Throttle: the limit the start was counted against (the state keeps that many start times). */
    limit?: number;
    /** The first start of the debounced burst this run now stands for. */
    burstStartedAt?: Instant;
  }
>;
/** A later start with the same debounce key took this run's place: it never starts a step. */
export type StartSuperseded = Event<'StartSuperseded', Facts & { by: string; reason: string }>;

export type StartControlEvent = StartScheduled | StartSuperseded;

export const START_CONTROL_EVENT_TYPES = [
  'StartScheduled',
  'StartSuperseded',
] as const satisfies readonly StartControlEvent['type'][];
