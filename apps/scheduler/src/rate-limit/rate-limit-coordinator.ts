import { type EventStore } from '@spark/event-store';
import {
  rateLimitDecider,
  rateLimitStreamName,
  type RateLimitCommand,
  type RateLimitEvent,
  type RateLimitState,
} from '@spark/workflow-domain';
import { ScopeCoordinator } from '../scopes';
import { type RateLimitScopeCommand } from './rate-limit-effects';

/** Task attempts whose token's time has not come yet, per rate-limit key. */
export interface RateLimitGauge {
  key: string;
  waiting: number;
}

/**
 * Decides the relay's token requests against the rate-limit keys' streams (`rate-limit-<key>`,
 * docs/adr/0123) with the shared scope machinery, and remembers the token times it handed out that
 * are still ahead (the gauge of what waits).
 */
export class RateLimitCoordinator {
  /** Per key, the start times (epoch ms) of the tokens this leader handed out, earliest first. */
  private readonly ahead = new Map<string, number[]>();
  private readonly scopesOf: ScopeCoordinator<RateLimitState, RateLimitCommand, RateLimitEvent>;

  constructor(
    store: EventStore,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.scopesOf = new ScopeCoordinator(
      store,
      { decider: rateLimitDecider, streamNameOf: rateLimitStreamName, snapshotSchemaVersion: 1 },
      (scope, _state, events) => this.observe(scope, events),
    );
  }

  reset(): void {
    this.scopesOf.reset();
    this.ahead.clear();
  }

  decide(commands: readonly RateLimitScopeCommand[]): Promise<void> {
    return this.scopesOf.decide(commands);
  }

  /** Keys with a task attempt waiting for its token's time, as this leader decided them. */
  get keys(): RateLimitGauge[] {
    const now = this.clock().getTime();
    const gauges: RateLimitGauge[] = [];
    for (const [key, times] of this.ahead) {
      const firstAhead = times.findIndex((time) => time > now);
      if (firstAhead === -1) {
        // A key with nothing waiting is not reported: its series disappears rather than showing 0.
        this.ahead.delete(key);
        continue;
      }
      times.splice(0, firstAhead);
      gauges.push({ key, waiting: times.length });
    }
    return gauges;
  }

  private observe(scope: string, events: readonly RateLimitEvent[]): void {
    for (const event of events) {
      const times = this.ahead.get(scope) ?? [];
      times.push(Date.parse(event.data.startAt));
      this.ahead.set(scope, times);
    }
  }
}
