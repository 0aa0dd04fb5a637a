import { concurrencyStreamName, snapshotStreamName } from '@spark/contracts';
import { DeciderRepository } from '@spark/engine';
import { type EventStore } from '@spark/event-store';
import {
  concurrencyDecider,
  type ConcurrencyCommand,
  type ConcurrencyEvent,
  type ConcurrencyState,
} from '@spark/workflow-domain';
import { type ScopeCommand } from './concurrency-effects';

type ConcurrencyRepository = DeciderRepository<ConcurrencyState, ConcurrencyCommand, ConcurrencyEvent>;

/** Bump when ConcurrencyState's shape changes: older snapshots are then ignored. */
const CONCURRENCY_SNAPSHOT_SCHEMA = 1;

/** Slots in use and runs waiting, per scope, as last decided by this instance. */
export interface ScopeGauge {
  workflow: string;
  key: string;
  inUse: number;
  waiting: number;
}

/**
 * Decides the relay's slot requests and releases against the scopes' streams (`concurrency-<scope>`),
 * a relay batch's commands in one multi-stream append guarded by the streams' revisions
 * (docs/adr/0120). Only the relay's leader writes here; a leader that lost leadership and comes back
 * starts from the streams again (`reset`), and a stale writer loses on the expected revision.
 */
export class ConcurrencyCoordinator {
  private repository: ConcurrencyRepository;
  private readonly gauges = new Map<string, ScopeGauge>();

  constructor(private readonly store: EventStore) {
    this.repository = this.newRepository();
  }

  /** Forgets every cached scope state (on a change of leadership). */
  reset(): void {
    this.repository = this.newRepository();
    this.gauges.clear();
  }

  async decide(commands: readonly ScopeCommand[]): Promise<void> {
    if (commands.length === 0) return;
    const outcomes = await this.repository.handleBatch(
      commands.map(({ scope, command, causationId, traceparent }) => ({
        id: scope,
        command,
        context: { causationId, ...(traceparent ? { traceparent } : {}) },
      })),
    );
    outcomes.forEach((outcome, index) => {
      if (!outcome.ok) throw outcome.error;
      const { scope } = commands[index]!;
      const { state } = outcome.decided;
      // An idle key is not reported: keys may be as many as tenants or users, gauges must not grow with them.
      if (state.holders.length === 0 && state.waiting.length === 0) {
        this.gauges.delete(scope);
        return;
      }
      this.gauges.set(scope, {
        workflow: scope.split(':')[1] ?? '',
        key: state.key,
        inUse: state.holders.length,
        waiting: state.waiting.length,
      });
    });
  }

  /** The scopes with a slot in use or a run waiting, as this leader last decided them. */
  get scopes(): ScopeGauge[] {
    return [...this.gauges.values()];
  }

  private newRepository(): ConcurrencyRepository {
    return new DeciderRepository(this.store, concurrencyDecider, concurrencyStreamName, {
      cacheSize: 10_000,
      snapshots: {
        every: 200,
        streamNameOf: (scope) => snapshotStreamName(concurrencyStreamName(scope)),
        schemaVersion: CONCURRENCY_SNAPSHOT_SCHEMA,
      },
    });
  }
}
