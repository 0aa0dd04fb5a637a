import { type Span } from '@opentelemetry/api';
import {
  SCHEDULE_LABEL,
  SPARK_COMMAND_TYPES,
  type SparkCommand,
  type StartRunCommand,
  type TaskResult,
} from '@spark/contracts';
import { type DeciderRepository, type WorkflowCatalog } from '@spark/engine';
import { type IncomingMessage, PoisonMessageError } from '@spark/messaging';
import { currentTraceparent, inSpan, SparkAttributes } from '@spark/telemetry';
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

/**
 * Applies one message from `spark.commands` or `spark.task-results` to its run: translate, decide,
 * append (the repository retries conflicts). What the new events ask for (dispatches, timers, child
 * runs) is carried out by the relay, which reads them back from the event store.
 */
export class RunCommandProcessor {
  private readonly mutex = new KeyedMutex();

  constructor(
    private readonly runs: RunRepository,
    private readonly catalog: WorkflowCatalog,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
    private readonly observer?: { decided(events: RunEvent[], state: RunState): void },
    private readonly onScheduledStartWithoutRun?: ScheduledStartListener,
  ) {}

  async process(message: IncomingMessage): Promise<void> {
    const parsed = parseMessage(message);
    const causationId = `kafka:${message.topic}:${message.partition}:${message.offset}`;
    this.logger.debug(
      {
        runId: parsed.runId,
        kind: parsed.kind,
        type: parsed.kind === 'command' ? parsed.value.type : parsed.value.status,
        causationId,
      },
      'received',
    );
    await this.mutex.run(parsed.runId, () =>
      inSpan(
        'spark.decide',
        {
          attributes: {
            [SparkAttributes.runId]: parsed.runId,
            [SparkAttributes.command]:
              parsed.kind === 'command' ? parsed.value.type : `TaskResult:${parsed.value.status}`,
            ...(parsed.kind === 'result'
              ? {
                  [SparkAttributes.stepId]: parsed.value.stepId,
                  [SparkAttributes.attempt]: parsed.value.attempt,
                }
              : {}),
            ...(parsed.kind === 'command' && parsed.value.type === 'StartRun'
              ? { [SparkAttributes.workflow]: parsed.value.workflow.name }
              : {}),
          },
        },
        (span) => this.decide(parsed, message, causationId, span),
      ),
    );
  }

  private async decide(
    parsed: ParsedMessage,
    message: IncomingMessage,
    causationId: string,
    span: Span,
  ): Promise<void> {
    const now = this.clock().toISOString();
    try {
      const command =
        parsed.kind === 'command' && parsed.value.type === 'StartRun'
          ? await this.startRun(parsed.value, now)
          : toRunCommand(parsed.value as Exclude<SparkCommand, { type: 'StartRun' }> | TaskResult, now);
      // The appended events carry this decision's span, so what they cause joins the run's trace.
      const traceparent = currentTraceparent(message.headers.traceparent);
      const { events, revision, state } = await this.runs.handle(parsed.runId, command, {
        causationId,
        correlationId: parsed.runId,
        ...(traceparent ? { traceparent } : {}),
      });
      span.setAttribute(SparkAttributes.streamRevision, Number(revision));
      if (events.length > 0) this.observer?.decided(events, state);
      // A backfill or a replayed fire of a run that already finished: the schedule must not wait for it.
      if (events.length === 0 && isFinal(state) && state.status !== 'notStarted')
        await this.notifySchedule(parsed, state.status as ScheduledRunOutcome);
      this.logger.debug(
        { runId: parsed.runId, command: command.type, events: events.map((event) => event.type) },
        'decided',
      );
    } catch (error) {
      if (!isDomainError(error)) throw error;
      await this.notifySchedule(parsed, 'refused');
      // The command does not apply (run finished, unknown workflow, ...): retrying cannot help.
      this.logger.warn(
        { runId: parsed.runId, code: error.code, err: { message: error.message } },
        `refused ${parsed.kind === 'command' ? parsed.value.type : `task result ${parsed.value.status}`}`,
      );
    }
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

  private async startRun(
    command: Extract<SparkCommand, { type: 'StartRun' }>,
    now: string,
  ): Promise<StartRun> {
    const existing = await this.runs.load(command.runId);
    // A redelivered start of an existing run needs no catalog look-up: the decider ignores it.
    const definition =
      existing.state.status === 'notStarted'
        ? await this.catalog.get(command.workflow.name, command.workflow.version)
        : (existing.state as Extract<RunState, { definition: unknown }>).definition;
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
