import { DeciderRepository } from '@spark/engine';
import { type EventStore } from '@spark/event-store';
import {
  startControlDecider,
  startControlStreamName,
  type StartControlCommand,
  type StartControlEvent,
  type StartControlState,
} from '@spark/workflow-domain';
import { type StartScopeCommand } from './start-control-effects';

type StartControlRepository = DeciderRepository<StartControlState, StartControlCommand, StartControlEvent>;

/** Bump when StartControlState's shape changes: older snapshots are then ignored. */
const START_CONTROL_SNAPSHOT_SCHEMA = 1;

/**
 * Decides the relay's start requests against the debounce and throttle scopes' streams
 * (`start-control-<scope>`), a relay batch's commands in one multi-stream append guarded by the
 * streams' revisions (docs/adr/0122, the same shape as the concurrency scopes of 0120). Only the
 * relay's leader writes here; a leader that comes back starts from the streams again (`reset`).
 */
export class StartControlCoordinator {
  private repository: StartControlRepository;

  constructor(private readonly store: EventStore) {
    this.repository = this.newRepository();
  }

  reset(): void {
    this.repository = this.newRepository();
  }

  async decide(commands: readonly StartScopeCommand[]): Promise<void> {
    if (commands.length === 0) return;
    const outcomes = await this.repository.handleBatch(
      commands.map(({ scope, command, causationId, traceparent }) => ({
        id: scope,
        command,
        context: { causationId, ...(traceparent ? { traceparent } : {}) },
      })),
    );
    for (const outcome of outcomes) if (!outcome.ok) throw outcome.error;
  }

  private newRepository(): StartControlRepository {
    return new DeciderRepository(this.store, startControlDecider, startControlStreamName, {
      cacheSize: 10_000,
      snapshots: {
        every: 200,
        streamNameOf: (scope) => `snapshot-${startControlStreamName(scope)}`,
        schemaVersion: START_CONTROL_SNAPSHOT_SCHEMA,
      },
    });
  }
}
