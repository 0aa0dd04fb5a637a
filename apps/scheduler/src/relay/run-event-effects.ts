import {
  type CancelRunCommand,
  type ChildRunFinishedCommand,
  type ChildRunStartedCommand,
  type StartRunCommand,
  downcastTaskDispatch,
  externalWorkerName,
  type TaskCancellation,
  TASK_DISPATCH_VERSION,
  type TaskDispatch as TaskDispatchMessage,
  taskTopicOf,
  Topics,
} from '@spark/contracts';
import { type RecordedEvent } from '@spark/event-store';
import {
  decodeRunEvent,
  parseTaskIdempotencyKey,
  type ChildRunCancellationRequested,
  type ChildRunRequested,
  type RunConcurrency,
  type RunEvent,
  type RunStarted,
  type ScheduledRunOutcome,
  type TaskDispatched,
  type TimerFired,
  type TimerScheduled,
} from '@spark/workflow-domain';

export type RelayEffect =
  | { kind: 'publish'; topic: string; key: string; value: unknown; headers: Record<string, string> }
  | { kind: 'upsertTimer'; runId: string; timerId: string; fireAt: Date; traceparent?: string }
  | { kind: 'removeTimer'; runId: string; timerId: string }
  | { kind: 'removeRunTimers'; runId: string }
  | {
      kind: 'upsertScheduleTimer';
      scheduleId: string;
      nominalTime: string;
      fireAt: Date;
      revision: bigint;
      traceparent?: string;
    }
  | { kind: 'removeScheduleTimer'; scheduleId: string; revision: bigint }
  | {
      kind: 'scheduledRunFinished';
      scheduleId: string;
      idempotencyKey: string;
      runId: string;
      outcome: ScheduledRunOutcome;
    };

/** What the relay knows about a run from its RunStarted event. */
export interface RunFacts {
  workflow: { name: string; version: number };
  parent?: { runId: string; stepId: string };
  /** Set for a run a schedule started: the schedule is told when it finishes. */
  schedule?: { scheduleId: string; idempotencyKey: string };
  /** Set for a run that holds a slot of a concurrency scope while it is live (docs/adr/0120). */
  concurrency?: RunConcurrency;
}

/** The events the relay acts on; everything else in a run stream is the decider's own bookkeeping. */
export const RELAYED_EVENT_TYPES = [
  'RunStarted',
  'TaskDispatched',
  'TimerScheduled',
  'TimerFired',
  'ChildRunRequested',
  'ChildRunCancellationRequested',
  'RunCompleted',
  'RunFailed',
  'RunCancelled',
  'RunTimedOut',
  'RunResumed',
  'TaskRateLimited',
  'TaskWaitingForRateLimit',
  'TaskAwaitingSlot',
  'TaskSlotReleased',
] as const satisfies readonly RunEvent['type'][];

const FINAL_OUTCOMES = {
  RunCompleted: 'completed',
  RunFailed: 'failed',
  RunCancelled: 'cancelled',
  RunTimedOut: 'timedOut',
} as const;

/**
 * Turns one stored run event into what must happen outside the event store: task dispatches to
 * Kafka, timers in the timer table, commands for child and parent runs. Pure, so a replay after a
 * crash produces the same effects (all of them safe to repeat).
 */
export function effectsOf(
  event: RecordedEvent,
  runId: string,
  facts: RunFacts | undefined,
  now: Date,
): RelayEffect[] {
  const headers: Record<string, string> = event.metadata.traceparent
    ? { traceparent: event.metadata.traceparent }
    : {};
  const issuedAt = now.toISOString();
  const command = (value: { runId: string }, commandId: string): RelayEffect => ({
    kind: 'publish',
    topic: Topics.commands,
    key: value.runId,
    value: { ...value, commandId, issuedAt },
    headers,
  });
  const domainEvent = decodeRunEvent(event, { workflow: facts?.workflow });

  switch (domainEvent.type) {
    case 'RunStarted': {
      const { parent } = (domainEvent as RunStarted).data;
      if (!parent) return [];
      const attempt = parseTaskIdempotencyKey(runId)?.attempt ?? 1;
      const started: Omit<ChildRunStartedCommand, 'commandId' | 'issuedAt'> = {
        type: 'ChildRunStarted',
        runId: parent.runId,
        childRunId: runId,
        stepId: parent.stepId,
        attempt,
      };
      return [command(started, `${event.id}:child-started`)];
    }
    case 'TaskDispatched': {
      const task = (domainEvent as TaskDispatched).data;
      if (!facts) throw new Error(`no RunStarted known for run ${runId}`);
      const message: TaskDispatchMessage = {
        version: TASK_DISPATCH_VERSION,
        idempotencyKey: task.idempotencyKey,
        runId,
        taskId: task.taskId,
        stepId: task.stepId,
        ...(task.itemIndex === undefined ? {} : { itemIndex: task.itemIndex }),
        purpose: task.purpose,
        attempt: task.attempt,
        workflow: facts.workflow,
        handler: task.handler,
        config: task.config,
        input: task.input,
        timeouts: task.timeouts,
        priority: task.priority,
        dispatchedAt: task.dispatchedAt,
        ...(task.notBefore === undefined ? {} : { notBefore: task.notBefore }),
        ...(task.rateLimitStart === undefined ? {} : { rateLimit: task.rateLimitStart }),
      };
      return [
        {
          kind: 'publish',
          topic: taskTopicOf(task.handler, task.queue, task.priority),
          key: runId,
          // External workers read version 1 (docs/external-workers.md, ADR 0132).
          value: externalWorkerName(task.handler) === undefined ? message : downcastTaskDispatch(message),
          headers,
        },
      ];
    }
    case 'TimerScheduled': {
      const timer = (domainEvent as TimerScheduled).data;
      return [
        {
          kind: 'upsertTimer',
          runId,
          timerId: timer.timerId,
          fireAt: new Date(timer.fireAt),
          ...(headers.traceparent ? { traceparent: headers.traceparent } : {}),
        },
      ];
    }
    case 'TimerFired':
      return [{ kind: 'removeTimer', runId, timerId: (domainEvent as TimerFired).data.timerId }];
    case 'ChildRunRequested': {
      const child = (domainEvent as ChildRunRequested).data;
      const start: Omit<StartRunCommand, 'commandId' | 'issuedAt'> = {
        type: 'StartRun',
        runId: child.childRunId,
        workflow: child.workflow,
        input: child.input,
        idempotencyKey: child.childRunId,
        parent: { runId, stepId: child.stepId },
      };
      return [command(start, `${event.id}:start-child`)];
    }
    case 'ChildRunCancellationRequested': {
      const { childRunId } = (domainEvent as ChildRunCancellationRequested).data;
      const cancel: Omit<CancelRunCommand, 'commandId' | 'issuedAt'> = {
        type: 'CancelRun',
        runId: childRunId,
        reason: 'parent run cancelled',
      };
      return [command(cancel, `${event.id}:cancel-child`)];
    }
    case 'RunCompleted':
    case 'RunFailed':
    case 'RunCancelled':
    case 'RunTimedOut': {
      const effects: RelayEffect[] = [{ kind: 'removeRunTimers', runId }];
      if (domainEvent.type !== 'RunCompleted') {
        // Tasks of the run may still be running on some executor: none of their results will count.
        const cancellation: TaskCancellation = {
          runId,
          reason: `run ${FINAL_OUTCOMES[domainEvent.type]}`,
          issuedAt,
        };
        effects.push({
          kind: 'publish',
          topic: Topics.taskCancellations,
          key: runId,
          value: cancellation,
          headers,
        });
      }
      if (facts?.parent) {
        const data = domainEvent.data as { output?: unknown; error?: ChildRunFinishedCommand['error'] };
        const finished: Omit<ChildRunFinishedCommand, 'commandId' | 'issuedAt'> = {
          type: 'ChildRunFinished',
          runId: facts.parent.runId,
          childRunId: runId,
          outcome: FINAL_OUTCOMES[domainEvent.type],
          ...(data.output === undefined ? {} : { output: data.output }),
          ...(data.error ? { error: data.error } : {}),
        };
        effects.push(command(finished, `${event.id}:child-finished`));
      }
      if (facts?.schedule)
        effects.push({
          kind: 'scheduledRunFinished',
          ...facts.schedule,
          runId,
          outcome: FINAL_OUTCOMES[domainEvent.type],
        });
      return effects;
    }
    default:
      return [];
  }
}
