import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { RequireScope } from '../auth/scopes';
import { ApiPathParam, PATH_PARAMS } from '../http';
import { ApiProblems } from '../problems/problem.dto';
import {
  BackfillScheduleRequestDto,
  CreateScheduleRequestDto,
  FireTimesDto,
  PauseScheduleRequestDto,
  PreviewQueryDto,
  ScheduleCommandResultDto,
  ScheduleDefinitionDto,
  ScheduleDto,
} from './schedules.dto';
import { ScheduleService } from './schedule-service';

const DEFAULT_PREVIEW = 10;
const ScheduleIdParam = () => ApiPathParam('scheduleId', PATH_PARAMS.scheduleId);

/** Cron, interval and one-time schedules that start runs; reads need `read`, changes `write`. */
@ApiTags('schedules')
@Controller('api/v1/schedules')
export class SchedulesController {
  constructor(private readonly schedules: ScheduleService) {}

  @Post()
  @RequireScope('write')
  @ApiOperation({ operationId: 'createSchedule', summary: 'Create a schedule (its first timer is armed)' })
  @ApiCreatedResponse({ type: ScheduleCommandResultDto })
  @ApiProblems(400, 409, 422)
  create(@Body() body: CreateScheduleRequestDto): Promise<ScheduleCommandResultDto> {
    return this.schedules.create(body);
  }

  @Post('preview')
  @HttpCode(200)
  @RequireScope('read')
  @ApiOperation({
    operationId: 'previewScheduleDefinition',
    summary: 'Validate a definition and show its next fire times, without creating it',
  })
  @ApiOkResponse({ type: FireTimesDto })
  @ApiProblems(400, 422)
  previewDefinition(@Body() body: ScheduleDefinitionDto, @Query() query: PreviewQueryDto): FireTimesDto {
    return {
      fireTimes: this.schedules.previewDefinition(body, query.count ?? DEFAULT_PREVIEW, query.from),
    };
  }

  @Get()
  @RequireScope('read')
  @ApiOperation({
    operationId: 'listSchedules',
    summary: 'Every schedule but deleted ones, soonest next fire first (from the read model)',
  })
  @ApiOkResponse({ schema: { type: 'array', items: { type: 'object', additionalProperties: true } } })
  @ApiProblems()
  list() {
    return this.schedules.list();
  }

  @Get(':scheduleId')
  @RequireScope('read')
  @ScheduleIdParam()
  @ApiOperation({ operationId: 'getSchedule', summary: 'A schedule: its state now and its stats' })
  @ApiOkResponse({ type: ScheduleDto })
  @ApiProblems(404)
  get(@Param('scheduleId') scheduleId: string): Promise<ScheduleDto> {
    return this.schedules.get(scheduleId);
  }

  @Get(':scheduleId/fire-times')
  @RequireScope('read')
  @ScheduleIdParam()
  @ApiOperation({ operationId: 'previewSchedule', summary: 'The next N nominal fire times' })
  @ApiOkResponse({ type: FireTimesDto })
  @ApiProblems(400, 404)
  async preview(
    @Param('scheduleId') scheduleId: string,
    @Query() query: PreviewQueryDto,
  ): Promise<FireTimesDto> {
    return {
      fireTimes: await this.schedules.preview(scheduleId, query.count ?? DEFAULT_PREVIEW, query.from),
    };
  }

  @Put(':scheduleId')
  @RequireScope('write')
  @ScheduleIdParam()
  @ApiOperation({
    operationId: 'updateSchedule',
    summary: 'Replace the definition (the timer is re-armed from the new calendar)',
  })
  @ApiOkResponse({ type: ScheduleCommandResultDto })
  @ApiProblems(400, 404, 422)
  update(
    @Param('scheduleId') scheduleId: string,
    @Body() body: ScheduleDefinitionDto,
  ): Promise<ScheduleCommandResultDto> {
    return this.schedules.update(scheduleId, body);
  }

  @Post(':scheduleId/pause')
  @HttpCode(200)
  @RequireScope('write')
  @ScheduleIdParam()
  @ApiOperation({ operationId: 'pauseSchedule', summary: 'Pause: nothing fires until resumed' })
  @ApiOkResponse({ type: ScheduleCommandResultDto })
  @ApiProblems(400, 404)
  pause(
    @Param('scheduleId') scheduleId: string,
    @Body() body: PauseScheduleRequestDto,
  ): Promise<ScheduleCommandResultDto> {
    return this.schedules.pause(scheduleId, body.reason);
  }

  @Post(':scheduleId/resume')
  @HttpCode(200)
  @RequireScope('write')
  @ScheduleIdParam()
  @ApiOperation({
    operationId: 'resumeSchedule',
    summary: 'Resume from now (fires that fell in the pause are not caught up)',
  })
  @ApiOkResponse({ type: ScheduleCommandResultDto })
  @ApiProblems(404)
  resume(@Param('scheduleId') scheduleId: string): Promise<ScheduleCommandResultDto> {
    return this.schedules.resume(scheduleId);
  }

  @Post(':scheduleId/trigger')
  @HttpCode(200)
  @RequireScope('write')
  @ScheduleIdParam()
  @ApiOperation({
    operationId: 'triggerSchedule',
    summary: 'Fire now, outside the calendar (the overlap policy applies, even when paused)',
  })
  @ApiOkResponse({ type: ScheduleCommandResultDto })
  @ApiProblems(404)
  trigger(@Param('scheduleId') scheduleId: string): Promise<ScheduleCommandResultDto> {
    return this.schedules.trigger(scheduleId);
  }

  @Post(':scheduleId/backfill')
  @HttpCode(200)
  @RequireScope('write')
  @ScheduleIdParam()
  @ApiOperation({
    operationId: 'backfillSchedule',
    summary:
      'Fire every calendar time in [from, to) now (at most 1,000); times that already ran keep their run',
  })
  @ApiOkResponse({ type: ScheduleCommandResultDto })
  @ApiProblems(400, 404, 422)
  backfill(
    @Param('scheduleId') scheduleId: string,
    @Body() body: BackfillScheduleRequestDto,
  ): Promise<ScheduleCommandResultDto> {
    return this.schedules.backfill(scheduleId, body);
  }

  @Delete(':scheduleId')
  @HttpCode(204)
  @RequireScope('write')
  @ScheduleIdParam()
  @ApiOperation({ operationId: 'deleteSchedule', summary: 'Delete (final; running runs are not touched)' })
  @ApiNoContentResponse()
  @ApiProblems(404)
  async delete(@Param('scheduleId') scheduleId: string): Promise<void> {
    await this.schedules.delete(scheduleId);
  }
}
