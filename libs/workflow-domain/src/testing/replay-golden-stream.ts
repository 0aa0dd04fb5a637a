import { decodeRunEvent, RUN_EVENT_UPCASTERS, type StoredEvent, type Upcaster } from '../run/codec';
import { type RunCommand } from '../run/commands';
import { type RunEvent } from '../run/events';
import { runDecider } from '../run/run-decider';
import { type RunState } from '../run/state';

/** A stored run stream as tools/golden-runs/record.ts writes it. */
export interface GoldenStream {
  about: string;
  outcome: string;
  events: {
    revision: number;
    type: string;
    causationId: string | null;
    data: unknown;
    metadata?: Record<string, unknown>;
  }[];
}

/** One command's worth of a stream: the events one decision appended. */
export interface ReplayedDecision {
  command: RunCommand;
  recorded: RunEvent[];
  decided: RunEvent[];
}

/**
 * Replays a recorded run stream: the events are cut where the causation changes (one command's
 * decision each), the command is read back from the first events of its cut, and `decide`, on the
 * state `evolve` folds from everything before, must append exactly what was recorded.
 */
export async function replayGoldenStream(
  golden: GoldenStream,
  upcasters: Readonly<Record<number, Upcaster>> = RUN_EVENT_UPCASTERS,
): Promise<{ decisions: ReplayedDecision[]; state: RunState }> {
  const decisions: ReplayedDecision[] = [];
  let state = runDecider.initialState();
  for (const stored of decisionsOf(golden)) {
    // Read as the decider repository reads a stored stream: each event decoded on the state before it.
    const recorded: RunEvent[] = [];
    let after = state;
    for (const event of stored) {
      const decoded = decodeRunEvent(event, workflowOf(after), upcasters);
      recorded.push(decoded);
      after = runDecider.evolve(after, decoded);
    }
    const command = commandOf(recorded);
    const decided = await runDecider.decide(command, state);
    decisions.push({ command, recorded, decided });
    state = after;
  }
  return { decisions, state };
}

const workflowOf = (state: RunState) =>
  state.status === 'notStarted'
    ? {}
    : { workflow: { name: state.definition.name, version: state.definition.version } };

/** The stored events, cut where the causation changes; golden files carry no metadata, so they are version 1. */
function decisionsOf(golden: GoldenStream): StoredEvent[][] {
  const cuts: StoredEvent[][] = [];
  let cause: string | null | undefined;
  for (const event of golden.events) {
    if (cuts.length === 0 || event.causationId !== cause) cuts.push([]);
    cause = event.causationId;
    cuts.at(-1)!.push({ type: event.type, data: event.data, metadata: event.metadata ?? {} });
  }
  return cuts;
}

/** The command that made a decision's events, read back from them. */
function commandOf(events: RunEvent[]): RunCommand {
  const first = events[0]!;
  const find = <Type extends RunEvent['type']>(type: Type) =>
    events.find((event): event is Extract<RunEvent, { type: Type }> => event.type === type);
  switch (first.type) {
    case 'RunStarted': {
      const { runId, definition, input, idempotencyKey, parent, labels, seed, startedAt } = first.data;
      return {
        type: 'StartRun',
        data: {
          runId,
          definition,
          input,
          idempotencyKey,
          seed,
          ...(parent ? { parent } : {}),
          ...(labels ? { labels } : {}),
        },
        metadata: { now: startedAt },
      };
    }
    case 'StepAttemptStarted':
    case 'StepAttemptSucceeded':
    case 'StepAttemptFailed': {
      const started = find('StepAttemptStarted');
      const report = { taskId: first.data.taskId, attempt: first.data.attempt };
      const final = { ...(started ? { startedAt: started.data.startedAt } : {}) };
      const workerId = started?.data.workerId;
      const succeeded = find('StepAttemptSucceeded');
      if (succeeded)
        return {
          type: 'RecordTaskSucceeded',
          data: { ...report, output: succeeded.data.output, ...final, ...(workerId ? { workerId } : {}) },
          metadata: { now: succeeded.data.at },
        };
      const failed = find('StepAttemptFailed');
      if (failed)
        return {
          type: 'RecordTaskFailed',
          data: {
            ...report,
            error: failed.data.error,
            retryable: failed.data.retryable,
            ...final,
            ...(workerId ? { workerId } : {}),
          },
          metadata: { now: failed.data.at },
        };
      return {
        type: 'RecordTaskStarted',
        data: { ...report, ...(workerId ? { workerId } : {}) },
        metadata: { now: started!.data.startedAt },
      };
    }
    case 'HeartbeatRecorded':
      return {
        type: 'RecordHeartbeat',
        data: {
          taskId: first.data.taskId,
          attempt: first.data.attempt,
          ...(first.data.details === undefined ? {} : { details: first.data.details }),
        },
        metadata: { now: first.data.at },
      };
    case 'TimerFired':
      return {
        type: 'FireTimer',
        data: { timerId: first.data.timerId },
        metadata: { now: first.data.firedAt },
      };
    case 'SignalReceived':
      return {
        type: 'ReceiveSignal',
        data: {
          signalId: first.data.signalId,
          name: first.data.name,
          payload: first.data.payload,
          ...(first.data.reason === undefined ? {} : { reason: first.data.reason }),
        },
        metadata: { now: first.data.at },
      };
    case 'StepCancelled':
    case 'RunCancelled': {
      const cancelled = find('RunCancelled');
      if (!cancelled) break;
      return {
        type: 'CancelRun',
        data: { reason: cancelled.data.reason },
        metadata: { now: cancelled.data.cancelledAt },
      };
    }
    case 'RunResumed':
      return {
        type: 'RetryRunFromFailure',
        data: first.data.reason === undefined ? {} : { reason: first.data.reason },
        metadata: { now: first.data.resumedAt },
      };
    default:
      break;
  }
  throw new Error(`no command is known to start a decision with ${events.map((e) => e.type).join(', ')}`);
}
