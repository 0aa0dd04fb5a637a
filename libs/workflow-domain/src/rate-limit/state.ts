/** One step rate-limit key (shared by every step, workflow and run that names it). */
export interface RateLimitState {
  key: string;
  /**
   * The earliest time (epoch ms, possibly fractional: `per / limit` need not be whole) the next token
   * may be handed out; absent before the first.
   */
  nextAtMs?: number;
  /** The highest relay position applied (decimal); commands at or below it are replays. */
  lastPosition?: string;
}

export const initialRateLimitState = (): RateLimitState => ({ key: '' });
