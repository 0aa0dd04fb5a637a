import { ROOT_CONTEXT, type Span, trace } from '@opentelemetry/api';
import { type BatchOutcome, type ScheduleRepository } from '@spark/engine';
import { currentTraceparent, recordError, SparkAttributes, sparkTracer } from '@spark/telemetry';
import {
  type FireScheduleTimer,
  isDomainError,
  type RecordScheduledRunFinished,
  type ScheduledRunOutcome,
  type ScheduleEvent,
  type ScheduleState,
} from '@spark/workflow-domain';
import type { Logger } from 'pino';
import { KeyedMutex } from '../run-commands/keyed-mutex';
import { ScheduleTimerWrites } from './schedule-timer-writes';

/** A command before the decision stamps its time on it. */
type Unstamped<Command> = Omit<Command, 'metadata'>;

export interface DueScheduleTimer {
  scheduleId: string;
  nominalTime: string;
}

export interface ScheduledRunFinished {
  scheduleId: string;
  idempotencyKey: string;
  runId: string;
  outcome: ScheduledRunOutcome;
  /** The trace to record it in; the active one by default. */
  traceparent?: string;
}

interface ScheduleDecision {
  scheduleId: string;
  causationId: string;
  command: Unstamped<FireScheduleTimer> | Unstamped<RecordScheduledRunFinished>;
  traceparent?: string;
}

/**
 * The scheduler's own commands to schedules: a timer went off, a run a schedule started finished.
 * Both are decided against the schedule's stream with optimistic concurrency, so two scheduler
 * instances (or a gateway command at the same moment) can never fire one nominal time twice. A batch
 * (every timer due at once, every finished run a relay batch saw) is read in one query and appended
 * in one call. The poller's fires and the relay's finished runs touch the same schedules: inside this
 * instance a batch waits for the schedules it shares with one in progress (conflicts are left to other
 * writers, the gateway and a former leader, and retried by the repository).
 */
export class ScheduleFiring {
  private readonly mutex = new KeyedMutex();

  constructor(
    private readonly schedules: ScheduleRepository,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
    private readonly observer?: { decided(events: ScheduleEvent[]): void },
    /**
     * Arms the timers this instance decided, at once: the relay arms them too when it gets to the
     * events, but a relay busy with runs would make every schedule's next fire as late as its backlog.
     */
    private readonly armTimers?: (writes: ScheduleTimerWrites) => Promise<void>,
  ) {}

  /** Each fire is the root of a new trace: the runs it starts continue it. */
  async fireTimers(timers: readonly DueScheduleTimer[]): Promise<void> {
    const spans = timers.map((timer) =>
      sparkTracer().startSpan(
        'spark.schedule.fire',
        {
          attributes: {
            [SparkAttributes.scheduleId]: timer.scheduleId,
            'spark.schedule.nominal_time': timer.nominalTime,
          },
        },
        ROOT_CONTEXT,
      ),
    );
    try {
      await this.decideAll(
        timers.map((timer, index) => ({
          scheduleId: timer.scheduleId,
          causationId: `schedule-timer:${timer.scheduleId}:${timer.nominalTime}`,
          command: { type: 'FireScheduleTimer', data: { nominalTime: timer.nominalTime } },
          ...traceparentOf(spans[index]!),
        })),
        spans,
      );
    } finally {
      for (const span of spans) span.end();
    }
  }

  async recordRunsFinished(finished: readonly ScheduledRunFinished[]): Promise<void> {
    const active = currentTraceparent();
    await this.decideAll(
      finished.map(({ scheduleId, traceparent = active, ...data }) => ({
        scheduleId,
        causationId: `run-finished:${data.runId}`,
        command: { type: 'RecordScheduledRunFinished', data },
        ...(traceparent ? { traceparent } : {}),
      })),
    );
  }

  async recordRunFinished(finished: ScheduledRunFinished): Promise<void> {
    await this.recordRunsFinished([finished]);
  }

  /**
   * Decides the batch, then arms the timers it set. A refusal (a domain error: the schedule was
   * deleted, the fire is stale) is logged and the rest go on; any other error is thrown after the
   * others were decided and armed, so the caller repeats the batch (every command is idempotent).
   */
  private async decideAll(decisions: readonly ScheduleDecision[], spans?: readonly Span[]): Promise<void> {
    if (decisions.length === 0) return;
    const outcomes = await this.mutex.runAll(
      decisions.map((decision) => decision.scheduleId),
      () => this.decideBatch(decisions),
    );
    await this.afterDecisions(decisions, outcomes, spans);
  }

  private decideBatch(
    decisions: readonly ScheduleDecision[],
  ): Promise<BatchOutcome<ScheduleState, ScheduleEvent>[]> {
    const now = this.clock().toISOString();
    return this.schedules.handleBatch(
      decisions.map(({ scheduleId, causationId, command, traceparent }) => ({
        id: scheduleId,
        command: { ...command, metadata: { now } },
        context: { causationId, correlationId: scheduleId, ...(traceparent ? { traceparent } : {}) },
      })),
    );
  }

  private async afterDecisions(
    decisions: readonly ScheduleDecision[],
    outcomes: readonly BatchOutcome<ScheduleState, ScheduleEvent>[],
    spans?: readonly Span[],
  ): Promise<void> {
    const arms = new ScheduleTimerWrites();
    let unexpected: unknown;
    outcomes.forEach((outcome, index) => {
      const { scheduleId, command, traceparent } = decisions[index]!;
      if (!outcome.ok) {
        if (spans) recordError(spans[index]!, outcome.error);
        if (!isDomainError(outcome.error)) unexpected ??= outcome.error;
        else
          this.logger.warn(
            { scheduleId, code: outcome.error.code, err: { message: outcome.error.message } },
            `refused ${command.type}`,
          );
        return;
      }
      const { events, revision } = outcome.decided;
      if (events.length > 0) this.observer?.decided(events);
      const armedAt = events.findLastIndex((event) => event.type === 'ScheduleTimerSet');
      const armed = events[armedAt];
      if (armed?.type === 'ScheduleTimerSet')
        arms.upsert({
          scheduleId,
          nominalTime: armed.data.nominalTime,
          fireAt: new Date(armed.data.fireAt),
          // The command's events end at `revision`.
          revision: revision - BigInt(events.length - 1 - armedAt),
          ...(traceparent ? { traceparent } : {}),
        });
      this.logger.debug(
        { scheduleId, command: command.type, events: events.map((event) => event.type) },
        'schedule decided',
      );
    });
    if (!arms.empty && this.armTimers) await this.armTimers(arms);
    if (unexpected !== undefined) throw unexpected;
  }
}

function traceparentOf(span: Span): { traceparent?: string } {
  const traceparent = currentTraceparent(undefined, trace.setSpan(ROOT_CONTEXT, span));
  return traceparent ? { traceparent } : {};
}
