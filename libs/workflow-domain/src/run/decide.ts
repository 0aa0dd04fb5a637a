import {
  type CompensationDefinition,
  type MapStepDefinition,
  type StepDefinition,
  type SubworkflowStepDefinition,
  type SwitchStepDefinition,
  type TaskSpec,
  type WorkflowDefinition,
} from '@spark/contracts';

import {
  DEFAULT_BRANCH,
  DEFAULT_PRIORITY,
  DEFAULT_QUEUE,
  DEFAULT_TASK_START_TO_CLOSE_MS,
  resolveRetryPolicy,
  resolveTaskTimeouts,
  type ResolvedTimeouts,
} from '../definition';
import { ConflictError, IllegalStateError, ValidationError } from '../errors';
import { evaluateExpression, evaluateTemplate, isTruthy, templateExpressionOf } from '../expressions';
import { canonicalJson, unitInterval } from '../shared';
import { addMillis, type Instant, parseDuration, toMillis } from '../time';
import { retryDelayMs } from './backoff';
import { awaitsConcurrencySlot, concurrencySlotEvents, runConcurrencyOf } from './concurrency-gate';
import { checkRunInput } from './run-input';
import {
  type CancelRun,
  type FireTimer,
  type ReceiveSignal,
  type RecordChildRunFinished,
  type RecordHeartbeat,
  type RecordTaskFailed,
  type RecordTaskStarted,
  type RecordTaskSucceeded,
  type RetryRunFromFailure,
  type RunCommand,
  type StartRun,
} from './commands';
import { indexOf, stepOf } from './definition-index';
import { type RunEvent, type TaskDispatch, type TimerPurpose } from './events';
import { evolve } from './evolve';
import { attemptTimeoutError, RUN_ERROR_CODES, type RunError } from './run-error';
import { isFinal, type Run, type RunState, type TaskRuntime } from './state';
import { compensationTaskId, mapItemTaskId, taskIdempotencyKey } from './task-ids';

/**
 * The run decider. Asynchronous only because JSONata is; deterministic all the same (docs/adr/0010).
 * Every consequence of a command is decided at once: a result can complete a step, dispatch the steps it
 * unblocks, fail the run and start its compensations, all in the events of one decision.
 *
 * Results that do not concern the current attempt of a live task (stale attempts, duplicates, results after
 * the run finished) and timers that lapsed are ignored: they produce no events. Commands from users that do not
 * apply (cancel a completed run, signal a finished run, retry a run that did not fail) throw IllegalStateError.
 */
export const decide = async (command: RunCommand, state: RunState): Promise<RunEvent[]> => {
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
      return onLiveRun(state, command.metadata.now, async (d) => {
        const events = concurrencySlotEvents(d.run, command, d.now);
        if (events.length === 0) return;
        d.emit(...events);
        await advance(d);
      });
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
};

/** Accumulates the events of one decision, applying each to the working state so later rules see it. */
class Decision {
  readonly events: RunEvent[] = [];

  constructor(
    public run: Run,
    readonly now: Instant,
  ) {}

  emit(...events: RunEvent[]): void {
    for (const event of events) {
      this.events.push(event);
      this.run = evolve(this.run, event) as Run;
    }
  }

  get definition(): WorkflowDefinition {
    return this.run.definition;
  }
}

const onLiveRun = async (
  state: RunState,
  now: Instant,
  handle: (d: Decision) => Promise<void>,
): Promise<RunEvent[]> => {
  if (state.status === 'notStarted' || isFinal(state)) return [];
  const d = new Decision(state, now);
  await handle(d);
  return d.events;
};

const requireStarted = (state: RunState): Run => {
  if (state.status === 'notStarted') throw new IllegalStateError('the run does not exist', 'RUN_NOT_STARTED');
  return state;
};

// ---------------------------------------------------------------------------------------------------------------
// Expressions

const contextOf = (run: Run, extra: Record<string, unknown> = {}) => ({
  input: run.input,
  steps: Object.fromEntries(
    Object.entries(run.steps).map(([id, step]) => [id, { status: step.status, output: step.output }]),
  ),
  run: { id: run.runId, startedAt: run.startedAt, attempt: run.runAttempt },
  ...extra,
});

type Evaluated = { ok: true; value: unknown } | { ok: false; error: RunError };

const attempt = async (evaluate: () => Promise<unknown>, where: string): Promise<Evaluated> => {
  try {
    return { ok: true, value: await evaluate() };
  } catch (error) {
    return {
      ok: false,
      error: { code: RUN_ERROR_CODES.expression, message: `${where}: ${(error as Error).message}` },
    };
  }
};

const evaluate = (d: Decision, expression: string, where: string, extra?: Record<string, unknown>) =>
  attempt(() => evaluateExpression(expression, contextOf(d.run, extra), { now: d.now }), where);

const evaluateTemplateIn = (d: Decision, template: unknown, where: string, extra?: Record<string, unknown>) =>
  attempt(() => evaluateTemplate(template, contextOf(d.run, extra), { now: d.now }), where);

// ---------------------------------------------------------------------------------------------------------------
// Start

const startRun = async (command: StartRun, state: RunState): Promise<RunEvent[]> => {
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
  let concurrencyKey: string | undefined;
  if (definition.concurrency) {
    try {
      const value = await evaluateExpression(
        definition.concurrency.key,
        { input, run: { id: runId } },
        { now: command.metadata.now },
      );
      concurrencyKey = typeof value === 'string' ? value : canonicalJson(value ?? null);
    } catch (error) {
      throw new ValidationError(
        [{ path: '$.concurrency.key', message: (error as Error).message }],
        'Cannot compute the concurrency key',
      );
    }
  }
  const concurrency = concurrencyKey === undefined ? undefined : runConcurrencyOf(definition, concurrencyKey);
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

const armRunTimeout = (d: Decision): void => {
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

// ---------------------------------------------------------------------------------------------------------------
// Progress: everything that becomes possible after a change

const advance = async (d: Decision): Promise<void> => {
  if (awaitsConcurrencySlot(d.run)) return;
  const { dependencies } = indexOf(d.definition);
  let progressed = true;
  while (progressed && d.run.status === 'running') {
    progressed = false;
    for (const step of d.definition.steps) {
      if (d.run.status !== 'running') return;
      const runtime = d.run.steps[step.id]!;
      if (runtime.status === 'active' && step.type === 'map') {
        if (await topUpMap(d, step)) progressed = true;
        continue;
      }
      if (runtime.status !== 'pending') continue;
      const needed = (dependencies.get(step.id) ?? []).map((id) => d.run.steps[id]?.status);
      if (needed.some((status) => status !== 'succeeded' && status !== 'skipped')) continue;
      progressed = true;
      if ((step.join ?? 'allSucceeded') === 'allSucceeded' && needed.includes('skipped')) {
        d.emit({ type: 'StepSkipped', data: { stepId: step.id, reason: 'needs-skipped' } });
        continue;
      }
      if (step.if !== undefined) {
        const condition = await evaluate(d, step.if, `steps.${step.id}.if`);
        if (!condition.ok) return failStep(d, step.id, condition.error);
        if (!isTruthy(condition.value)) {
          d.emit({ type: 'StepSkipped', data: { stepId: step.id, reason: 'condition-false' } });
          continue;
        }
      }
      await startStep(d, step);
    }
  }
  if (
    d.run.status === 'running' &&
    Object.values(d.run.steps).every((step) => step.status === 'succeeded' || step.status === 'skipped')
  ) {
    await completeRun(d);
  }
};

const startStep = async (d: Decision, step: StepDefinition): Promise<void> => {
  switch (step.type) {
    case 'task':
      return dispatchTask(d, { taskId: step.id, stepId: step.id, purpose: 'step' }, step, step);
    case 'map':
      return expandMap(d, step);
    case 'switch':
      return chooseBranch(d, step);
    case 'wait': {
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
    }
    case 'signal': {
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
      return;
    }
    case 'subworkflow':
      return requestChild(d, step, nextAttempt(d.run, step.id));
    default: {
      const _exhaustive: never = step;
      return _exhaustive;
    }
  }
};

const succeeded = (d: Decision, stepId: string, output: unknown, signalId?: string): RunEvent => ({
  type: 'StepSucceeded',
  data: { stepId, output, ...(signalId === undefined ? {} : { signalId }), at: d.now },
});

const nextAttempt = (run: Run, taskId: string): number => (run.attempts[taskId] ?? 0) + 1;

const chooseBranch = async (d: Decision, step: SwitchStepDefinition): Promise<void> => {
  let chosen = DEFAULT_BRANCH;
  for (const branch of step.branches) {
    const result = await evaluate(d, branch.when, `steps.${step.id}.branches.${branch.name}.when`);
    if (!result.ok) return failStep(d, step.id, result.error);
    if (isTruthy(result.value)) {
      chosen = branch.name;
      break;
    }
  }
  const taken =
    chosen === DEFAULT_BRANCH
      ? (step.default ?? [])
      : (step.branches.find((b) => b.name === chosen)?.steps ?? []);
  const untaken = [...step.branches.flatMap((b) => b.steps), ...(step.default ?? [])].filter(
    (id) => !taken.includes(id),
  );
  d.emit(succeeded(d, step.id, { branch: chosen }));
  for (const stepId of untaken) {
    if (d.run.steps[stepId]?.status === 'pending')
      d.emit({ type: 'StepSkipped', data: { stepId, reason: 'branch-not-taken' } });
  }
};

const expandMap = async (d: Decision, step: MapStepDefinition): Promise<void> => {
  const result = await evaluate(d, step.items, `steps.${step.id}.items`);
  if (!result.ok) return failStep(d, step.id, result.error);
  // JSONata sequence semantics: nothing is no items, a single value is one item.
  const items =
    result.value === undefined || result.value === null
      ? []
      : Array.isArray(result.value)
        ? result.value
        : [result.value];
  d.emit({ type: 'MapExpanded', data: { stepId: step.id, items } });
  if (items.length === 0) return d.emit(succeeded(d, step.id, []));
  await topUpMap(d, step);
};

/** Dispatches items until `concurrency` are in flight (an item waiting for its retry holds its slot). */
const topUpMap = async (d: Decision, step: MapStepDefinition): Promise<boolean> => {
  let dispatched = false;
  const limit = step.concurrency ?? 10;
  for (;;) {
    const map = d.run.steps[step.id]?.map;
    if (!map || map.nextIndex >= map.items.length || d.run.status !== 'running') return dispatched;
    const inFlight = Object.values(d.run.tasks).filter(
      (task) => task.stepId === step.id && task.purpose === 'step',
    ).length;
    if (inFlight >= limit) return dispatched;
    const index = map.nextIndex;
    await dispatchTask(
      d,
      { taskId: mapItemTaskId(step.id, index), stepId: step.id, purpose: 'step', itemIndex: index },
      step.task,
      step,
      {
        item: map.items[index],
        index,
      },
    );
    dispatched = true;
  }
};

// ---------------------------------------------------------------------------------------------------------------
// Dispatch, retry and timeouts of tasks and child runs

interface TaskUnit {
  taskId: string;
  stepId: string;
  purpose: 'step' | 'compensation';
  itemIndex?: number;
}

const queueOf = (handler: string, queue: string | undefined): string =>
  handler.startsWith('external:') ? handler.slice('external:'.length) : (queue ?? DEFAULT_QUEUE);

const dispatchTask = async (
  d: Decision,
  unit: TaskUnit,
  spec: TaskSpec,
  owner: StepDefinition | CompensationDefinition,
  extra?: Record<string, unknown>,
): Promise<void> => {
  const where = `steps.${unit.stepId}${unit.purpose === 'compensation' ? '.compensate' : ''}`;
  const input = await evaluateTemplateIn(d, spec.input ?? null, `${where}.input`, extra);
  const config = input.ok ? await evaluateTemplateIn(d, spec.config ?? {}, `${where}.config`, extra) : input;
  if (!input.ok || !config.ok)
    return unitFailed(d, unit, !input.ok ? input.error : (config as { error: RunError }).error);
  const step = stepOf(d.definition, unit.stepId);
  const attemptNumber = nextAttempt(d.run, unit.taskId);
  const task: TaskDispatch = {
    taskId: unit.taskId,
    stepId: unit.stepId,
    ...(unit.itemIndex === undefined ? {} : { itemIndex: unit.itemIndex }),
    purpose: unit.purpose,
    attempt: attemptNumber,
    idempotencyKey: taskIdempotencyKey(d.run.runId, unit.taskId, attemptNumber),
    handler: spec.handler,
    config: config.value as Record<string, unknown>,
    input: input.value,
    queue: queueOf(spec.handler, owner.queue ?? step.queue),
    priority: step.priority ?? DEFAULT_PRIORITY,
    timeouts: executorTimeouts(timeoutsOf(d, unit)),
    dispatchedAt: d.now,
  };
  emitDispatch(d, task);
};

const executorTimeouts = (timeouts: ResolvedTimeouts): TaskDispatch['timeouts'] => ({
  startToCloseMs: timeouts.startToCloseMs ?? DEFAULT_TASK_START_TO_CLOSE_MS,
  ...(timeouts.heartbeatMs === undefined ? {} : { heartbeatMs: timeouts.heartbeatMs }),
  ...(timeouts.scheduleToStartMs === undefined ? {} : { scheduleToStartMs: timeouts.scheduleToStartMs }),
});

const timeoutsOf = (d: Decision, task: Pick<TaskRuntime, 'stepId' | 'purpose'>): ResolvedTimeouts => {
  const step = stepOf(d.definition, task.stepId);
  if (task.purpose === 'compensation' && step.compensate) return resolveTaskTimeouts(step.compensate);
  if (step.type === 'subworkflow')
    return {
      startToCloseMs:
        step.timeout?.startToClose === undefined ? undefined : parseDuration(step.timeout.startToClose),
    };
  return resolveTaskTimeouts(step);
};

const retryPolicyOf = (d: Decision, task: TaskRuntime) => {
  const step = stepOf(d.definition, task.stepId);
  return resolveRetryPolicy(task.purpose === 'compensation' ? step.compensate?.retry : step.retry);
};

const taskTimer = (
  d: Decision,
  task: { taskId: string; stepId: string; attempt: number },
  purpose: TimerPurpose,
  afterMs: number,
): RunEvent => ({
  type: 'TimerScheduled',
  data: {
    timerId: `${task.taskId}:${task.attempt}:${purpose}`,
    purpose,
    fireAt: addMillis(d.now, afterMs),
    taskId: task.taskId,
    attempt: task.attempt,
    stepId: task.stepId,
  },
});

/**
 * A lost dispatch must still time out: with no scheduleToStart, the start-to-close timer is armed at dispatch
 * and moved when the attempt starts.
 */
const emitDispatch = (d: Decision, task: TaskDispatch): void => {
  d.emit({ type: 'TaskDispatched', data: task });
  const timeouts = timeoutsOf(d, task);
  if (timeouts.scheduleToStartMs !== undefined)
    d.emit(taskTimer(d, task, 'scheduleToStart', timeouts.scheduleToStartMs));
  else if (timeouts.startToCloseMs !== undefined)
    d.emit(taskTimer(d, task, 'startToClose', timeouts.startToCloseMs));
};

const requestChild = async (
  d: Decision,
  step: SubworkflowStepDefinition,
  attemptNumber: number,
  knownInput?: { value: unknown },
): Promise<void> => {
  const input = knownInput
    ? ({ ok: true, value: knownInput.value } as const)
    : await evaluateTemplateIn(d, step.input ?? d.run.input, `steps.${step.id}.input`);
  if (!input.ok) return failStep(d, step.id, input.error);
  const child = {
    taskId: step.id,
    stepId: step.id,
    attempt: attemptNumber,
    childRunId: taskIdempotencyKey(d.run.runId, step.id, attemptNumber),
    workflow: step.workflow,
    input: input.value,
    parentRunId: d.run.runId,
    requestedAt: d.now,
  };
  d.emit({ type: 'ChildRunRequested', data: child });
  const { startToCloseMs } = timeoutsOf(d, { stepId: step.id, purpose: 'step' });
  if (startToCloseMs !== undefined) d.emit(taskTimer(d, child, 'startToClose', startToCloseMs));
};

const redispatch = async (d: Decision, task: TaskRuntime): Promise<void> => {
  if (task.dispatch.kind === 'child') {
    return requestChild(d, stepOf(d.definition, task.stepId) as SubworkflowStepDefinition, task.attempt, {
      value: task.dispatch.child.input,
    });
  }
  emitDispatch(d, {
    ...task.dispatch.task,
    attempt: task.attempt,
    idempotencyKey: taskIdempotencyKey(d.run.runId, task.taskId, task.attempt),
    dispatchedAt: d.now,
  });
};

/** Called after the attempt's failure (or timeout) is recorded: retry per the policy, or give up on the unit. */
const attemptFailed = async (
  d: Decision,
  task: TaskRuntime,
  error: RunError,
  retryable: boolean,
): Promise<void> => {
  const policy = retryPolicyOf(d, task);
  const canRetry =
    retryable && !policy.nonRetryableErrors.includes(error.code) && task.attempt < policy.maxAttempts;
  if (!canRetry) return unitFailed(d, task, error);
  const delayMs = retryDelayMs(
    policy,
    task.attempt,
    unitInterval(d.run.seed, `${task.taskId}:${task.attempt}`),
  );
  const next = task.attempt + 1;
  d.emit({
    type: 'StepRetryScheduled',
    data: { taskId: task.taskId, attempt: next, delayMs, retryAt: addMillis(d.now, delayMs) },
  });
  if (delayMs > 0) d.emit(taskTimer(d, { ...task, attempt: next }, 'retry', delayMs));
  else await redispatch(d, d.run.tasks[task.taskId]!);
};

const unitFailed = async (d: Decision, unit: TaskUnit, error: RunError): Promise<void> => {
  if (unit.purpose === 'compensation') {
    d.emit({ type: 'StepCompensationFailed', data: { stepId: unit.stepId, error, at: d.now } });
    return continueCompensation(d);
  }
  return failStep(d, unit.stepId, error, unit.taskId);
};

const unitSucceeded = async (d: Decision, task: TaskRuntime, output: unknown): Promise<void> => {
  if (task.purpose === 'compensation') {
    d.emit({ type: 'StepCompensated', data: { stepId: task.stepId, at: d.now } });
    return continueCompensation(d);
  }
  if (task.itemIndex === undefined) d.emit(succeeded(d, task.stepId, output));
  else {
    const map = d.run.steps[task.stepId]?.map;
    if (map && map.completed === map.items.length) d.emit(succeeded(d, task.stepId, map.results));
  }
  await advance(d);
};

const currentTask = (d: Decision, taskId: string, attemptNumber: number): TaskRuntime | undefined => {
  const task = d.run.tasks[taskId];
  return task && task.attempt === attemptNumber && task.status !== 'backoff' ? task : undefined;
};

const taskStarted = async (d: Decision, command: RecordTaskStarted | RecordHeartbeat): Promise<void> => {
  const task = currentTask(d, command.data.taskId, command.data.attempt);
  if (!task || task.status !== 'dispatched') return;
  const workerId = command.type === 'RecordTaskStarted' ? command.data.workerId : undefined;
  emitStarted(d, task, d.now, workerId);
  if (task.dispatch.kind === 'child') return;
  const timeouts = timeoutsOf(d, task);
  // Without scheduleToStart, the start-to-close timer armed at dispatch stays: when it fires it checks
  // the deadline from the start (see fireTimer), so a start costs no second TimerScheduled.
  if (timeouts.startToCloseMs !== undefined && timeouts.scheduleToStartMs !== undefined)
    d.emit(taskTimer(d, task, 'startToClose', timeouts.startToCloseMs));
  if (timeouts.heartbeatMs !== undefined) d.emit(taskTimer(d, task, 'heartbeat', timeouts.heartbeatMs));
};

const emitStarted = (d: Decision, task: TaskRuntime, startedAt: Instant, workerId: string | undefined) =>
  d.emit({
    type: 'StepAttemptStarted',
    data: {
      taskId: task.taskId,
      attempt: task.attempt,
      startedAt,
      ...(workerId === undefined ? {} : { workerId }),
    },
  });

/** A final result with no `started` before it: the attempt's start is recorded first. */
const startedWithFinalResult = (
  d: Decision,
  task: TaskRuntime,
  report: { startedAt?: Instant; workerId?: string },
) => {
  if (task.status === 'dispatched') emitStarted(d, task, report.startedAt ?? d.now, report.workerId);
};

/**
 * A heartbeat implies the attempt started (its start report may be late or lost). Heartbeats are
 * coalesced: one is recorded when it carries new details (progress), or else when the last recorded one
 * (or the start) is half a heartbeat timeout old. None moves the heartbeat timer: when it fires it checks
 * the deadline from the last recorded beat (see fireTimer). Beats every third of the timeout (the
 * executor's pace) without new details record every other one.
 */
const heartbeat = async (d: Decision, command: RecordHeartbeat): Promise<void> => {
  const task = currentTask(d, command.data.taskId, command.data.attempt);
  if (!task || task.dispatch.kind === 'child') return;
  if (task.status === 'dispatched') await taskStarted(d, command);
  const current = d.run.tasks[task.taskId]!;
  const { heartbeatMs } = timeoutsOf(d, task);
  const last = current.lastHeartbeatAt ?? current.startedAt;
  const { details } = command.data;
  const newDetails =
    details !== undefined && canonicalJson(details) !== canonicalJson(current.lastHeartbeatDetails ?? null);
  const recent =
    heartbeatMs !== undefined && last !== undefined && toMillis(d.now) - toMillis(last) < heartbeatMs / 2;
  if (recent && !newDetails) return;
  d.emit({
    type: 'HeartbeatRecorded',
    data: {
      taskId: task.taskId,
      attempt: task.attempt,
      at: d.now,
      ...(details === undefined ? {} : { details }),
    },
  });
};

const taskSucceeded = async (d: Decision, command: RecordTaskSucceeded): Promise<void> => {
  const task = currentTask(d, command.data.taskId, command.data.attempt);
  if (!task || task.dispatch.kind === 'child') return;
  startedWithFinalResult(d, task, command.data);
  d.emit({
    type: 'StepAttemptSucceeded',
    data: { taskId: task.taskId, attempt: task.attempt, output: command.data.output ?? null, at: d.now },
  });
  await unitSucceeded(d, task, command.data.output ?? null);
};

const taskFailed = async (d: Decision, command: RecordTaskFailed): Promise<void> => {
  const task = currentTask(d, command.data.taskId, command.data.attempt);
  if (!task || task.dispatch.kind === 'child') return;
  startedWithFinalResult(d, task, command.data);
  const { error, retryable } = command.data;
  // The worker noticed the start-to-close timeout before the scheduler's timer: the same outcome.
  if (error.code === RUN_ERROR_CODES.startToClose) return attemptTimedOut(d, task, 'startToClose');
  d.emit({
    type: 'StepAttemptFailed',
    data: { taskId: task.taskId, attempt: task.attempt, error, retryable, at: d.now },
  });
  await attemptFailed(d, task, error, retryable);
};

const childRunFinished = async (d: Decision, command: RecordChildRunFinished): Promise<void> => {
  const task = Object.values(d.run.tasks).find(
    (candidate) =>
      candidate.dispatch.kind === 'child' &&
      candidate.dispatch.child.childRunId === command.data.childRunId &&
      candidate.status !== 'backoff',
  );
  if (!task) return;
  const { outcome, output, error } = command.data;
  if (outcome === 'completed') {
    d.emit({
      type: 'StepAttemptSucceeded',
      data: { taskId: task.taskId, attempt: task.attempt, output: output ?? null, at: d.now },
    });
    return unitSucceeded(d, task, output ?? null);
  }
  const code =
    outcome === 'cancelled'
      ? RUN_ERROR_CODES.childRunCancelled
      : outcome === 'timedOut'
        ? RUN_ERROR_CODES.childRunTimedOut
        : RUN_ERROR_CODES.childRunFailed;
  const failure = error ?? { code, message: `child run ${command.data.childRunId} ${outcome}` };
  const retryable = outcome !== 'cancelled';
  d.emit({
    type: 'StepAttemptFailed',
    data: { taskId: task.taskId, attempt: task.attempt, error: failure, retryable, at: d.now },
  });
  await attemptFailed(d, task, failure, retryable);
};

/** Start-to-close counts from the attempt's start; a task that has not started has no later deadline. */
const startToCloseDeadline = (d: Decision, task: TaskRuntime): Instant | undefined => {
  if (task.dispatch.kind === 'child' || task.startedAt === undefined) return undefined;
  const { startToCloseMs } = timeoutsOf(d, task);
  return startToCloseMs === undefined ? undefined : addMillis(task.startedAt, startToCloseMs);
};

/** A heartbeat timeout counts from the last recorded beat, or from the start. */
const heartbeatDeadline = (d: Decision, task: TaskRuntime): Instant | undefined => {
  const last = task.lastHeartbeatAt ?? task.startedAt;
  const { heartbeatMs } = timeoutsOf(d, task);
  return last === undefined || heartbeatMs === undefined ? undefined : addMillis(last, heartbeatMs);
};

/** A task attempt timed out (by the scheduler's timer, or reported by its worker): a retryable failure. */
const attemptTimedOut = async (
  d: Decision,
  task: TaskRuntime,
  timeout: 'scheduleToStart' | 'startToClose' | 'heartbeat',
): Promise<void> => {
  d.emit({
    type: 'StepTimedOut',
    data: { stepId: task.stepId, timeout, taskId: task.taskId, attempt: task.attempt, at: d.now },
  });
  if (task.dispatch.kind === 'child')
    d.emit({
      type: 'ChildRunCancellationRequested',
      data: { childRunId: task.dispatch.child.childRunId, stepId: task.stepId },
    });
  return attemptFailed(d, task, attemptTimeoutError(timeout, task.taskId, task.attempt), true);
};

const fireTimer = async (d: Decision, command: FireTimer): Promise<void> => {
  const timer = d.run.timers[command.data.timerId];
  // A timer that lapsed, or that was moved later since this firing was planned, does nothing.
  if (!timer || toMillis(d.now) < toMillis(timer.fireAt)) return;
  d.emit({ type: 'TimerFired', data: { timerId: timer.timerId, firedAt: d.now } });
  switch (timer.purpose) {
    case 'retry': {
      const task = d.run.tasks[timer.taskId ?? ''];
      if (task && task.status === 'backoff' && task.attempt === timer.attempt) await redispatch(d, task);
      return;
    }
    case 'scheduleToStart':
    case 'startToClose':
    case 'heartbeat': {
      const task = currentTask(d, timer.taskId ?? '', timer.attempt ?? 0);
      if (!task) return;
      const deadline =
        timer.purpose === 'startToClose'
          ? startToCloseDeadline(d, task)
          : timer.purpose === 'heartbeat'
            ? heartbeatDeadline(d, task)
            : undefined;
      if (deadline !== undefined && toMillis(d.now) < toMillis(deadline)) {
        // Armed earlier than the deadline it guards (at dispatch, at the start): it moves there.
        d.emit(taskTimer(d, task, timer.purpose, toMillis(deadline) - toMillis(d.now)));
        return;
      }
      return attemptTimedOut(d, task, timer.purpose);
    }
    case 'wait':
      if (d.run.steps[timer.stepId ?? '']?.status !== 'active') return;
      d.emit(succeeded(d, timer.stepId!, null));
      return advance(d);
    case 'signalTimeout': {
      const stepId = timer.stepId ?? '';
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
    }
    case 'runTimeout':
      return terminate(d, 'timedOut', 'run timeout');
    default: {
      const _exhaustive: never = timer.purpose;
      return _exhaustive;
    }
  }
};

// ---------------------------------------------------------------------------------------------------------------
// Signals

const receiveSignal = async (command: ReceiveSignal, state: RunState): Promise<RunEvent[]> => {
  const run = requireStarted(state);
  if (isFinal(run))
    throw new IllegalStateError(
      `run ${run.runId} is ${run.status}; it takes no more signals`,
      'RUN_FINISHED',
    );
  const { signalId, name, payload } = command.data;
  if (run.signals.seen.includes(signalId)) return [];
  const d = new Decision(run, command.metadata.now);
  d.emit({ type: 'SignalReceived', data: { signalId, name, payload: payload ?? null, at: d.now } });
  const waiting = d.definition.steps.find(
    (step) => d.run.steps[step.id]?.status === 'active' && d.run.steps[step.id]?.awaitingSignal === name,
  );
  if (waiting && d.run.status === 'running') {
    d.emit(succeeded(d, waiting.id, payload ?? null, signalId));
    await advance(d);
  }
  return d.events;
};

// ---------------------------------------------------------------------------------------------------------------
// Failure, compensation, cancellation, completion

/** Cancels every active step (and compensation) of the run: executors get the keys, children a cancellation. */
const cancelInFlight = (d: Decision, reason: string, except?: string): void => {
  const stepIds = new Set<string>();
  for (const [stepId, step] of Object.entries(d.run.steps))
    if (step.status === 'active' && stepId !== except) stepIds.add(stepId);
  for (const task of Object.values(d.run.tasks)) if (task.stepId !== except) stepIds.add(task.stepId);
  for (const step of d.definition.steps) {
    if (!stepIds.has(step.id)) continue;
    cancelStep(d, step.id, reason);
  }
};

const cancelStep = (d: Decision, stepId: string, reason: string, endedTaskId?: string): void => {
  const tasks = Object.values(d.run.tasks).filter(
    (task) => task.stepId === stepId && task.status !== 'backoff' && task.taskId !== endedTaskId,
  );
  for (const task of tasks) {
    if (task.dispatch.kind === 'child')
      d.emit({
        type: 'ChildRunCancellationRequested',
        data: { childRunId: task.dispatch.child.childRunId, stepId },
      });
  }
  const executorTasks = tasks
    .filter((task) => task.dispatch.kind === 'task')
    .map((task) => ({
      taskId: task.taskId,
      attempt: task.attempt,
      idempotencyKey: taskIdempotencyKey(d.run.runId, task.taskId, task.attempt),
    }));
  d.emit({ type: 'StepCancelled', data: { stepId, reason, tasks: executorTasks, at: d.now } });
};

/** `endedTaskId`: the task whose attempt just failed; other tasks of the step (map items) are still out and get cancelled. */
const failStep = async (
  d: Decision,
  stepId: string,
  error: RunError,
  endedTaskId?: string,
): Promise<void> => {
  const others = (task: TaskRuntime) =>
    task.stepId === stepId &&
    task.purpose === 'step' &&
    task.taskId !== endedTaskId &&
    task.status !== 'backoff';
  if (Object.values(d.run.tasks).some(others)) cancelStep(d, stepId, 'step-failed', endedTaskId);
  d.emit({ type: 'StepFailed', data: { stepId, error, at: d.now } });
  await failRun(d, error, stepId);
};

const failRun = async (d: Decision, error: RunError, failedStep?: string): Promise<void> => {
  cancelInFlight(d, 'run-failed');
  const toCompensate = [...d.run.succeededOrder]
    .reverse()
    .filter((stepId) => stepOf(d.definition, stepId).compensate !== undefined);
  if (toCompensate.length === 0) {
    d.emit({
      type: 'RunFailed',
      data: {
        error,
        ...(failedStep === undefined ? {} : { failedStep }),
        compensated: [],
        compensationFailures: [],
        failedAt: d.now,
      },
    });
    return;
  }
  d.emit({
    type: 'RunCompensating',
    data: { error, ...(failedStep === undefined ? {} : { failedStep }), steps: toCompensate, at: d.now },
  });
  await continueCompensation(d);
};

/** Compensations run one at a time, most recently succeeded step first; a failed one does not stop the rest. */
const continueCompensation = async (d: Decision): Promise<void> => {
  const compensation = d.run.compensation;
  if (!compensation || d.run.status !== 'compensating') return;
  const stepId = compensation.pending[0];
  if (stepId === undefined) {
    d.emit({
      type: 'RunFailed',
      data: {
        error: compensation.error,
        ...(compensation.failedStep === undefined ? {} : { failedStep: compensation.failedStep }),
        compensated: compensation.compensated,
        compensationFailures: compensation.failed,
        failedAt: d.now,
      },
    });
    return;
  }
  const step = stepOf(d.definition, stepId);
  await dispatchTask(
    d,
    { taskId: compensationTaskId(stepId), stepId, purpose: 'compensation' },
    step.compensate!,
    step.compensate!,
  );
};

const terminate = async (d: Decision, outcome: 'cancelled' | 'timedOut', reason: string): Promise<void> => {
  cancelInFlight(d, outcome === 'cancelled' ? 'run-cancelled' : 'run-timed-out');
  if (outcome === 'cancelled') d.emit({ type: 'RunCancelled', data: { reason, cancelledAt: d.now } });
  else d.emit({ type: 'RunTimedOut', data: { timedOutAt: d.now } });
};

const completeRun = async (d: Decision): Promise<void> => {
  const { leaves } = indexOf(d.definition);
  let output: unknown;
  if (d.definition.output !== undefined) {
    const result = await evaluate(d, d.definition.output, 'output');
    if (!result.ok) return failRun(d, result.error);
    output = result.value ?? null;
  } else {
    output = Object.fromEntries(
      leaves
        .filter((id) => d.run.steps[id]?.status === 'succeeded')
        .map((id) => [id, d.run.steps[id]?.output ?? null]),
    );
  }
  d.emit({ type: 'RunCompleted', data: { output, completedAt: d.now } });
};

const cancelRun = async (command: CancelRun, state: RunState): Promise<RunEvent[]> => {
  const run = requireStarted(state);
  if (run.status === 'cancelled') return [];
  if (isFinal(run)) throw new IllegalStateError(`run ${run.runId} is already ${run.status}`, 'RUN_FINISHED');
  const d = new Decision(run, command.metadata.now);
  await terminate(d, 'cancelled', command.data.reason ?? 'cancelled');
  return d.events;
};

/**
 * Runs a failed run again from where it failed. Succeeded steps whose effects stand keep their outputs; steps
 * that failed, were cancelled, never ran, or were compensated (their effect was undone) run again with new
 * attempt numbers. Skips for untaken switch branches stand; other skips are decided again.
 */
const retryRunFromFailure = async (command: RetryRunFromFailure, state: RunState): Promise<RunEvent[]> => {
  const run = requireStarted(state);
  if (run.status !== 'failed')
    throw new IllegalStateError(
      `run ${run.runId} is ${run.status}; only a failed run can be retried`,
      'RUN_NOT_FAILED',
    );
  const resetSteps = run.definition.steps
    .map((step) => step.id)
    .filter((id) => {
      const step = run.steps[id]!;
      if (step.status === 'succeeded') return step.compensation === 'compensated';
      if (step.status === 'skipped') return step.skipReason !== 'branch-not-taken';
      return true;
    });
  const d = new Decision(run, command.metadata.now);
  d.emit({ type: 'RunResumed', data: { runAttempt: run.runAttempt + 1, resetSteps, resumedAt: d.now } });
  armRunTimeout(d);
  await advance(d);
  return d.events;
};
