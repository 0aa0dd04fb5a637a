import { type CommandMetadata } from '../run/commands';

/** The settings of a run's debounce or throttle, in milliseconds (as on its RunStarted). */
export type StartControlSettings =
  | { kind: 'debounce'; periodMs: number; maxWaitMs?: number }
  | { kind: 'throttle'; limit: number; periodMs: number };

/** A run asks when it may start: sent when its RunStarted is relayed. */
export interface RequestStart {
  type: 'RequestStart';
  data: {
    runId: string;
    key: string;
    settings: StartControlSettings;
    /** When the run was started (its RunStarted): the time every decision counts from. */
    arrivedAt: string;
    relayPosition: string;
  };
  metadata: CommandMetadata;
}

export type StartControlCommand = RequestStart;
