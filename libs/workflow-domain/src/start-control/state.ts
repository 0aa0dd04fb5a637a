import { type Instant } from '../time';

/** One debounce or throttle scope (a workflow and a key value). */
export interface StartControlState {
  key: string;
  /** Throttle: the start times handed out, newest last, as many as the limit (older ones no longer bind). */
  recentStarts: Instant[];
  /** Debounce: the run that stands for the current burst, until its start time passes. */
  pending?: { runId: string; startAt: Instant; burstStartedAt: Instant };
  /** The highest relay position applied (decimal); commands at or below it are replays. */
  lastPosition?: string;
}

export const initialStartControlState = (): StartControlState => ({ key: '', recentStarts: [] });
