import { Controller, UseFilters, UseGuards } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { type ScheduleView } from '@spark/read-model';
import { OVERLAP_POLICIES, type OverlapPolicy, type ScheduleDefinition } from '@spark/workflow-domain';
import { RequireScope } from '../auth/scopes';
import { ProblemException } from '../problems/problem';
import {
  MAX_PREVIEW,
  type ScheduleCommandResult,
  type ScheduleResource,
  ScheduleService,
} from '../schedules/schedule-service';
import { type GrpcCall, whileCallLive } from './call-context';
import { GrpcApiKeyGuard } from './grpc-auth.guard';
import { GrpcExceptionFilter } from './grpc-exception.filter';
import {
  fromStruct,
  fromTimestamp,
  type ProtoStruct,
  type ProtoTimestamp,
  timestampField,
  toStruct,
  toTimestamp,
} from './values';

const DEFAULT_PREVIEW = 10;

const scheduleIdOf = (scheduleId: string | undefined): string => {
  if (!scheduleId)
    throw ProblemException.badRequest('The schedule id is required', [
      { path: 'schedule_id', message: 'required' },
    ]);
  return scheduleId;
};

const definitionOf = (definition: ProtoStruct | undefined): ScheduleDefinition => {
  if (!definition)
    throw ProblemException.badRequest('The schedule definition is required', [
      { path: 'definition', message: 'required' },
    ]);
  return fromStruct(definition) as unknown as ScheduleDefinition;
};

const requiredTime = (timestamp: ProtoTimestamp | undefined, field: string): string => {
  const time = fromTimestamp(timestamp);
  if (!time)
    throw ProblemException.badRequest(`${field} is required`, [{ path: field, message: 'required' }]);
  return time;
};

function scheduleMessage(schedule: ScheduleResource) {
  return {
    scheduleId: schedule.id,
    status: schedule.status,
    definition: toStruct(schedule.schedule as unknown as Record<string, unknown>),
    createdAt: toTimestamp(schedule.createdAt),
    ...timestampField('nextNominalTime', schedule.nextFire?.nominalTime),
    ...timestampField('nextFireAt', schedule.nextFire?.fireAt),
    runningRunIds: schedule.runningRunIds,
    bufferedFires: schedule.bufferedFires.map(toTimestamp),
    ...timestampField('lastNominalTime', schedule.lastNominalTime ?? undefined),
    ...(schedule.stats
      ? { stats: toStruct(JSON.parse(JSON.stringify(schedule.stats)) as Record<string, unknown>) }
      : {}),
  };
}

/** A listed schedule, from the read model alone (one query for the whole list). */
function scheduleMessageOfView(view: ScheduleView) {
  return {
    scheduleId: view.id,
    status: view.status,
    definition: toStruct(view.definition as Record<string, unknown>),
    createdAt: toTimestamp(view.createdAt),
    ...timestampField('nextNominalTime', view.nextNominalTime ?? undefined),
    ...timestampField('nextFireAt', view.nextFireAt ?? undefined),
    runningRunIds: [],
    bufferedFires: [],
    ...timestampField('lastNominalTime', view.lastNominalTime ?? undefined),
    stats: toStruct(JSON.parse(JSON.stringify(view)) as Record<string, unknown>),
  };
}

function commandResponse(result: ScheduleCommandResult) {
  return {
    schedule: scheduleMessage(result.schedule),
    fired: result.fired.map((fire) => ({
      nominalTime: toTimestamp(fire.nominalTime),
      runId: fire.runId,
      trigger: fire.trigger,
    })),
    skipped: result.skipped.map(toTimestamp),
    buffered: result.buffered.map(toTimestamp),
  };
}

/** spark.v1.Schedules: the REST schedule operations over gRPC, through the same ScheduleService. */
@Controller()
@UseGuards(GrpcApiKeyGuard)
@UseFilters(GrpcExceptionFilter)
export class SchedulesGrpcController {
  constructor(private readonly schedules: ScheduleService) {}

  @GrpcMethod('Schedules', 'CreateSchedule')
  @RequireScope('write')
  createSchedule(
    request: { scheduleId?: string; definition?: ProtoStruct; paused?: boolean },
    _metadata: unknown,
    call: GrpcCall,
  ) {
    const definition = definitionOf(request.definition);
    return whileCallLive(call, async () =>
      commandResponse(
        await this.schedules.create({
          ...definition,
          ...(request.scheduleId ? { id: request.scheduleId } : {}),
          ...(request.paused ? { paused: true } : {}),
        }),
      ),
    );
  }

  @GrpcMethod('Schedules', 'GetSchedule')
  @RequireScope('read')
  getSchedule(request: { scheduleId?: string }, _metadata: unknown, call: GrpcCall) {
    const scheduleId = scheduleIdOf(request.scheduleId);
    return whileCallLive(call, async () => scheduleMessage(await this.schedules.get(scheduleId)));
  }

  @GrpcMethod('Schedules', 'ListSchedules')
  @RequireScope('read')
  listSchedules(_request: unknown, _metadata: unknown, call: GrpcCall) {
    return whileCallLive(call, async () => ({
      schedules: (await this.schedules.list()).map(scheduleMessageOfView),
    }));
  }

  @GrpcMethod('Schedules', 'UpdateSchedule')
  @RequireScope('write')
  updateSchedule(
    request: { scheduleId?: string; definition?: ProtoStruct },
    _metadata: unknown,
    call: GrpcCall,
  ) {
    const scheduleId = scheduleIdOf(request.scheduleId);
    const definition = definitionOf(request.definition);
    return whileCallLive(call, async () =>
      commandResponse(await this.schedules.update(scheduleId, definition)),
    );
  }

  @GrpcMethod('Schedules', 'PauseSchedule')
  @RequireScope('write')
  pauseSchedule(request: { scheduleId?: string; reason?: string }, _metadata: unknown, call: GrpcCall) {
    const scheduleId = scheduleIdOf(request.scheduleId);
    return whileCallLive(call, async () =>
      commandResponse(await this.schedules.pause(scheduleId, request.reason || undefined)),
    );
  }

  @GrpcMethod('Schedules', 'ResumeSchedule')
  @RequireScope('write')
  resumeSchedule(request: { scheduleId?: string }, _metadata: unknown, call: GrpcCall) {
    const scheduleId = scheduleIdOf(request.scheduleId);
    return whileCallLive(call, async () => commandResponse(await this.schedules.resume(scheduleId)));
  }

  @GrpcMethod('Schedules', 'TriggerSchedule')
  @RequireScope('write')
  triggerSchedule(request: { scheduleId?: string }, _metadata: unknown, call: GrpcCall) {
    const scheduleId = scheduleIdOf(request.scheduleId);
    return whileCallLive(call, async () => commandResponse(await this.schedules.trigger(scheduleId)));
  }

  @GrpcMethod('Schedules', 'BackfillSchedule')
  @RequireScope('write')
  backfillSchedule(
    request: { scheduleId?: string; from?: ProtoTimestamp; to?: ProtoTimestamp; overlap?: string },
    _metadata: unknown,
    call: GrpcCall,
  ) {
    const scheduleId = scheduleIdOf(request.scheduleId);
    const from = requiredTime(request.from, 'from');
    const to = requiredTime(request.to, 'to');
    if (request.overlap && !OVERLAP_POLICIES.includes(request.overlap as OverlapPolicy))
      throw ProblemException.badRequest(`Unknown overlap policy "${request.overlap}"`, [
        { path: 'overlap', message: `must be one of ${OVERLAP_POLICIES.join(', ')}` },
      ]);
    return whileCallLive(call, async () =>
      commandResponse(
        await this.schedules.backfill(scheduleId, {
          from,
          to,
          ...(request.overlap ? { overlap: request.overlap as OverlapPolicy } : {}),
        }),
      ),
    );
  }

  @GrpcMethod('Schedules', 'DeleteSchedule')
  @RequireScope('write')
  deleteSchedule(request: { scheduleId?: string }, _metadata: unknown, call: GrpcCall) {
    const scheduleId = scheduleIdOf(request.scheduleId);
    return whileCallLive(call, async () => {
      await this.schedules.delete(scheduleId);
      return {};
    });
  }

  @GrpcMethod('Schedules', 'PreviewFireTimes')
  @RequireScope('read')
  previewFireTimes(
    request: { scheduleId?: string; count?: number; from?: ProtoTimestamp },
    _metadata: unknown,
    call: GrpcCall,
  ) {
    const scheduleId = scheduleIdOf(request.scheduleId);
    const count = request.count || DEFAULT_PREVIEW;
    if (count < 1 || count > MAX_PREVIEW)
      throw ProblemException.badRequest(`count must be 1-${MAX_PREVIEW}`, [
        { path: 'count', message: `must be 1-${MAX_PREVIEW}` },
      ]);
    return whileCallLive(call, async () => ({
      fireTimes: (await this.schedules.preview(scheduleId, count, fromTimestamp(request.from))).map(
        toTimestamp,
      ),
    }));
  }
}
