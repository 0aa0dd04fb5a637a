import { ATTEMPT_STATUSES, RUN_STATUSES, STEP_STATUSES } from '@spark/contracts';
import {
  ATTEMPT_STATUS_NAMES,
  childRunHandler,
  RUN_STATUS_NAMES,
  RUN_STATUS_VALUES,
  runOutcomeError,
  runStatusName,
  runStatusOfName,
  STEP_STATUS_NAMES,
} from './run-vocabulary';

const T0 = '2026-01-01T00:00:00.000Z';

describe('the run vocabulary', () => {
  it('names every API run status but PENDING once, and reads each back', () => {
    expect([...Object.values(RUN_STATUS_NAMES)].sort()).toEqual(
      RUN_STATUSES.filter((name) => name !== 'PENDING').sort(),
    );
    for (const status of RUN_STATUS_VALUES) expect(runStatusOfName(runStatusName(status))).toBe(status);
    expect(runStatusOfName('PENDING')).toBeUndefined();
  });

  it('names every API step and attempt status once', () => {
    expect([...Object.values(STEP_STATUS_NAMES)].sort()).toEqual([...STEP_STATUSES].sort());
    expect([...Object.values(ATTEMPT_STATUS_NAMES)].sort()).toEqual([...ATTEMPT_STATUSES].sort());
  });

  it('gives a cancelled run its reason and a timed-out run a code, and no other event an error', () => {
    expect(
      runOutcomeError({ type: 'RunCancelled', data: { reason: 'bad deploy', cancelledAt: T0 } }),
    ).toEqual({
      code: 'RUN_CANCELLED',
      message: 'bad deploy',
    });
    expect(runOutcomeError({ type: 'RunTimedOut', data: { timedOutAt: T0 } })).toMatchObject({
      code: 'RUN_TIMED_OUT',
    });
    expect(runOutcomeError({ type: 'RunCompleted', data: { output: 1, completedAt: T0 } })).toBeUndefined();
  });

  it('shows a child run attempt by its workflow', () => {
    expect(childRunHandler('shipping')).toBe('subworkflow:shipping');
  });
});
