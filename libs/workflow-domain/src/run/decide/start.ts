import { canonicalJson } from '../../shared';
import { ValidationError, ConflictError } from '../../errors';
import { evaluateExpression } from '../../expressions';
import { addMillis, parseDuration } from '../../time';
import { checkRunInput } from '../../validation';
import { type StartRun } from '../commands';
import { runConcurrencyOf } from '../concurrency-gate';
import { runStartControlOf, startControlKeyOf } from '../start-gate';
import { type RunEvent } from '../events';
import { evolve } from '../evolve';
import { type Run, type RunState } from '../state';
import { advance } from './dag';
import { Decision } from './decision';

export const startRun = async (command: StartRun, state: RunState): Promise<RunEvent[]> => {
  const { runId, definition, input, parent } = command.data;
  const idempotencyKey = command.data.idempotencyKey ?? runId;
  if (state.status !== 'notStarted') {
    if (state.runId === runId && state.idempotencyKey === idempotencyKey) return [];
    throw new ConflictError(
      `run ${state.runId} already exists (idempotency key ${state.idempotencyKey})`,
      'RUN_ALREADY_EXISTS',
    );
  }
  checkRunInput(definition, input);
  const keyOf = async (expression: string, path: string, what: string): Promise<string> => {
    try {
      const value = await evaluateExpression(
        expression,
        { input, run: { id: runId } },
        { now: command.metadata.now },
      );
      return typeof value === 'string' ? value : canonicalJson(value ?? null);
    } catch (error) {
      throw new ValidationError(
        [{ path, message: (error as Error).message }],
        `Cannot compute the ${what} key`,
      );
    }
  };
  const concurrencyKey = definition.concurrency
    ? await keyOf(definition.concurrency.key, '$.concurrency.key', 'concurrency')
    : undefined;
  const concurrency = concurrencyKey === undefined ? undefined : runConcurrencyOf(definition, concurrencyKey);
  // A child run is started by its parent's step: it is not debounced nor throttled again.
  const controlKey = parent === undefined ? startControlKeyOf(definition) : undefined;
  const startControl =
    controlKey &&
    runStartControlOf(
      definition,
      controlKey.expression === undefined
        ? '*'
        : await keyOf(controlKey.expression, controlKey.path, 'start-control'),
    );
  const event: RunEvent = {
    type: 'RunStarted',
    data: {
      runId,
      workflow: { name: definition.name, version: definition.version },
      definition,
      input,
      idempotencyKey,
      seed: command.data.seed ?? runId,
      ...(concurrencyKey === undefined ? {} : { concurrencyKey }),
      ...(concurrency === undefined ? {} : { concurrency }),
      ...(startControl === undefined ? {} : { startControl }),
      ...(parent === undefined ? {} : { parent }),
      ...(command.data.labels && Object.keys(command.data.labels).length > 0
        ? { labels: command.data.labels }
        : {}),
      startedAt: command.metadata.now,
    },
  };
  const d = new Decision(evolve(state, event) as Run, command.metadata.now);
  d.events.push(event);
  armRunTimeout(d);
  await advance(d);
  return d.events;
};

/** The run's own deadline, armed at the start and again when a failed run is retried. */
export const armRunTimeout = (d: Decision): void => {
  if (d.definition.timeout === undefined) return;
  d.emit({
    type: 'TimerScheduled',
    data: {
      timerId: `run:timeout:r${d.run.runAttempt}`,
      purpose: 'runTimeout',
      fireAt: addMillis(d.now, parseDuration(d.definition.timeout)),
    },
  });
};
