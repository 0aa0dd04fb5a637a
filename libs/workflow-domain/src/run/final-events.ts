import { type RunEvent } from './events';

/** The events that end a run: one of them is a run stream's last word (until a retry from failure). */
export const FINAL_RUN_EVENT_TYPES = [
  'RunCompleted',
  'RunFailed',
  'RunCancelled',
  'RunTimedOut',
] as const satisfies readonly RunEvent['type'][];

export type FinalRunEventType = (typeof FINAL_RUN_EVENT_TYPES)[number];

export const isFinalRunEventType = (type: string): type is FinalRunEventType =>
  (FINAL_RUN_EVENT_TYPES as readonly string[]).includes(type);
