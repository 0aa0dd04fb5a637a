import { type EventStore } from '@spark/event-store';
import {
  startControlDecider,
  startControlStreamName,
  type StartControlCommand,
  type StartControlEvent,
  type StartControlState,
} from '@spark/workflow-domain';
import { ScopeCoordinator } from '../scopes';

/** Runs of one debounce or throttle key waiting for their start time, as this leader decided them. */
export interface StartControlGauge {
  control: 'debounce' | 'throttle';
  workflow: string;
  key: string;
  pending: number;
}

/**
 * Decides the relay's start requests against the debounce and throttle scopes' streams
 * (`start-control-<scope>`, docs/adr/0122) with the shared scope machinery, and remembers the start
 * times it handed out that are still ahead (the gauge of pending starts).
 */
export class StartControlCoordinator extends ScopeCoordinator<
  StartControlState,
  StartControlCommand,
  StartControlEvent
> {
  /** Per scope, the runs waiting for their start time (epoch ms). */
  private readonly pendingByScope = new Map<string, Map<string, number>>();

  constructor(
    store: EventStore,
    private readonly clock: () => Date = () => new Date(),
  ) {
    super(
      store,
      { decider: startControlDecider, streamNameOf: startControlStreamName, snapshotSchemaVersion: 1 },
      (scope, _state, events) => this.observeStarts(scope, events),
    );
  }

  override reset(): void {
    super.reset();
    this.pendingByScope.clear();
  }

  /** Keys with a start still ahead; a key with none is not reported (its series disappears). */
  get pending(): StartControlGauge[] {
    const now = this.clock().getTime();
    const gauges: StartControlGauge[] = [];
    for (const [scope, runs] of this.pendingByScope) {
      for (const [runId, startAt] of runs) if (startAt <= now) runs.delete(runId);
      if (runs.size === 0) {
        this.pendingByScope.delete(scope);
        continue;
      }
      const [control, workflow = '', ...key] = scope.split(':');
      gauges.push({
        control: control === 'debounce' ? 'debounce' : 'throttle',
        workflow,
        key: key.join(':'),
        pending: runs.size,
      });
    }
    return gauges;
  }

  private observeStarts(scope: string, events: readonly StartControlEvent[]): void {
    const runs = this.pendingByScope.get(scope) ?? new Map<string, number>();
    for (const event of events) {
      if (event.type === 'StartScheduled') runs.set(event.data.runId, Date.parse(event.data.startAt));
      else runs.delete(event.data.runId);
    }
    this.pendingByScope.set(scope, runs);
  }
}
