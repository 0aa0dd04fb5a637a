import { type CommandMetadata } from '../run/commands';

/** The settings a task attempt was rate-limited with (from its step's `rateLimit`). */
export interface RateLimitSettings {
  limit: number;
  /** As written in the definition (`1s`), for the reason shown to users. */
  per: string;
  perMs: number;
}

/** A task attempt asks when it may be dispatched: sent when its TaskRateLimited is relayed. */
export interface RequestToken {
  type: 'RequestToken';
  data: {
    runId: string;
    taskId: string;
    attempt: number;
    key: string;
    settings: RateLimitSettings;
    relayPosition: string;
  };
  metadata: CommandMetadata;
}

export type RateLimitCommand = RequestToken;
