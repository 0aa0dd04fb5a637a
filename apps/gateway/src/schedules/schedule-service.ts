import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { scheduledRunId, type WorkflowDefinition } from '@spark/contracts';
import { scheduleRepository, type ScheduleRepository } from '@spark/engine';
import { type ScheduleView, ReadModelQueries } from '@spark/read-model';
import { inSpan, SparkAttributes } from '@spark/telemetry';
import {
  decideRun,
  isDomainError,
  NotFoundError,
  type OverlapPolicy,
  previewFireTimes,
  type Schedule,
  type ScheduleCommand,
  type ScheduleDefinition,
  type ScheduleEvent,
  validateScheduleDefinition,
  ValidationError,
} from '@spark/workflow-domain';
import { PATH_PARAMS } from '../http/path-params';
import { ProblemException } from '../problems/problem';
import { GatewayStorage } from '../storage/gateway-storage';

/** Schedule ids become stream names and the prefix of fire keys (`<id>:<time>`): no colons. */
export const SCHEDULE_ID = PATH_PARAMS.scheduleId.pattern;
export const MAX_PREVIEW = 100;

export type ScheduleStatus = 'active' | 'paused' | 'exhausted' | 'deleted';

export interface ScheduleResource {
  id: string;
  status: ScheduleStatus;
  schedule: ScheduleDefinition;
  createdAt: string;
  /** The armed timer: the next fire's nominal time and when it will fire (nominal + jitter). */
  nextFire: { nominalTime: string; fireAt: string } | null;
  /** Runs this schedule started that have not finished. */
  runningRunIds: string[];
  /** Fires waiting for a running run to finish (BUFFER_* and CANCEL_OTHER policies). */
  bufferedFires: string[];
  lastNominalTime: string | null;
  /** From the read model (eventually consistent): last run and outcome, counts. Null until projected. */
  stats: ScheduleView | null;
}

/** What one command did, in the order it happened. */
export interface ScheduleCommandResult {
  schedule: ScheduleResource;
  fired: { nominalTime: string; runId: string; trigger: string }[];
  skipped: string[];
  buffered: string[];
}

/**
 * Schedules through the gateway: each command is decided against the schedule's stream and appended
 * with optimistic concurrency (the scheduler's leader writes the same streams when timers fire), so
 * the answer says what really happened. Runs are started by the scheduler's relay from the events.
 */
@Injectable()
export class ScheduleService {
  private readonly schedules: ScheduleRepository;

  constructor(
    private readonly storage: GatewayStorage,
    private readonly readModel: ReadModelQueries,
  ) {
    this.schedules = scheduleRepository(storage.store, 1_000);
  }

  async create(
    request: { id?: string; paused?: boolean } & ScheduleDefinition,
  ): Promise<ScheduleCommandResult> {
    const { id, paused, ...fields } = request;
    const schedule = plainDefinition(fields);
    const scheduleId = id ?? randomUUID();
    if (!SCHEDULE_ID.test(scheduleId))
      throw ProblemException.badRequest(`"${scheduleId}" is not a valid schedule id`, [
        {
          path: '$.id',
          message: 'must be 1-100 letters, digits, "_", "." or "-", starting with a letter or digit',
        },
      ]);
    await this.assertWorkflowAccepts(schedule);
    return this.command(scheduleId, {
      type: 'CreateSchedule',
      data: { scheduleId, schedule, ...(paused ? { paused } : {}) },
    });
  }

  async update(scheduleId: string, fields: ScheduleDefinition): Promise<ScheduleCommandResult> {
    const schedule = plainDefinition(fields);
    await this.assertExists(scheduleId);
    await this.assertWorkflowAccepts(schedule);
    return this.command(scheduleId, { type: 'UpdateSchedule', data: { schedule } });
  }

  pause(scheduleId: string, reason?: string): Promise<ScheduleCommandResult> {
    return this.existingCommand(scheduleId, {
      type: 'PauseSchedule',
      data: reason === undefined ? {} : { reason },
    });
  }

  resume(scheduleId: string): Promise<ScheduleCommandResult> {
    return this.existingCommand(scheduleId, { type: 'ResumeSchedule', data: {} });
  }

  trigger(scheduleId: string): Promise<ScheduleCommandResult> {
    return this.existingCommand(scheduleId, { type: 'TriggerSchedule', data: {} });
  }

  backfill(
    scheduleId: string,
    range: { from: string; to: string; overlap?: OverlapPolicy },
  ): Promise<ScheduleCommandResult> {
    return this.existingCommand(scheduleId, { type: 'BackfillSchedule', data: range });
  }

  async delete(scheduleId: string): Promise<void> {
    await this.existingCommand(scheduleId, { type: 'DeleteSchedule', data: {} });
  }

  async get(scheduleId: string): Promise<ScheduleResource> {
    return this.toResource(await this.assertExists(scheduleId));
  }

  list(): Promise<ScheduleView[]> {
    return this.readModel.listSchedules();
  }

  /** The next `count` nominal fire times of a schedule, after `from` (default now). */
  async preview(scheduleId: string, count: number, from?: string): Promise<string[]> {
    const schedule = await this.assertExists(scheduleId);
    return previewFireTimes(schedule.schedule, from ?? new Date().toISOString(), count, schedule.createdAt);
  }

  /** The next fire times of a definition that is not created (yet): validates it too. */
  previewDefinition(schedule: ScheduleDefinition, count: number, from?: string): string[] {
    const problems = validateScheduleDefinition(schedule);
    if (problems.length > 0) throw new ValidationError(problems, 'Invalid schedule');
    const now = new Date().toISOString();
    return previewFireTimes(schedule, from ?? now, count, now);
  }

  private async existingCommand(
    scheduleId: string,
    command: Pick<ScheduleCommand, 'type' | 'data'>,
  ): Promise<ScheduleCommandResult> {
    await this.assertExists(scheduleId);
    return this.command(scheduleId, command);
  }

  private async command(
    scheduleId: string,
    command: Pick<ScheduleCommand, 'type' | 'data'>,
  ): Promise<ScheduleCommandResult> {
    return inSpan(
      'spark.schedule.command',
      { attributes: { [SparkAttributes.scheduleId]: scheduleId, [SparkAttributes.command]: command.type } },
      async () => {
        const { events, state } = await this.schedules.handle(
          scheduleId,
          { ...command, metadata: { now: new Date().toISOString() } } as ScheduleCommand,
          { causationId: `gateway:${randomUUID()}`, correlationId: scheduleId },
        );
        return {
          schedule: await this.toResource(state as Schedule),
          ...summarize(events),
        };
      },
    );
  }

  private async assertExists(scheduleId: string): Promise<Schedule> {
    if (!SCHEDULE_ID.test(scheduleId)) throw new NotFoundError(`schedule "${scheduleId}" does not exist`);
    const { state } = await this.schedules.load(scheduleId);
    if (state.status === 'none' || state.status === 'deleted')
      throw new NotFoundError(`schedule "${scheduleId}" does not exist`);
    return state;
  }

  /**
   * The workflow exists and the schedule's input satisfies its input schema (checked by the run
   * decider's own start, as for a REST start), so fires are not refused one after another later.
   */
  private async assertWorkflowAccepts(schedule: ScheduleDefinition): Promise<void> {
    // The definition's own problems first: they are the ones a fix starts with.
    const problems = validateScheduleDefinition(schedule);
    if (problems.length > 0) throw new ValidationError(problems, 'Invalid schedule');
    const workflow = schedule.workflow as Partial<ScheduleDefinition['workflow']> | undefined;
    if (typeof workflow?.name !== 'string') return; // the decider names the missing field
    let definition: WorkflowDefinition;
    try {
      definition = await this.storage.catalog.get(workflow.name, workflow.version);
    } catch (error) {
      if (!isDomainError(error, 'NOT_FOUND')) throw error;
      throw ProblemException.unprocessable((error as Error).message, [
        {
          path: workflow.version === undefined ? '$.workflow.name' : '$.workflow.version',
          message: (error as Error).message,
        },
      ]);
    }
    try {
      await decideRun(
        {
          type: 'StartRun',
          data: { runId: 'schedule-input-check', definition, input: schedule.input ?? {} },
          metadata: { now: new Date().toISOString() },
        },
        { status: 'notStarted' },
      );
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      throw ProblemException.unprocessable(
        `The input does not match the input schema of workflow "${definition.name}" version ${definition.version}`,
        error.problems,
      );
    }
  }

  private async toResource(schedule: Schedule): Promise<ScheduleResource> {
    const status: ScheduleStatus =
      schedule.status === 'active' && !schedule.timer ? 'exhausted' : schedule.status;
    return {
      id: schedule.scheduleId,
      status,
      schedule: schedule.schedule,
      createdAt: schedule.createdAt,
      nextFire: schedule.timer ?? null,
      runningRunIds: schedule.running.map(scheduledRunId),
      bufferedFires: schedule.buffered.map((fire) => fire.nominalTime),
      lastNominalTime: schedule.lastFired ?? null,
      stats: (await this.readModel.getSchedule(schedule.scheduleId)) ?? null,
    };
  }
}

/**
 * The definition as plain JSON: request DTOs carry absent optional fields as `undefined`, which is not
 * JSON (the event store refuses it) and would make an identical re-create look different.
 */
const plainDefinition = (schedule: ScheduleDefinition): ScheduleDefinition =>
  Object.fromEntries(
    Object.entries(schedule).filter(([, value]) => value !== undefined),
  ) as unknown as ScheduleDefinition;

function summarize(events: ScheduleEvent[]): Omit<ScheduleCommandResult, 'schedule'> {
  const result: Omit<ScheduleCommandResult, 'schedule'> = { fired: [], skipped: [], buffered: [] };
  for (const event of events) {
    if (event.type === 'ScheduleFired')
      result.fired.push({
        nominalTime: event.data.nominalTime,
        runId: scheduledRunId(event.data.idempotencyKey),
        trigger: event.data.trigger,
      });
    else if (event.type === 'ScheduleFireSkipped') result.skipped.push(event.data.nominalTime);
    else if (event.type === 'ScheduleFireBuffered') result.buffered.push(event.data.nominalTime);
  }
  return result;
}
