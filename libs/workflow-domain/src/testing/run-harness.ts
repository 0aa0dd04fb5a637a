import { type WorkflowDefinition } from '@spark/contracts';

import { type RunCommand } from '../run/commands';
import { decide } from '../run/decide';
import { type RunEvent } from '../run/events';
import { evolve } from '../run/evolve';
import { pendingWork } from '../run/pending-work';
import { type RunError } from '../run/run-error';
import { initialRunState, type RunState } from '../run/state';
import { addMillis, type Instant } from '../time';

/**
 * Drives one run through the run decider the way a scheduler would, with a controllable clock.
 * Each call returns the events that command produced; `events` keeps the whole stream.
 */
export class RunHarness {
  state: RunState = initialRunState();
  readonly events: RunEvent[] = [];
  now: Instant;

  constructor(
    readonly runId = 'run-1',
    start: Instant = '2026-01-01T00:00:00.000Z',
  ) {
    this.now = start;
  }

  advanceTime(ms: number): this {
    this.now = addMillis(this.now, ms);
    return this;
  }

  async send(command: { type: RunCommand['type']; data: unknown }): Promise<RunEvent[]> {
    const produced = await decide({ ...command, metadata: { now: this.now } } as RunCommand, this.state);
    for (const event of produced) this.state = evolve(this.state, event);
    this.events.push(...produced);
    return produced;
  }

  start(definition: WorkflowDefinition, input: unknown = {}, extra: Record<string, unknown> = {}) {
    return this.send({ type: 'StartRun', data: { runId: this.runId, definition, input, ...extra } });
  }
  started(taskId: string, attempt = 1) {
    return this.send({ type: 'RecordTaskStarted', data: { taskId, attempt } });
  }
  heartbeat(taskId: string, attempt = 1) {
    return this.send({ type: 'RecordHeartbeat', data: { taskId, attempt } });
  }
  succeed(taskId: string, output: unknown = null, attempt = 1) {
    return this.send({ type: 'RecordTaskSucceeded', data: { taskId, attempt, output } });
  }
  fail(
    taskId: string,
    error: RunError,
    options: { attempt?: number; retryable?: boolean; retryAfterMs?: number } = {},
  ) {
    const { attempt = 1, retryable = true, retryAfterMs } = options;
    return this.send({
      type: 'RecordTaskFailed',
      data: { taskId, attempt, error, retryable, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) },
    });
  }
  fireTimer(timerId: string) {
    return this.send({ type: 'FireTimer', data: { timerId } });
  }
  /** Moves the clock to the earliest live timer and fires it. */
  async fireNextTimer(): Promise<RunEvent[]> {
    const timer = pendingWork(this.state).timers[0];
    if (!timer) throw new Error('no timer pending');
    if (timer.fireAt > this.now) this.now = timer.fireAt;
    return this.fireTimer(timer.timerId);
  }
  signal(name: string, payload: unknown, signalId = `${name}-1`, reason?: string) {
    return this.send({
      type: 'ReceiveSignal',
      data: { signalId, name, payload, ...(reason === undefined ? {} : { reason }) },
    });
  }
  childFinished(
    childRunId: string,
    outcome: 'completed' | 'failed' | 'cancelled' | 'timedOut',
    output?: unknown,
  ) {
    return this.send({ type: 'RecordChildRunFinished', data: { childRunId, outcome, output } });
  }
  cancel(reason = 'user request') {
    return this.send({ type: 'CancelRun', data: { reason } });
  }
  retryFromFailure(reason?: string) {
    return this.send({ type: 'RetryRunFromFailure', data: reason === undefined ? {} : { reason } });
  }

  /** Task ids currently waiting for an executor, in dispatch order. */
  get dispatchedTaskIds(): string[] {
    return pendingWork(this.state).dispatches.map((task) => task.taskId);
  }
  get status(): string {
    return this.state.status;
  }
}

export const eventTypes = (events: readonly RunEvent[]): string[] => events.map((event) => event.type);
