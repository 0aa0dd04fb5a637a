import { evolveConcurrencySlot } from './concurrency-gate';
import { evolveStartGate } from './start-gate';
import { type RunEvent, type TaskAwaitingSlot, type TaskDispatch, type TaskRateLimited } from './events';
import { type Run, type RunState, type StepRuntime, type TaskRuntime } from './state';

const withStep = (run: Run, stepId: string, patch: Partial<StepRuntime>): Run => ({
  ...run,
  steps: { ...run.steps, [stepId]: { ...(run.steps[stepId] ?? { status: 'pending' }), ...patch } },
});

const withTask = (run: Run, task: TaskRuntime): Run => ({
  ...run,
  tasks: { ...run.tasks, [task.taskId]: task },
});

const withoutTimers = (run: Run, lapses: (timer: Run['timers'][string]) => boolean): Run => {
  const timers: Run['timers'] = {};
  for (const [id, timer] of Object.entries(run.timers)) if (!lapses(timer)) timers[id] = timer;
  return { ...run, timers };
};

/** Drops a task and the timers of its current attempt. */
const finishTask = (run: Run, taskId: string): Run => {
  const task = run.tasks[taskId];
  if (!task) return run;
  const { [taskId]: _removed, ...tasks } = run.tasks;
  return withoutTimers({ ...run, tasks }, (timer) => timer.taskId === taskId);
};

const withoutRateLimit = ({
  rateLimit: _rateLimit,
  renewsToken: _renewsToken,
  ...task
}: TaskRateLimited['data']): TaskDispatch => task;

const withoutSlot = ({
  slot: _slot,
  rateLimit: _rateLimit,
  ...task
}: TaskAwaitingSlot['data']): TaskDispatch => task;

/** A renewed request keeps the wait's start, and is not renewed again. */
const rateLimitWaitOf = (run: Run, data: TaskRateLimited['data']): TaskRuntime['rateLimitWait'] =>
  data.renewsToken === undefined
    ? { since: data.dispatchedAt }
    : { since: run.tasks[data.taskId]?.rateLimitWait?.since ?? data.dispatchedAt, renewed: true };

const finishRun = (run: Run, patch: Partial<Run>): Run => ({ ...run, ...patch, tasks: {}, timers: {} });

export const evolve = (state: RunState, event: RunEvent): RunState => {
  if (event.type === 'RunStarted') {
    const { data } = event;
    return {
      status: 'running',
      runId: data.runId,
      definition: data.definition,
      input: data.input,
      idempotencyKey: data.idempotencyKey,
      seed: data.seed,
      ...(data.concurrencyKey === undefined ? {} : { concurrencyKey: data.concurrencyKey }),
      ...(data.concurrency === undefined ? {} : { concurrency: data.concurrency }),
      ...(data.startControl === undefined ? {} : { startControl: data.startControl }),
      ...(data.parent === undefined ? {} : { parent: data.parent }),
      startedAt: data.startedAt,
      runAttempt: 1,
      steps: Object.fromEntries(
        data.definition.steps.map((step) => [step.id, { status: 'pending' } satisfies StepRuntime]),
      ),
      tasks: {},
      attempts: {},
      timers: {},
      signals: { seen: [], buffered: [] },
      succeededOrder: [],
    };
  }
  if (state.status === 'notStarted') return state;
  const run = state;

  switch (event.type) {
    case 'TaskDispatched':
    case 'TaskRateLimited':
    case 'TaskAwaitingSlot': {
      const limited = event.type === 'TaskRateLimited';
      const awaitsSlot = event.type === 'TaskAwaitingSlot';
      const data =
        event.type === 'TaskRateLimited'
          ? withoutRateLimit(event.data)
          : event.type === 'TaskAwaitingSlot'
            ? withoutSlot(event.data)
            : event.data;
      // A retry's dispatch keeps the rate limit and the concurrency key its first attempt was given.
      const rateLimit =
        event.type === 'TaskDispatched'
          ? run.tasks[data.taskId]?.rateLimit
          : (event.data.rateLimit ?? run.tasks[data.taskId]?.rateLimit);
      const slot = event.type === 'TaskAwaitingSlot' ? event.data.slot : run.tasks[data.taskId]?.slot;
      let next = withTask(run, {
        taskId: data.taskId,
        stepId: data.stepId,
        ...(data.itemIndex === undefined ? {} : { itemIndex: data.itemIndex }),
        purpose: data.purpose,
        attempt: data.attempt,
        status: limited ? 'rateLimited' : awaitsSlot ? 'slotWaiting' : 'dispatched',
        ...(rateLimit ? { rateLimit } : {}),
        ...(event.type === 'TaskRateLimited' ? { rateLimitWait: rateLimitWaitOf(run, event.data) } : {}),
        ...(slot ? { slot } : {}),
        ...(awaitsSlot ? { slotWait: { since: data.dispatchedAt } } : {}),
        dispatch: { kind: 'task', task: data },
      });
      next = { ...next, attempts: { ...next.attempts, [data.taskId]: data.attempt } };
      next = withoutTimers(next, (timer) => timer.taskId === data.taskId && timer.purpose === 'retry');
      if (data.purpose === 'step') {
        const step = next.steps[data.stepId];
        const map = step?.map;
        if (map && data.itemIndex !== undefined && data.itemIndex >= map.nextIndex) {
          next = withStep(next, data.stepId, { map: { ...map, nextIndex: data.itemIndex + 1 } });
        }
        if (step?.status === 'pending') next = withStep(next, data.stepId, { status: 'active' });
      }
      return next;
    }
    case 'ChildRunRequested': {
      const { data } = event;
      let next = withTask(run, {
        taskId: data.taskId,
        stepId: data.stepId,
        purpose: 'step',
        attempt: data.attempt,
        status: 'dispatched',
        dispatch: { kind: 'child', child: data },
      });
      next = { ...next, attempts: { ...next.attempts, [data.taskId]: data.attempt } };
      next = withoutTimers(next, (timer) => timer.taskId === data.taskId && timer.purpose === 'retry');
      return withStep(next, data.stepId, { status: 'active' });
    }
    case 'ChildRunCancellationRequested':
      return run;
    case 'TimerScheduled':
      return { ...run, timers: { ...run.timers, [event.data.timerId]: event.data } };
    case 'TimerFired': {
      const { [event.data.timerId]: _fired, ...timers } = run.timers;
      return { ...run, timers };
    }
    case 'StepSkipped':
      return withStep(run, event.data.stepId, { status: 'skipped', skipReason: event.data.reason });
    case 'MapExpanded':
      return withStep(run, event.data.stepId, {
        status: 'active',
        map: {
          items: event.data.items,
          results: new Array<unknown>(event.data.items.length).fill(null),
          nextIndex: 0,
          completed: 0,
        },
      });
    case 'StepWaiting':
      return withStep(run, event.data.stepId, {
        status: 'active',
        ...(event.data.signal === undefined ? {} : { awaitingSignal: event.data.signal }),
      });
    case 'StepAttemptStarted': {
      const task = run.tasks[event.data.taskId];
      if (!task || task.attempt !== event.data.attempt) return run;
      const next = withTask(run, { ...task, status: 'started', startedAt: event.data.startedAt });
      return withoutTimers(
        next,
        (timer) => timer.taskId === task.taskId && timer.purpose === 'scheduleToStart',
      );
    }
    case 'HeartbeatRecorded': {
      const task = run.tasks[event.data.taskId];
      if (!task || task.attempt !== event.data.attempt) return run;
      return withTask(run, {
        ...task,
        lastHeartbeatAt: event.data.at,
        ...(event.data.details === undefined ? {} : { lastHeartbeatDetails: event.data.details }),
      });
    }
    case 'StepAttemptSucceeded': {
      const task = run.tasks[event.data.taskId];
      let next = finishTask(run, event.data.taskId);
      const step = next.steps[task?.stepId ?? ''];
      if (task?.purpose === 'step' && task.itemIndex !== undefined && step?.map) {
        const results = [...step.map.results];
        results[task.itemIndex] = event.data.output;
        next = withStep(next, task.stepId, {
          map: { ...step.map, results, completed: step.map.completed + 1 },
        });
      }
      return next;
    }
    case 'StepAttemptFailed':
      return finishAttempt(run, event.data.taskId);
    case 'StepTimedOut':
      return event.data.taskId === undefined
        ? withoutTimers(run, (timer) => timer.stepId === event.data.stepId)
        : finishAttempt(run, event.data.taskId);
    case 'StepRetryScheduled': {
      const task = run.tasks[event.data.taskId];
      return task ? withTask(run, { ...task, status: 'backoff', attempt: event.data.attempt }) : run;
    }
    case 'SignalReceived':
      return {
        ...run,
        signals: {
          seen: [...run.signals.seen, event.data.signalId],
          buffered: [
            ...run.signals.buffered,
            { signalId: event.data.signalId, name: event.data.name, payload: event.data.payload },
          ],
        },
      };
    case 'StepSucceeded': {
      const { stepId, output, signalId } = event.data;
      let next = withStep(run, stepId, { status: 'succeeded', output });
      next = withoutTimers(next, (timer) => timer.stepId === stepId);
      next = { ...next, succeededOrder: [...next.succeededOrder, stepId] };
      if (signalId !== undefined) {
        next = {
          ...next,
          signals: {
            ...next.signals,
            buffered: next.signals.buffered.filter((s) => s.signalId !== signalId),
          },
        };
      }
      return next;
    }
    case 'StepFailed': {
      let next = withStep(run, event.data.stepId, { status: 'failed', error: event.data.error });
      for (const task of Object.values(next.tasks))
        if (task.stepId === event.data.stepId && task.purpose === 'step')
          next = finishTask(next, task.taskId);
      return withoutTimers(next, (timer) => timer.stepId === event.data.stepId);
    }
    case 'StepCancelled': {
      let next = run;
      for (const task of Object.values(next.tasks))
        if (task.stepId === event.data.stepId) next = finishTask(next, task.taskId);
      next = withoutTimers(next, (timer) => timer.stepId === event.data.stepId);
      return next.steps[event.data.stepId]?.status === 'active'
        ? withStep(next, event.data.stepId, { status: 'cancelled' })
        : next;
    }
    case 'RunCompensating':
      return {
        ...run,
        status: 'compensating',
        compensation: {
          pending: event.data.steps,
          compensated: [],
          failed: [],
          error: event.data.error,
          ...(event.data.failedStep === undefined ? {} : { failedStep: event.data.failedStep }),
        },
      };
    case 'StepCompensated':
    case 'StepCompensationFailed': {
      const compensation = run.compensation;
      const { stepId } = event.data;
      const done = event.type === 'StepCompensated';
      let next = withStep(run, stepId, { compensation: done ? 'compensated' : 'failed' });
      for (const task of Object.values(next.tasks))
        if (task.stepId === stepId && task.purpose === 'compensation') next = finishTask(next, task.taskId);
      if (!compensation) return next;
      return {
        ...next,
        compensation: {
          ...compensation,
          pending: compensation.pending.filter((id) => id !== stepId),
          compensated: done ? [...compensation.compensated, stepId] : compensation.compensated,
          failed: done ? compensation.failed : [...compensation.failed, stepId],
        },
      };
    }
    case 'RunCompleted':
      return finishRun(run, {
        status: 'completed',
        output: event.data.output,
        finishedAt: event.data.completedAt,
      });
    case 'RunFailed':
      return finishRun(run, {
        status: 'failed',
        error: event.data.error,
        ...(event.data.failedStep === undefined ? {} : { failedStep: event.data.failedStep }),
        finishedAt: event.data.failedAt,
      });
    case 'RunCancelled':
      return finishRun(run, { status: 'cancelled', finishedAt: event.data.cancelledAt });
    case 'RunTimedOut':
      return finishRun(run, { status: 'timedOut', finishedAt: event.data.timedOutAt });
    case 'RunResumed': {
      const reset = new Set(event.data.resetSteps);
      const steps: Run['steps'] = {};
      for (const [id, step] of Object.entries(run.steps))
        steps[id] = reset.has(id) ? { status: 'pending' } : step;
      const {
        error: _error,
        failedStep: _failedStep,
        compensation: _compensation,
        finishedAt: _finishedAt,
        ...rest
      } = run;
      return {
        ...rest,
        status: 'running',
        runAttempt: event.data.runAttempt,
        steps,
        succeededOrder: run.succeededOrder.filter((id) => !reset.has(id)),
      };
    }
    case 'RunWaitingForConcurrency':
    case 'ConcurrencySlotAcquired':
      return evolveConcurrencySlot(run, event);
    case 'RunWaitingToStart':
    case 'RunStartReleased':
      return evolveStartGate(run, event);
    case 'TaskSlotReleased':
      return run;
    case 'TaskWaitingForSlot': {
      const task = run.tasks[event.data.taskId];
      if (!task || task.attempt !== event.data.attempt || task.status !== 'slotWaiting') return run;
      const { reason, position, inUse, limit } = event.data;
      return withTask(run, {
        ...task,
        slotWait: { since: task.slotWait?.since ?? event.data.at, reason, position, inUse, limit },
      });
    }
    case 'TaskWaitingForRateLimit': {
      const task = run.tasks[event.data.taskId];
      if (!task || task.attempt !== event.data.attempt || task.status !== 'rateLimited') return run;
      const { reason, until } = event.data;
      return withTask(run, {
        ...task,
        rateLimitWait: { since: task.rateLimitWait?.since ?? event.data.at, reason, until },
      });
    }
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
};

/** The current attempt is over: its timers lapse, the task stays (the decider retries it or fails the step). */
const finishAttempt = (run: Run, taskId: string): Run => {
  const task = run.tasks[taskId];
  if (!task) return run;
  return withoutTimers(run, (timer) => timer.taskId === taskId && timer.attempt === task.attempt);
};
