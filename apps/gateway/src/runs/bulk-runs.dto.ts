import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsUUID, ValidateNested } from 'class-validator';
import { IsOmittable } from '../http/validators';
import { RunFilterDto } from '../listing/run-filter.dto';
import { ReasonProperty } from './runs.dto';

/** Most runs one bulk request acts on; a filter matching more acts on the newest ones and says so. */
export const BULK_MAX_RUNS = 1000;

/** The bulk actions' filter: the run list's (a class of its own for its name in the OpenAPI document). */
export class BulkRunFilterDto extends RunFilterDto {}

export class BulkRetryRunsRequestDto {
  @ApiPropertyOptional({
    description: `These runs (exactly one of runIds and filter)`,
    type: [String],
    format: 'uuid',
    minItems: 1,
    maxItems: BULK_MAX_RUNS,
  })
  @IsOmittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(BULK_MAX_RUNS)
  @IsUUID('all', { each: true })
  runIds?: string[];

  @ApiPropertyOptional({
    type: BulkRunFilterDto,
    description: `Every run the filter lists, newest first, at most ${BULK_MAX_RUNS} (exactly one of runIds and filter)`,
  })
  @IsOmittable()
  @ValidateNested()
  @Type(() => BulkRunFilterDto)
  filter?: BulkRunFilterDto;

  @ReasonProperty('Why the runs are retried or cancelled (recorded with each, shown in each run)')
  reason?: string;
}

export class BulkCancelRunsRequestDto extends BulkRetryRunsRequestDto {}

export class BulkSkippedRunDto {
  @ApiProperty()
  runId!: string;

  @ApiProperty({ description: 'Why no command was sent', example: 'RUN_NOT_FAILED' })
  reason!: string;

  @ApiProperty()
  detail!: string;
}

export class BulkRunsResultDto {
  @ApiProperty({ description: 'Runs the request named or the filter matched (at most the limit)' })
  matched!: number;

  @ApiProperty({ type: [String], description: 'Runs whose command is durable (they change shortly)' })
  accepted!: string[];

  @ApiProperty({ type: [BulkSkippedRunDto], description: 'Runs the command does not apply to, with why' })
  skipped!: BulkSkippedRunDto[];

  @ApiProperty({ description: `The filter matched more than ${BULK_MAX_RUNS} runs: repeat for the rest` })
  truncated!: boolean;
}
