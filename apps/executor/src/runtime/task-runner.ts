import { type Span, SpanStatusCode } from '@opentelemetry/api';
import {
  TASK_RESULT_VERSION,
  type TaskDispatch,
  type TaskError,
  type TaskResult,
  type TaskStarted,
} from '@spark/contracts';
import { inSpan, SparkAttributes } from '@spark/telemetry';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { type HandlerRegistry, TaskExecutionError, toTaskError } from '../handlers';
import type { StartClaims } from '../rate-limits';
import type { Bulkheads, BulkheadStats, Release } from './bulkhead';
import { HeartbeatThrottle } from './heartbeats';

/** Where results go: `spark.task-results` in the service, a list in tests. */
export interface ResultSink {
  publish(result: TaskResult, dispatch: TaskDispatch): Promise<void>;
}

export interface TaskRunnerSettings {
  workerId: string;
  /** The least time between two published heartbeats of one task. */
  heartbeatThrottleMs: number;
  /**
   * How long a task runs before its `started` is published. A task that ends sooner publishes only its
   * result, with `startedAt`: one message and one decision fewer per attempt. 0 publishes `started` first.
   */
  startedReportDelayMs: number;
}

/** Told when an attempt's handler has finished (for the step latency metric). */
export type AttemptObserver = (handler: string, outcome: 'succeeded' | 'failed', seconds: number) => void;

/** A task that has its slot and has published `started`; `completion` settles once its result is published. */
export interface StartedTask {
  completion: Promise<void>;
}

/** Config fields that would put a secret into the workflow text, which anyone reading runs can see. */
const SECRET_FIELDS = ['apiKey', 'api_key', 'apikey', 'x-api-key'];

/**
 * How many finished attempts a runner remembers, and for how long: enough to cover the redeliveries of a
 * batch whose offsets could not be committed (a rebalance, a paused process) after its results went out.
 */
const FINISHED_REMEMBERED = { max: 20_000, ttl: 15 * 60_000 };

/** How long a rate-limited task waits before claiming its start again when the database failed. */
const CLAIM_RETRY_MS = 1000;

interface RunningTask {
  dispatch: TaskDispatch;
  controller: AbortController;
  started: Promise<StartedTask>;
}

/**
 * Runs dispatches through their handler: waits for the handler type's bulkhead, publishes `started`,
 * aborts on the start-to-close timeout (TIMEOUT), on cancel (CANCELLED) and at shutdown, throttles
 * heartbeats, and publishes exactly one `succeeded` or `failed`. A dispatch that is already running
 * here, or whose result this runner has already published (Kafka redelivered it), is not run twice.
 */
export class TaskRunner {
  private readonly running = new Map<string, RunningTask>();
  /**
   * Attempts whose final result was published (by idempotency key). A redelivery of one must not run
   * again: the scheduler may already have moved on to the next attempt, whose different key would let the
   * target apply the effect twice (found by bench/chaos: an executor paused past its session timeout).
   */
  private readonly finished = new LRUCache<string, true>(FINISHED_REMEMBERED);
  private accepting = true;
  /** Rate-limited tasks whose start is not claimed yet, by key (for /metrics). */
  private readonly claimWaits = new Map<string, number>();
  /** The tail of each key's line of claimers in this runner. */
  private readonly claimLines = new Map<string, Promise<void>>();

  constructor(
    private readonly handlers: HandlerRegistry,
    private readonly bulkheads: Bulkheads,
    private readonly results: ResultSink,
    private readonly settings: TaskRunnerSettings,
    private readonly logger: Logger,
    private readonly onAttemptFinished?: AttemptObserver,
    /** Where rate-limited starts are claimed (docs/adr/0127); without it they start at `notBefore`. */
    private readonly startClaims?: StartClaims,
  ) {}

  /**
   * Resolves once the task has a slot (this is where backpressure comes from), and its `started` is
   * published when `startedReportDelayMs` is 0.
   */
  start(dispatch: TaskDispatch): Promise<StartedTask> {
    if (!this.accepting) {
      return Promise.reject(new Error('the executor is shutting down and takes no new tasks'));
    }
    const existing = this.running.get(dispatch.idempotencyKey);
    if (existing) return existing.started;
    if (this.finished.has(dispatch.idempotencyKey)) {
      this.logger.warn(
        { runId: dispatch.runId, stepId: dispatch.stepId, attempt: dispatch.attempt },
        'dispatch redelivered after its result was published; not run again',
      );
      return Promise.resolve({ completion: Promise.resolve() });
    }
    const task: RunningTask = { dispatch, controller: new AbortController(), started: undefined as never };
    const heldMs = notBeforeOf(dispatch) - Date.now();
    // A task that claims its start may wait for it: like a held one, it does not hold up the consumer.
    const claims = dispatch.rateLimit !== undefined && this.startClaims !== undefined;
    task.started = heldMs > 0 || claims ? this.hold(task, heldMs) : this.begin(task);
    this.running.set(dispatch.idempotencyKey, task);
    task.started.then(
      ({ completion }) =>
        completion.finally(() => this.running.delete(dispatch.idempotencyKey)).catch(() => undefined),
      () => this.running.delete(dispatch.idempotencyKey),
    );
    return task.started;
  }

  /** Aborts the run's running tasks (or one task's); each still publishes its `failed` (CANCELLED). */
  cancel(runId: string, taskId?: string): number {
    let cancelled = 0;
    for (const { dispatch, controller } of this.running.values()) {
      if (dispatch.runId !== runId || (taskId !== undefined && dispatch.taskId !== taskId)) continue;
      controller.abort(TaskExecutionError.cancelled(`task ${dispatch.taskId} of run ${runId} was cancelled`));
      cancelled++;
    }
    return cancelled;
  }

  /**
   * Takes no new tasks, lets running ones finish for up to `graceMs`, then aborts the rest as
   * retryable (EXECUTOR_SHUTDOWN: another executor should try again) and waits for their results.
   */
  async shutdown(graceMs: number): Promise<void> {
    this.accepting = false;
    const completions = () =>
      Promise.allSettled([...this.running.values()].map((task) => task.started.then((s) => s.completion)));
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'grace over'>(
      (resolve) => (timer = setTimeout(() => resolve('grace over'), graceMs)),
    );
    const outcome = await Promise.race([completions(), graceOver]);
    clearTimeout(timer);
    if (outcome !== 'grace over') return;
    for (const { controller } of this.running.values()) {
      controller.abort(
        TaskExecutionError.retryable('EXECUTOR_SHUTDOWN', 'the executor shut down during the task'),
      );
    }
    await completions();
  }

  get runningCount(): number {
    return this.running.size;
  }

  stats(): Record<string, BulkheadStats> {
    return this.bulkheads.stats();
  }

  /** Rate-limited tasks whose start is not claimed yet (in line for their key, or waiting), by key. */
  startClaimWaits(): ReadonlyMap<string, number> {
    return this.claimWaits;
  }

  /**
   * A rate-limited attempt sent ahead of its token (docs/adr/0126) waits here until its `notBefore`,
   * without a bulkhead slot and without holding up the consumer (its offset is committed as for a
   * started task; if this process dies, the scheduler's timeout counted from `notBefore` covers it).
   */
  private hold(task: RunningTask, heldMs: number): Promise<StartedTask> {
    const completion = (async () => {
      // A timer may fire a millisecond before the wall clock says it is time: wait out the rest.
      for (let left = heldMs; left > 0; left = notBeforeOf(task.dispatch) - Date.now())
        await new Promise((resolve) => setTimeout(resolve, left));
      const { completion: done } = await this.begin(task);
      await done;
    })();
    return Promise.resolve({ completion });
  }

  /**
   * A slot of the task's bulkhead and the time the task starts: now, or for a rate-limited task a start
   * claimed in its key's window shared by every executor (docs/adr/0127), waited for without a slot.
   * Undefined when the scheduler has timed the attempt out, or will before word of its start could reach
   * it, and moves on without it: running it now would apply an effect that the run no longer counts.
   */
  private async slotAndStart(
    task: RunningTask,
  ): Promise<{ release: Release; startedAt: string } | undefined> {
    const { rateLimit } = task.dispatch;
    if (!rateLimit || !this.startClaims) {
      const slot = await this.slotUnlessTimedOut(task, () => new Date().toISOString());
      return slot === 'wait' ? undefined : slot;
    }
    const claims = this.startClaims;
    // In line by its token's time across executors (`notBefore`, or its dispatch when it had none).
    const tokenAt = Math.max(notBeforeOf(task.dispatch), Date.parse(task.dispatch.dispatchedAt));
    const claimer = {
      id: task.dispatch.idempotencyKey,
      order: Number.isFinite(tokenAt) ? tokenAt : Date.now(),
    };
    // One claimer per key in this executor, in the order they came (their tokens' order): a task that
    // waits for its key is not overtaken by a later one that happens to ask at the right moment.
    return this.inKeyLine(rateLimit.key, async () => {
      for (;;) {
        let waitMs = 0;
        const slot = await this.slotUnlessTimedOut(task, async (release) => {
          // Cancelled or shut down while in line: it claims nothing and ends at once (its handler sees
          // the aborted signal and its failure is published), rather than wait for a start it won't use.
          if (task.controller.signal.aborted) return new Date().toISOString();
          try {
            const claim = await claims.claim(rateLimit, claimer, () => new Date().toISOString());
            if (claim.granted) return claim.startedAt;
            waitMs = claim.waitMs;
          } catch (error) {
            // Waiting, not failing: the scheduler's timeout ends the wait if the database stays away.
            this.logger.warn(
              { err: error, runId: task.dispatch.runId, taskId: task.dispatch.taskId, key: rateLimit.key },
              'could not claim a rate-limited start; trying again',
            );
            waitMs = CLAIM_RETRY_MS;
          }
          release();
          return undefined;
        });
        if (slot !== 'wait') return slot;
        await sleepUnlessAborted(waitMs, task.controller.signal);
      }
    });
  }

  /** A bulkhead slot and `startAt`'s time, unless timed out; 'wait' when `startAt` gave the slot back. */
  private async slotUnlessTimedOut(
    task: RunningTask,
    startAt: (release: Release) => string | undefined | Promise<string | undefined>,
  ): Promise<{ release: Release; startedAt: string } | undefined | 'wait'> {
    const { dispatch } = task;
    const release = await this.bulkheads.for(dispatch.handler).acquire(dispatch.priority);
    const { untilTimedOut, marginMs } = scheduledTimeoutOf(dispatch, Date.now());
    if (untilTimedOut <= marginMs) {
      release();
      this.logger.warn(
        { runId: dispatch.runId, taskId: dispatch.taskId, attempt: dispatch.attempt },
        'dispatch arrived after its timeout; not run',
      );
      return undefined;
    }
    const startedAt = await startAt(release);
    return startedAt === undefined ? 'wait' : { release, startedAt };
  }

  /** Runs `work` once every earlier `work` of `key` in this runner has finished; counted meanwhile. */
  private async inKeyLine<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.claimLines.get(key) ?? Promise.resolve();
    let done: () => void = () => undefined;
    const tail = before.then(() => new Promise<void>((resolve) => (done = resolve)));
    this.claimLines.set(key, tail);
    this.claimWaits.set(key, (this.claimWaits.get(key) ?? 0) + 1);
    try {
      await before;
      return await work();
    } finally {
      done();
      if (this.claimLines.get(key) === tail) this.claimLines.delete(key);
      const left = this.claimWaits.get(key)! - 1;
      if (left > 0) this.claimWaits.set(key, left);
      else this.claimWaits.delete(key);
    }
  }

  private async begin(task: RunningTask): Promise<StartedTask> {
    const { dispatch } = task;
    const slot = await this.slotAndStart(task);
    if (!slot) return { completion: Promise.resolve() };
    const { release } = slot;
    const { untilTimedOut, marginMs } = scheduledTimeoutOf(dispatch, Date.now());
    const started = {
      at: slot.startedAt,
      reported: false,
      timer: undefined as NodeJS.Timeout | undefined,
    };
    const reportStarted = () => {
      started.reported = true;
      return this.results.publish(
        { ...this.resultBase(dispatch), at: started.at, status: 'started' },
        dispatch,
      );
    };
    // A dispatch that waited long must say it started while the scheduler's timer can still hear it.
    const reportDelayMs =
      untilTimedOut - this.settings.startedReportDelayMs < 2 * marginMs
        ? 0
        : this.settings.startedReportDelayMs;
    if (reportDelayMs === 0) {
      try {
        await reportStarted();
      } catch (error) {
        release();
        throw error;
      }
    } else {
      started.timer = setTimeout(
        () =>
          void reportStarted().catch((error: unknown) =>
            // The result still says when the attempt started; only the early word is lost.
            this.logger.warn({ err: error, runId: dispatch.runId }, 'could not publish started'),
          ),
        reportDelayMs,
      );
    }
    const attempt = inSpan(
      'spark.step.attempt',
      {
        attributes: {
          [SparkAttributes.runId]: dispatch.runId,
          [SparkAttributes.stepId]: dispatch.taskId,
          [SparkAttributes.attempt]: dispatch.attempt,
          [SparkAttributes.handler]: dispatch.handler,
          [SparkAttributes.workflow]: dispatch.workflow.name,
        },
      },
      (span) =>
        this.execute(task, span, () => {
          clearTimeout(started.timer);
          return started.reported ? {} : { startedAt: started.at };
        }),
    );
    return { completion: attempt.finally(release) };
  }

  /** `finalReport` stops a pending `started` and says what the result must carry in its place. */
  private async execute(
    { dispatch, controller }: RunningTask,
    span: Span,
    finalReport: () => { startedAt?: string },
  ): Promise<void> {
    const logger = this.logger.child({
      'spark.run.id': dispatch.runId,
      'spark.step.id': dispatch.taskId,
      attempt: dispatch.attempt,
      handler: dispatch.handler,
    });
    const timeout = setTimeout(
      () =>
        controller.abort(
          TaskExecutionError.timeout(
            `the task did not finish within ${dispatch.timeouts.startToCloseMs} ms`,
            {
              scope: 'startToClose',
              timeoutMs: dispatch.timeouts.startToCloseMs,
            },
          ),
        ),
      dispatch.timeouts.startToCloseMs,
    );
    const heartbeatMs = dispatch.timeouts.heartbeatMs;
    const heartbeats = new HeartbeatThrottle(
      (progress) => void this.publishHeartbeat(dispatch, progress, logger),
      heartbeatMs
        ? Math.min(this.settings.heartbeatThrottleMs, heartbeatMs / 2)
        : this.settings.heartbeatThrottleMs,
      // A third of the timeout: the scheduler records a beat when the last is half a timeout old.
      heartbeatMs ? heartbeatMs / 3 : undefined,
    );
    const startedAt = Date.now();
    let outcome: { output: unknown } | { error: TaskError };
    try {
      const output = await this.runHandler(dispatch, controller.signal, heartbeats, logger);
      outcome = { output };
    } catch (error) {
      outcome = { error: toTaskError(error) };
    } finally {
      clearTimeout(timeout);
      heartbeats.stop();
    }
    const durationMs = Date.now() - startedAt;
    this.onAttemptFinished?.(
      dispatch.handler,
      'error' in outcome ? 'failed' : 'succeeded',
      durationMs / 1000,
    );
    if ('error' in outcome) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error.message });
      span.setAttribute('spark.error.code', outcome.error.code);
      logger.info(
        { durationMs, code: outcome.error.code, classification: outcome.error.classification },
        'task failed',
      );
      await this.results.publish(
        { ...this.resultBase(dispatch), ...finalReport(), status: 'failed', error: outcome.error },
        dispatch,
      );
      this.finished.set(dispatch.idempotencyKey, true);
    } else {
      logger.debug({ durationMs }, 'task succeeded');
      await this.results.publish(
        {
          ...this.resultBase(dispatch),
          ...finalReport(),
          status: 'succeeded',
          output: outcome.output ?? null,
        },
        dispatch,
      );
      this.finished.set(dispatch.idempotencyKey, true);
    }
  }

  private async runHandler(
    dispatch: TaskDispatch,
    signal: AbortSignal,
    heartbeats: HeartbeatThrottle,
    logger: Logger,
  ): Promise<unknown> {
    const handler = this.handlers.find(dispatch.handler);
    if (!handler) {
      throw TaskExecutionError.nonRetryable(
        'UNKNOWN_HANDLER',
        `this executor has no handler "${dispatch.handler}"`,
      );
    }
    const secretField = SECRET_FIELDS.find((field) => field in dispatch.config);
    if (secretField) {
      throw TaskExecutionError.nonRetryable(
        'SECRET_IN_DEFINITION',
        `config.${secretField} puts a secret into the workflow; register a source and reference it with config.source`,
      );
    }
    // A handler that ignores its signal still loses the race: the result is published on time.
    const aborted = new Promise<never>((_, reject) => {
      const onAbort = () => reject(signal.reason as Error);
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    aborted.catch(() => undefined);
    return Promise.race([
      handler.execute(dispatch, {
        signal,
        heartbeat: (progress?: unknown) => heartbeats.beat(progress),
        idempotencyKey: dispatch.idempotencyKey,
        logger,
      }),
      aborted,
    ]);
  }

  private async publishHeartbeat(dispatch: TaskDispatch, progress: unknown, logger: Logger): Promise<void> {
    try {
      await this.results.publish(
        {
          ...this.resultBase(dispatch),
          status: 'heartbeat',
          ...(progress === undefined ? {} : { progress }),
        },
        dispatch,
      );
    } catch (error) {
      // A lost heartbeat only matters if all of them are lost; the final result is what must arrive.
      logger.warn({ err: error }, 'could not publish a heartbeat');
    }
  }

  private resultBase(dispatch: TaskDispatch): Omit<TaskStarted, 'status'> {
    return {
      version: TASK_RESULT_VERSION,
      idempotencyKey: dispatch.idempotencyKey,
      runId: dispatch.runId,
      stepId: dispatch.taskId,
      attempt: dispatch.attempt,
      workerId: this.settings.workerId,
      at: new Date().toISOString(),
    };
  }
}

function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** When a dispatch may start (its `notBefore`, docs/adr/0126), as epoch ms; no time at all without one. */
export function notBeforeOf(dispatch: TaskDispatch): number {
  const at = dispatch.notBefore === undefined ? Number.NaN : Date.parse(dispatch.notBefore);
  return Number.isNaN(at) ? Number.NEGATIVE_INFINITY : at;
}

/** The most time a start report may need to reach the scheduler, for budgets that allow it. */
const START_REPORT_MARGIN_MS = 1000;

/**
 * How long until the scheduler times out an attempt that has not reported its start (its
 * schedule-to-start, or else the start-to-close timer it armed at dispatch; docs/adr/0042), and the
 * margin a start report needs to arrive before that: a second, or a quarter of a shorter budget.
 */
export function scheduledTimeoutOf(
  dispatch: TaskDispatch,
  now: number,
): { untilTimedOut: number; marginMs: number } {
  const budget = dispatch.timeouts.scheduleToStartMs ?? dispatch.timeouts.startToCloseMs;
  const dispatchedAt = Math.max(Date.parse(dispatch.dispatchedAt), notBeforeOf(dispatch));
  return {
    untilTimedOut: Number.isNaN(dispatchedAt) ? Number.POSITIVE_INFINITY : dispatchedAt + budget - now,
    marginMs: Math.min(START_REPORT_MARGIN_MS, budget / 4),
  };
}
