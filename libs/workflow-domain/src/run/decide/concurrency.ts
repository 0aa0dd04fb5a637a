import { type RecordConcurrencySlot } from '../commands';
import { concurrencySlotEvents } from '../concurrency-gate';
import { advance } from './dag';
import { type Decision } from './decision';

/** The word of the run's concurrency scope: a run granted its slot starts its steps, else it waits. */
export const concurrencySlot = async (d: Decision, command: RecordConcurrencySlot): Promise<void> => {
  const events = concurrencySlotEvents(d.run, command, d.now);
  if (events.length === 0) return;
  d.emit(...events);
  await advance(d);
};
