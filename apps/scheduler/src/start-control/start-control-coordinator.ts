import { type EventStore } from '@spark/event-store';
import {
  startControlDecider,
  startControlStreamName,
  type StartControlCommand,
  type StartControlEvent,
  type StartControlState,
} from '@spark/workflow-domain';
import { ScopeCoordinator } from '../scopes';

/**
 * Decides the relay's start requests against the debounce and throttle scopes' streams
 * (`start-control-<scope>`, docs/adr/0122) with the shared scope machinery.
 */
export class StartControlCoordinator extends ScopeCoordinator<
  StartControlState,
  StartControlCommand,
  StartControlEvent
> {
  constructor(store: EventStore) {
    super(store, {
      decider: startControlDecider,
      streamNameOf: startControlStreamName,
      snapshotSchemaVersion: 1,
    });
  }
}
