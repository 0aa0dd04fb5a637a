import { type ConcurrencyStrategy } from '@spark/contracts';

import { type Instant } from '../time';

export interface SlotTicket {
  runId: string;
  runAttempt: number;
  since: Instant;
}

/** One concurrency scope (a workflow and a key value): who holds its slots and who waits, in order. */
export interface ConcurrencyState {
  key: string;
  limit: number;
  strategy: ConcurrencyStrategy;
  holders: SlotTicket[];
  waiting: SlotTicket[];
  /** Holders asked to stop under `cancelInProgress` (run ids): not asked twice, not counted as staying. */
  cancelling: string[];
  /** The highest relay position applied (decimal); commands at or below it are replays. */
  lastPosition?: string;
}

export const initialConcurrencyState = (): ConcurrencyState => ({
  key: '',
  limit: 1,
  strategy: 'queue',
  holders: [],
  waiting: [],
  cancelling: [],
});
