import { toMillis } from '../../time';
import { type RecordStartControl } from '../commands';
import { awaitsStartControl, START_CONTROL_TIMER_ID } from '../start-gate';
import { terminate } from './cancel';
import { advance } from './dag';
import { type Decision } from './decision';

/** The word of the run's debounce or throttle scope (docs/adr/0122). */
export const startControl = async (d: Decision, command: RecordStartControl): Promise<void> => {
  // A word that comes after the run was released (a replay, or a superseding start relayed late) changes nothing.
  if (!awaitsStartControl(d.run)) return;
  const { data } = command;
  if (data.outcome === 'superseded') return terminate(d, 'cancelled', data.reason);
  const kind = d.run.startControl!.kind;
  if (toMillis(data.startAt) <= toMillis(d.now)) return release(d);
  if (d.run.startGate?.status === 'waiting' && d.run.startGate.until === data.startAt) return;
  d.emit(
    {
      type: 'RunWaitingToStart',
      data: { kind, key: d.run.startControl!.key, reason: data.reason, until: data.startAt, at: d.now },
    },
    {
      type: 'TimerScheduled',
      data: { timerId: START_CONTROL_TIMER_ID, purpose: 'startControl', fireAt: data.startAt },
    },
  );
};

/** The start time has come: the run starts its steps. */
export const release = async (d: Decision): Promise<void> => {
  if (!awaitsStartControl(d.run)) return;
  d.emit({ type: 'RunStartReleased', data: { at: d.now } });
  await advance(d);
};
