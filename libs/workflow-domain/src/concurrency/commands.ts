import { type ConcurrencyStrategy } from '@spark/contracts';

import { type CommandMetadata } from '../run/commands';

interface Command<Type extends string, Data> {
  type: Type;
  data: Data;
  metadata: CommandMetadata;
}

/** A run (at `runAttempt`) asks for a slot: sent when its RunStarted or RunResumed is relayed. */
export type AcquireSlot = Command<
  'AcquireSlot',
  {
    runId: string;
    runAttempt: number;
    key: string;
    limit: number;
    strategy: ConcurrencyStrategy;
    relayPosition: string;
  }
>;
/** A run reached a final state: sent when its RunCompleted/Failed/Cancelled/TimedOut is relayed. */
export type ReleaseSlot = Command<'ReleaseSlot', { runId: string; key: string; relayPosition: string }>;

export type ConcurrencyCommand = AcquireSlot | ReleaseSlot;
