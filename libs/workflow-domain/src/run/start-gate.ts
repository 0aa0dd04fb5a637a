import { type WorkflowDefinition } from '@spark/contracts';

import { startControlScope } from '../start-control/start-control-decider';
import { parseDuration } from '../time';
import { type RunStartControl, type RunStartReleased, type RunWaitingToStart } from './events';
import { type Run } from './state';

/** The timer a run waiting for its debounce or throttle start time sleeps on. */
export const START_CONTROL_TIMER_ID = 'run:start-control';

/**
 * The run side of debounce and throttle (docs/adr/0122). A run whose definition has one starts
 * (RunStarted) but starts no step until its scope has said when (RecordStartControl) and that time
 * has come; a run a later start superseded is cancelled before it did anything.
 */
export const runStartControlOf = (
  definition: WorkflowDefinition,
  key: string,
): RunStartControl | undefined => {
  if (definition.debounce) {
    const { period, maxWait } = definition.debounce;
    return {
      kind: 'debounce',
      scope: startControlScope('debounce', definition.name, key),
      key,
      periodMs: parseDuration(period),
      ...(maxWait === undefined ? {} : { maxWaitMs: parseDuration(maxWait) }),
    };
  }
  if (definition.throttle) {
    const { limit, period } = definition.throttle;
    return {
      kind: 'throttle',
      scope: startControlScope('throttle', definition.name, key),
      key,
      limit,
      periodMs: parseDuration(period),
    };
  }
  return undefined;
};

/** The key expression of the definition's debounce or throttle; none for a throttle of the whole workflow. */
export const startControlKeyOf = (
  definition: WorkflowDefinition,
): { expression?: string; path: string } | undefined => {
  if (definition.debounce) return { expression: definition.debounce.key, path: '$.debounce.key' };
  if (definition.throttle)
    return definition.throttle.key === undefined
      ? { path: '$.throttle.key' }
      : { expression: definition.throttle.key, path: '$.throttle.key' };
  return undefined;
};

/** True while the run may not start steps because of its debounce or throttle. */
export const awaitsStartControl = (run: Run): boolean =>
  run.startControl !== undefined && run.startGate?.status !== 'released';

export const evolveStartGate = (run: Run, event: RunWaitingToStart | RunStartReleased): Run => {
  if (event.type === 'RunStartReleased') return { ...run, startGate: { status: 'released' } };
  const { kind, reason, at, until } = event.data;
  return { ...run, startGate: { status: 'waiting', kind, reason, since: at, until } };
};
