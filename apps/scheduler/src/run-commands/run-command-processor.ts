import { type Attributes, type Context, context, ROOT_CONTEXT, type Span, trace } from '@opentelemetry/api';
import {
  SCHEDULE_LABEL,
  SPARK_COMMAND_TYPES,
  type SparkCommand,
  type StartRunCommand,
  type TaskResult,
  type WorkflowDefinition,
} from '@spark/contracts';
import { type Decided, type DeciderRepository, type WorkflowCatalog } from '@spark/engine';
import {
  type AssignmentChange,
  type IncomingMessage,
  type MessageBatch,
  PoisonMessageError,
} from '@spark/messaging';
import {
  contextFromTraceparent,
  currentTraceparent,
  recordError,
  SparkAttributes,
  sparkTracer,
} from '@spark/telemetry';
import {
  isDomainError,
  isFinal,
  type RunCommand,
  type ScheduledRunOutcome,
  type RunEvent,
  type RunState,
  type StartRun,
} from '@spark/workflow-domain';
import type { Logger } from 'pino';
import { KeyedMutex } from './keyed-mutex';
import { toRunCommand } from './to-run-command';

export type RunRepository = DeciderRepository<RunState, RunCommand, RunEvent>;

/** Told when a schedule's start ends without a new run: refused, or the run had already finished. */
export type ScheduledStartListener = (finished: {
  scheduleId: string;
  idempotencyKey: string;
  runId: string;
  outcome: ScheduledRunOutcome;
}) => Promise<void>;

const TASK_RESULT_STATUSES = ['started', 'heartbeat', 'succeeded', 'failed'];

/** A message of a batch on its way: parsed, in its decision span, translated (or refused). */
interface Pending {
  message: IncomingMessage;
  parsed: ParsedMessage;
  causationId: string;
  span: Span;
  /** The decision span's context: logs and what the conclusion calls carry its trace. */
  context: Context;
  traceparent?: string;
  command?: RunCommand;
  decided?: Decided<RunState, RunEvent>;
  refusal?: unknown;
}

/**
 * Applies batches of `spark.commands` and `spark.task-results` messages to their runs: translate,
 * decide each run's messages in order on its cached state, append the whole batch's new events in one
 * multi-stream append (docs/adr/0042-batched-pipeline.md). What the events ask for (dispatches, timers,
 * child runs) is carried out by the relay, which reads them back from the event store.
 *
 * Hot state belongs to the partitions this instance is assigned: when a rebalance takes a partition
 * away, the states of the runs seen on it are dropped, so a partition that comes back is decided on
 * what its stream says, not on what this instance knew before.
 */
export class RunCommandProcessor {
  private readonly mutex = new KeyedMutex();
  /** The runs seen on each assigned partition ("topic:partition"), to forget when it is revoked. */
  private readonly runsByPartition = new Map<string, Set<string>>();

  constructor(
    private readonly runs: RunRepository,
    private readonly catalog: WorkflowCatalog,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
    private readonly observer?: { decided(events: RunEvent[], state: RunState): void },
    private readonly onScheduledStartWithoutRun?: ScheduledStartListener,
  ) {}

  /** Drops the run states owned by revoked partitions. */
  onAssignmentChange({ revoked }: AssignmentChange): void {
    for (const { topic, partition } of revoked) {
      const key = `${topic}:${partition}`;
      const runIds = this.runsByPartition.get(key);
      this.runsByPartition.delete(key);
      if (runIds) this.runs.forget(runIds);
    }
  }

  async processBatch(batch: MessageBatch): Promise<void> {
    const parsed = batch.messages.map((message) => ({ message, parsed: parseMessage(message) }));
    const partitionKey = `${batch.topic}:${batch.partition}`;
    const seen = this.runsByPartition.get(partitionKey) ?? new Set<string>();
    this.runsByPartition.set(partitionKey, seen);
    for (const { parsed: one } of parsed) seen.add(one.runId);
    await this.mutex.runAll(
      parsed.map(({ parsed: one }) => one.runId),
      () => this.decideBatch(parsed),
    );
  }

  private async decideBatch(messages: { message: IncomingMessage; parsed: ParsedMessage }[]): Promise<void> {
    const now = this.clock().toISOString();
    const presumedNew = new Set<string>();
    const pending = await Promise.all(
      messages.map(async ({ message, parsed }): Promise<Pending> => {
        const causationId = `kafka:${message.topic}:${message.partition}:${message.offset}`;
        const parent = contextFromTraceparent(message.headers.traceparent, ROOT_CONTEXT);
        const span = sparkTracer().startSpan('spark.decide', { attributes: attributesOf(parsed) }, parent);
        // The appended events carry this decision's span, so what they cause joins the run's trace.
        const spanContext = trace.setSpan(parent, span);
        const traceparent = currentTraceparent(message.headers.traceparent, spanContext);
        const entry: Pending = {
          message,
          parsed,
          causationId,
          span,
          context: spanContext,
          ...(traceparent ? { traceparent } : {}),
        };
        try {
          entry.command = await context.with(spanContext, () =>
            parsed.kind === 'command' && parsed.value.type === 'StartRun'
              ? this.startRun(parsed.value, now, presumedNew)
              : toRunCommand(parsed.value as Exclude<SparkCommand, { type: 'StartRun' }> | TaskResult, now),
          );
        } catch (error) {
          entry.refusal = error;
        }
        return entry;
      }),
    );
    const decidable = pending.filter((entry) => entry.command);
    try {
      const outcomes = await this.runs.handleBatch(
        decidable.map((entry) => ({
          id: entry.parsed.runId,
          command: entry.command!,
          context: {
            causationId: entry.causationId,
            correlationId: entry.parsed.runId,
            ...(entry.traceparent ? { traceparent: entry.traceparent } : {}),
          },
        })),
        { presumedNew },
      );
      decidable.forEach((entry, index) => {
        const outcome = outcomes[index]!;
        if (outcome.ok) {
          entry.span.setAttribute(SparkAttributes.streamRevision, Number(outcome.decided.revision));
          entry.decided = outcome.decided;
        } else entry.refusal = outcome.error;
      });
      for (const entry of pending) await context.with(entry.context, () => this.conclude(entry));
    } catch (error) {
      for (const entry of pending) recordError(entry.span, error);
      throw error;
    } finally {
      for (const entry of pending) entry.span.end();
    }
  }

  /** After the append: observers, schedules waiting on a start, logs; a refusal that is not the domain's throws. */
  private async conclude(entry: Pending): Promise<void> {
    const { parsed } = entry;
    if (entry.refusal !== undefined) {
      if (!isDomainError(entry.refusal)) throw entry.refusal;
      await this.notifySchedule(parsed, 'refused');
      // The command does not apply (run finished, unknown workflow, ...): retrying cannot help.
      this.logger.warn(
        { runId: parsed.runId, code: entry.refusal.code, err: { message: entry.refusal.message } },
        `refused ${parsed.kind === 'command' ? parsed.value.type : `task result ${parsed.value.status}`}`,
      );
      return;
    }
    const { events, state } = entry.decided!;
    if (events.length > 0) this.observer?.decided(events, state);
    // A backfill or a replayed fire of a run that already finished: the schedule must not wait for it.
    if (events.length === 0 && isFinal(state) && state.status !== 'notStarted')
      await this.notifySchedule(parsed, state.status as ScheduledRunOutcome);
    this.logger.debug(
      { runId: parsed.runId, command: entry.command!.type, events: events.map((event) => event.type) },
      'decided',
    );
  }

  private async notifySchedule(parsed: ParsedMessage, outcome: ScheduledRunOutcome): Promise<void> {
    if (parsed.kind !== 'command' || parsed.value.type !== 'StartRun') return;
    const start: StartRunCommand = parsed.value;
    const scheduleId = start.labels?.[SCHEDULE_LABEL];
    if (!scheduleId || !start.idempotencyKey || !this.onScheduledStartWithoutRun) return;
    await this.onScheduledStartWithoutRun({
      scheduleId,
      idempotencyKey: start.idempotencyKey,
      runId: start.runId,
      outcome,
    });
  }

  /**
   * The StartRun command with its pinned definition. A run not in the cache is presumed new (the
   * usual case: no read before its first append; a redelivered start of an existing run conflicts and
   * its batch is decided again on what the stream says). A redelivered start of an existing run needs
   * no catalog look-up: the decider ignores it.
   */
  private async startRun(
    command: Extract<SparkCommand, { type: 'StartRun' }>,
    now: string,
    presumedNew: Set<string>,
  ): Promise<StartRun> {
    let definition: WorkflowDefinition;
    if (this.runs.isCached(command.runId)) {
      const { state } = await this.runs.load(command.runId);
      definition =
        state.status === 'notStarted'
          ? await this.catalog.get(command.workflow.name, command.workflow.version)
          : (state as Extract<RunState, { definition: unknown }>).definition;
    } else {
      try {
        definition = await this.catalog.get(command.workflow.name, command.workflow.version);
        presumedNew.add(command.runId);
      } catch (error) {
        // An unknown workflow refuses a new run, but not the redelivered start of one that exists.
        const { state } = await this.runs.load(command.runId);
        if (state.status === 'notStarted') throw error;
        definition = (state as Extract<RunState, { definition: unknown }>).definition;
      }
    }
    return {
      type: 'StartRun',
      data: {
        runId: command.runId,
        definition,
        input: command.input ?? null,
        ...(command.idempotencyKey ? { idempotencyKey: command.idempotencyKey } : {}),
        ...(command.parent ? { parent: command.parent } : {}),
        ...(command.labels ? { labels: command.labels } : {}),
      },
      metadata: { now },
    };
  }
}

type ParsedMessage =
  | { kind: 'command'; runId: string; value: SparkCommand }
  | { kind: 'result'; runId: string; value: TaskResult };

function attributesOf(parsed: ParsedMessage): Attributes {
  return {
    [SparkAttributes.runId]: parsed.runId,
    [SparkAttributes.command]:
      parsed.kind === 'command' ? parsed.value.type : `TaskResult:${parsed.value.status}`,
    ...(parsed.kind === 'result'
      ? { [SparkAttributes.stepId]: parsed.value.stepId, [SparkAttributes.attempt]: parsed.value.attempt }
      : {}),
    ...(parsed.kind === 'command' && parsed.value.type === 'StartRun'
      ? { [SparkAttributes.workflow]: parsed.value.workflow.name }
      : {}),
  };
}

function parseMessage(message: IncomingMessage): ParsedMessage {
  let value: unknown;
  try {
    value = JSON.parse(message.value?.toString('utf8') ?? '');
  } catch {
    throw new PoisonMessageError(`${message.topic} message at offset ${message.offset} is not JSON`);
  }
  const candidate = value as Partial<SparkCommand & TaskResult> | null;
  if (
    !candidate ||
    typeof candidate !== 'object' ||
    typeof candidate.runId !== 'string' ||
    candidate.runId === ''
  ) {
    throw new PoisonMessageError(`${message.topic} message at offset ${message.offset} has no runId`);
  }
  if ('status' in candidate) {
    if (
      !TASK_RESULT_STATUSES.includes(String(candidate.status)) ||
      typeof candidate.stepId !== 'string' ||
      typeof candidate.attempt !== 'number'
    ) {
      throw new PoisonMessageError(
        `task result at offset ${message.offset} needs status, stepId and attempt`,
      );
    }
    return { kind: 'result', runId: candidate.runId, value: candidate as TaskResult };
  }
  if (!SPARK_COMMAND_TYPES.includes(candidate.type as SparkCommand['type'])) {
    throw new PoisonMessageError(
      `unknown command type "${String(candidate.type)}" at offset ${message.offset}`,
    );
  }
  return { kind: 'command', runId: candidate.runId, value: candidate as SparkCommand };
}
