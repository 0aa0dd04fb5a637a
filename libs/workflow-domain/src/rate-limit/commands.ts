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
    /**
     * How long a token takes to reach its run, as the relay last measured it: no token is due sooner
     * than this after the decision, so every attempt goes out on its run's timer rather than late on
     * arrival, and the spacing survives the hop (docs/adr/0123).
     */
    leadMs?: number;
    relayPosition: string;
  };
  metadata: CommandMetadata;
}

export type RateLimitCommand = RequestToken;
