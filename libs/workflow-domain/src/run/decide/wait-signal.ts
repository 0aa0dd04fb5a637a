import { type SignalStepDefinition, type WaitStepDefinition } from '@spark/contracts';

import { IllegalStateError } from '../../errors';
import { templateExpressionOf } from '../../expressions';
import { addMillis, type Instant, parseDuration, toMillis } from '../../time';
import { type ReceiveSignal } from '../commands';
import { stepOf } from '../definition-index';
import { type RunEvent } from '../events';
import { RUN_ERROR_CODES } from '../run-error';
import { isFinal, type RunState } from '../state';
import { failStep } from './compensation';
import { advance } from './dag';
import { Decision, requireStarted, succeeded } from './decision';
import { evaluate } from './expressions';

/** A wait step waits for a duration or until an instant (a literal or an expression); a past instant is no wait. */
export const startWait = async (d: Decision, step: WaitStepDefinition): Promise<void> => {
  let until: Instant;
  if (step.duration !== undefined) until = addMillis(d.now, parseDuration(step.duration));
  else {
    const expression = templateExpressionOf(step.until ?? '');
    const result =
      expression === undefined
        ? ({ ok: true, value: step.until } as const)
        : await evaluate(d, expression, `steps.${step.id}.until`);
    if (!result.ok) return failStep(d, step.id, result.error);
    const millis = typeof result.value === 'string' ? Date.parse(result.value) : Number.NaN;
    if (Number.isNaN(millis)) {
      return failStep(d, step.id, {
        code: RUN_ERROR_CODES.expression,
        message: `steps.${step.id}.until: ${JSON.stringify(result.value)} is not an instant`,
      });
    }
    until = new Date(millis).toISOString();
  }
  d.emit({ type: 'StepWaiting', data: { stepId: step.id, until } });
  if (toMillis(until) <= toMillis(d.now)) return d.emit(succeeded(d, step.id, null));
  return d.emit({
    type: 'TimerScheduled',
    data: {
      timerId: `${step.id}:wait:r${d.run.runAttempt}`,
      purpose: 'wait',
      fireAt: until,
      stepId: step.id,
    },
  });
};

/** A signal step takes a signal received before it started (buffered), or waits for one. */
export const startSignal = async (d: Decision, step: SignalStepDefinition): Promise<void> => {
  const buffered = d.run.signals.buffered.find((signal) => signal.name === step.signal.name);
  if (buffered) return d.emit(succeeded(d, step.id, buffered.payload ?? null, buffered.signalId));
  d.emit({ type: 'StepWaiting', data: { stepId: step.id, signal: step.signal.name } });
  if (step.signal.timeout !== undefined) {
    d.emit({
      type: 'TimerScheduled',
      data: {
        timerId: `${step.id}:signal:r${d.run.runAttempt}`,
        purpose: 'signalTimeout',
        fireAt: addMillis(d.now, parseDuration(step.signal.timeout)),
        stepId: step.id,
      },
    });
  }
};

export const receiveSignal = async (command: ReceiveSignal, state: RunState): Promise<RunEvent[]> => {
  const run = requireStarted(state);
  if (isFinal(run))
    throw new IllegalStateError(
      `run ${run.runId} is ${run.status}; it takes no more signals`,
      'RUN_FINISHED',
    );
  const { signalId, name, payload, reason } = command.data;
  if (run.signals.seen.includes(signalId)) return [];
  const d = new Decision(run, command.metadata.now);
  d.emit({
    type: 'SignalReceived',
    data: { signalId, name, payload: payload ?? null, ...(reason ? { reason } : {}), at: d.now },
  });
  const waiting = d.definition.steps.find(
    (step) => d.run.steps[step.id]?.status === 'active' && d.run.steps[step.id]?.awaitingSignal === name,
  );
  if (waiting && d.run.status === 'running') {
    d.emit(succeeded(d, waiting.id, payload ?? null, signalId));
    await advance(d);
  }
  return d.events;
};

/** The timer of a wait step fired. */
export const waitElapsed = async (d: Decision, stepId: string | undefined): Promise<void> => {
  if (d.run.steps[stepId ?? '']?.status !== 'active') return;
  d.emit(succeeded(d, stepId!, null));
  return advance(d);
};

/** The timeout of a signal step fired: the step is skipped or fails, as it says. */
export const signalTimedOut = async (d: Decision, timerStepId: string | undefined): Promise<void> => {
  const stepId = timerStepId ?? '';
  const step = stepOf(d.definition, stepId);
  if (d.run.steps[stepId]?.status !== 'active' || step.type !== 'signal') return;
  d.emit({ type: 'StepTimedOut', data: { stepId, timeout: 'signal', at: d.now } });
  if (step.signal.onTimeout === 'skip') {
    d.emit({ type: 'StepSkipped', data: { stepId, reason: 'signal-timed-out' } });
    return advance(d);
  }
  return failStep(d, stepId, {
    code: RUN_ERROR_CODES.signalTimeout,
    message: `signal "${step.signal.name}" did not arrive within ${step.signal.timeout}`,
  });
};
