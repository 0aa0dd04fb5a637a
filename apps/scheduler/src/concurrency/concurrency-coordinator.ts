import { concurrencyStreamName } from '@spark/contracts';
import { type EventStore } from '@spark/event-store';
import {
  concurrencyDecider,
  type ConcurrencyCommand,
  type ConcurrencyEvent,
  type ConcurrencyState,
  STEP_SLOT_SCOPE_PREFIX,
} from '@spark/workflow-domain';
import { ScopeCoordinator } from '../scopes';
import { type ScopeCommand } from './concurrency-effects';

/** Slots in use and runs waiting, per scope, as last decided by this instance. */
export interface ScopeGauge {
  workflow: string;
  key: string;
  inUse: number;
  waiting: number;
}

/**
 * Decides the relay's slot requests and releases against the scopes' streams (`concurrency-<scope>`,
 * docs/adr/0120) with the shared scope machinery, and keeps the gauges of the keys in use.
 */
export class ConcurrencyCoordinator {
  private readonly gauges = new Map<string, ScopeGauge>();
  private readonly scopesOf: ScopeCoordinator<ConcurrencyState, ConcurrencyCommand, ConcurrencyEvent>;

  constructor(store: EventStore) {
    this.scopesOf = new ScopeCoordinator(
      store,
      { decider: concurrencyDecider, streamNameOf: concurrencyStreamName, snapshotSchemaVersion: 1 },
      (scope, state) => this.observe(scope, state),
    );
  }

  /** Forgets every cached scope state (on a change of leadership). */
  reset(): void {
    this.scopesOf.reset();
    this.gauges.clear();
  }

  decide(commands: readonly ScopeCommand[]): Promise<void> {
    return this.scopesOf.decide(commands);
  }

  /** The scopes with a slot in use or a run waiting, as this leader last decided them. */
  get scopes(): ScopeGauge[] {
    return [...this.gauges.values()];
  }

  private observe(scope: string, state: ConcurrencyState): void {
    // An idle key is not reported: keys may be as many as tenants or users, gauges must not grow with them.
    if (state.holders.length === 0 && state.waiting.length === 0) {
      this.gauges.delete(scope);
      return;
    }
    this.gauges.set(scope, {
      // A step-level key (`step:<key>`) is shared across workflows.
      workflow: scope.startsWith(STEP_SLOT_SCOPE_PREFIX) ? '*' : (scope.split(':')[1] ?? ''),
      key: state.key,
      inUse: state.holders.length,
      waiting: state.waiting.length,
    });
  }
}
