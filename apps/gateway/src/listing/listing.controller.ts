import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { RUN_STATUSES, type RunStatusName } from '@spark/contracts';
import { MAX_PAGE_SIZE, ReadModelQueries, type RunView } from '@spark/read-model';
import { runStatusName, runStatusOfName } from '@spark/workflow-domain';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsOmittable } from '../http/validators';
import { RequireScope } from '../auth/scopes';
import { ApiProblems } from '../problems/problem.dto';
import { RunFilterDto } from './run-filter.dto';
import { RunWorkflowRefDto } from '../runs/runs.dto';

class ListRunsQueryDto extends RunFilterDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 })
  @IsOmittable()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page', maxLength: 1000 })
  @IsOmittable()
  @IsString()
  @MaxLength(1000)
  cursor?: string;
}

class RunSummaryDto {
  @ApiProperty() runId!: string;
  @ApiProperty({ type: RunWorkflowRefDto }) workflow!: RunWorkflowRefDto;
  @ApiProperty({ enum: RUN_STATUSES }) status!: RunStatusName;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) labels!: Record<string, string>;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) startedAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) finishedAt?: string;
}

class RunPageDto {
  @ApiProperty({ type: [RunSummaryDto] }) items!: RunSummaryDto[];
  @ApiPropertyOptional({ description: 'Pass as cursor for the next page; absent on the last page' })
  nextCursor?: string;
}

class WorkflowSummaryDto {
  @ApiProperty() name!: string;
  @ApiProperty() latestVersion!: number;
  @ApiProperty() versionCount!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

const toSummary = (run: RunView): RunSummaryDto => ({
  runId: run.id,
  workflow: run.workflow,
  status: runStatusName(run.status),
  labels: run.labels,
  createdAt: run.createdAt,
  ...(run.startedAt ? { startedAt: run.startedAt } : {}),
  ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
});

/** Lists, from the projector's read model (eventually consistent: a run just started may not be listed yet). */
@ApiTags('runs')
@Controller('api/v1')
export class ListingController {
  constructor(@Inject(ReadModelQueries) private readonly queries: ReadModelQueries) {}

  @Get('runs')
  @RequireScope('read')
  @ApiOperation({
    operationId: 'listRuns',
    summary: 'Runs, newest first, with filters and cursor pagination (from the read model)',
  })
  @ApiOkResponse({ type: RunPageDto })
  @ApiProblems(400)
  async listRuns(@Query() query: ListRunsQueryDto): Promise<RunPageDto> {
    const { status, ...filter } = query;
    const page = await this.queries.listRuns({
      ...filter,
      ...(status ? { status: runStatusOfName(status)! } : {}),
    });
    return { items: page.items.map(toSummary), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }

  @Get('workflows')
  @RequireScope('read')
  @ApiTags('workflows')
  @ApiOperation({ operationId: 'listWorkflows', summary: 'Registered workflows (from the read model)' })
  @ApiOkResponse({ type: [WorkflowSummaryDto] })
  @ApiProblems()
  listWorkflows(): Promise<WorkflowSummaryDto[]> {
    return this.queries.listWorkflows();
  }
}
