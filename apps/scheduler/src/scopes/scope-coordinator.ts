import { snapshotStreamName } from '@spark/contracts';
import { type DomainEvent, DeciderRepository } from '@spark/engine';
import { type EventStore } from '@spark/event-store';
import { type Decider } from '@spark/workflow-domain';

/** A command for the scope `scope` (a key's aggregate), caused by the relayed event `causationId`. */
export interface ScopeRequest<Command> {
  scope: string;
  command: Command;
  causationId: string;
  traceparent?: string;
}

export interface ScopeKind<State, Command, Event extends DomainEvent> {
  decider: Decider<State, Command, Event>;
  streamNameOf: (scope: string) => string;
  /** Bump when the state's shape changes: older snapshots are then ignored. */
  snapshotSchemaVersion: number;
}

/**
 * Decides the relay's commands for one kind of scope — concurrency slots (docs/adr/0120), debounce and
 * throttle (0122), step rate limits (0123) — against the scopes' streams: a relay batch's commands in
 * one multi-stream append, each stream guarded by its expected revision. Only the relay's leader writes
 * here; a leader that lost leadership and comes back starts from the streams again (`reset`), and a
 * stale writer loses on the revision and reloads. Long-lived scopes are snapshotted every 200 events.
 */
export class ScopeCoordinator<State, Command, Event extends DomainEvent> {
  private repository: DeciderRepository<State, Command, Event>;

  constructor(
    private readonly store: EventStore,
    private readonly kind: ScopeKind<State, Command, Event>,
    /** Told of each scope's state and new events after each decision (gauges). */
    private readonly observe?: (scope: string, state: State, events: readonly Event[]) => void,
  ) {
    this.repository = this.newRepository();
  }

  /** Forgets every cached scope state (on a change of leadership). */
  reset(): void {
    this.repository = this.newRepository();
  }

  async decide(commands: readonly ScopeRequest<Command>[]): Promise<void> {
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
      this.observe?.(commands[index]!.scope, outcome.decided.state, outcome.decided.events);
    });
  }

  private newRepository(): DeciderRepository<State, Command, Event> {
    const { decider, streamNameOf, snapshotSchemaVersion } = this.kind;
    return new DeciderRepository(this.store, decider, streamNameOf, {
      cacheSize: 10_000,
      snapshots: {
        every: 200,
        streamNameOf: (scope) => snapshotStreamName(streamNameOf(scope)),
        schemaVersion: snapshotSchemaVersion,
      },
    });
  }
}
