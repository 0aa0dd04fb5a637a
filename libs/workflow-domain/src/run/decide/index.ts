import { type RunCommand } from '../commands';
import { type RunEvent } from '../events';
import { type RunState } from '../state';
import { cancelRun } from './cancel';
import { childRunFinished } from './child-runs';
import { concurrencySlot } from './concurrency';
import { rateLimitToken } from './rate-limit';
import { startControl } from './start-control';
import { stepSlot, withSlotReleases } from './step-slots';
import { onLiveRun } from './decision';
import { retryRunFromFailure } from './retry-from-failure';
import { startRun } from './start';
import { heartbeat, taskFailed, taskStarted, taskSucceeded } from './task-results';
import { fireTimer } from './timers';
import { receiveSignal } from './wait-signal';

/**
 * The run decider. Asynchronous only because JSONata is; deterministic all the same (docs/adr/0010).
 * Every consequence of a command is decided at once: a result can complete a step, dispatch the steps it
 * unblocks, fail the run and start its compensations, all in the events of one decision.
 *
 * Results that do not concern the current attempt of a live task (stale attempts, duplicates, results after
 * the run finished) and timers that lapsed are ignored: they produce no events. Commands from users that do not
 * apply (cancel a completed run, signal a finished run, retry a run that did not fail) throw IllegalStateError.
 *
 * One module a concern: `decision` (the working state of one decision), `start`, `dag` (readiness and
 * completion), `map`, `switch`, `wait-signal`, `dispatch`, `task-results`, `retries`, `timers`, `child-runs`,
 * `compensation` (failure and saga), `cancel`, `retry-from-failure`, `concurrency`, `start-control`, `rate-limit`, `step-slots`.
 */
export const decide = async (command: RunCommand, state: RunState): Promise<RunEvent[]> =>
  withSlotReleases(state, await decideCommand(command, state));

const decideCommand = async (command: RunCommand, state: RunState): Promise<RunEvent[]> => {
  switch (command.type) {
    case 'StartRun':
      return startRun(command, state);
    case 'RecordTaskStarted':
      return onLiveRun(state, command.metadata.now, (d) => taskStarted(d, command));
    case 'RecordHeartbeat':
      return onLiveRun(state, command.metadata.now, (d) => heartbeat(d, command));
    case 'RecordTaskSucceeded':
      return onLiveRun(state, command.metadata.now, (d) => taskSucceeded(d, command));
    case 'RecordTaskFailed':
      return onLiveRun(state, command.metadata.now, (d) => taskFailed(d, command));
    case 'FireTimer':
      return onLiveRun(state, command.metadata.now, (d) => fireTimer(d, command));
    case 'RecordChildRunFinished':
      return onLiveRun(state, command.metadata.now, (d) => childRunFinished(d, command));
    case 'ReceiveSignal':
      return receiveSignal(command, state);
    case 'CancelRun':
      return cancelRun(command, state);
    case 'RetryRunFromFailure':
      return retryRunFromFailure(command, state);
    case 'RecordConcurrencySlot':
      return onLiveRun(state, command.metadata.now, (d) => concurrencySlot(d, command));
    case 'RecordStartControl':
      return onLiveRun(state, command.metadata.now, (d) => startControl(d, command));
    case 'RecordRateLimitToken':
      return onLiveRun(state, command.metadata.now, async (d) => rateLimitToken(d, command));
    case 'RecordStepSlot':
      return onLiveRun(state, command.metadata.now, async (d) => stepSlot(d, command));
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
};
