import { type ScheduleRepository } from '@spark/engine';
import { currentTraceparent, inSpan, SparkAttributes } from '@spark/telemetry';
import {
  type FireScheduleTimer,
  isDomainError,
  type RecordScheduledRunFinished,
  type ScheduledRunOutcome,
  type ScheduleEvent,
} from '@spark/workflow-domain';
import type { Logger } from 'pino';
import { type ScheduleTimer } from './schedule-timer-store';

/** A command before the decision stamps its time on it. */
type Unstamped<Command> = Omit<Command, 'metadata'>;

/**
 * The scheduler's own commands to schedules: a timer went off, a run a schedule started finished.
 * Both are decided against the schedule's stream with optimistic concurrency, so two scheduler
 * instances (or a gateway command at the same moment) can never fire one nominal time twice.
 */
export class ScheduleFiring {
  constructor(
    private readonly schedules: ScheduleRepository,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
    private readonly observer?: { decided(events: ScheduleEvent[]): void },
    /**
     * Arms a timer this instance decided, at once: the relay arms it too when it gets to the event, but
     * a relay busy with runs would make every schedule's next fire as late as its backlog.
     */
    private readonly armTimer?: (timer: ScheduleTimer) => Promise<void>,
  ) {}

  /** Each fire is the root of a new trace: the runs it starts continue it. */
  async fireTimer(timer: { scheduleId: string; nominalTime: string }): Promise<void> {
    await inSpan(
      'spark.schedule.fire',
      {
        attributes: {
          [SparkAttributes.scheduleId]: timer.scheduleId,
          'spark.schedule.nominal_time': timer.nominalTime,
        },
      },
      () =>
        this.decide(timer.scheduleId, `schedule-timer:${timer.scheduleId}:${timer.nominalTime}`, {
          type: 'FireScheduleTimer',
          data: { nominalTime: timer.nominalTime },
        }),
    );
  }

  async recordRunFinished(finished: {
    scheduleId: string;
    idempotencyKey: string;
    runId: string;
    outcome: ScheduledRunOutcome;
  }): Promise<void> {
    const { scheduleId, ...data } = finished;
    await this.decide(scheduleId, `run-finished:${finished.runId}`, {
      type: 'RecordScheduledRunFinished',
      data,
    });
  }

  private async decide(
    scheduleId: string,
    causationId: string,
    command: Unstamped<FireScheduleTimer> | Unstamped<RecordScheduledRunFinished>,
  ): Promise<void> {
    const traceparent = currentTraceparent();
    try {
      const { events, revision } = await this.schedules.handle(
        scheduleId,
        { ...command, metadata: { now: this.clock().toISOString() } },
        { causationId, correlationId: scheduleId, ...(traceparent ? { traceparent } : {}) },
      );
      if (events.length > 0) this.observer?.decided(events);
      const armedAt = events.findLastIndex((event) => event.type === 'ScheduleTimerSet');
      const armed = events[armedAt];
      if (armed?.type === 'ScheduleTimerSet' && this.armTimer)
        await this.armTimer({
          scheduleId,
          nominalTime: armed.data.nominalTime,
          fireAt: new Date(armed.data.fireAt),
          // The appended events end at `revision`.
          revision: revision - BigInt(events.length - 1 - armedAt),
          ...(traceparent ? { traceparent } : {}),
        });
      this.logger.debug(
        { scheduleId, command: command.type, events: events.map((event) => event.type) },
        'schedule decided',
      );
    } catch (error) {
      if (!isDomainError(error)) throw error;
      this.logger.warn(
        { scheduleId, code: error.code, err: { message: error.message } },
        `refused ${command.type}`,
      );
    }
  }
}
