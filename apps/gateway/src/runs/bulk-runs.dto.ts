import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RUN_STATUSES, type RunStatusName } from '@spark/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsDateTime, IsOmittable } from '../http/validators';

/** Most runs one bulk request acts on; a filter matching more acts on the newest ones and says so. */
export const BULK_MAX_RUNS = 1000;

export class BulkRunFilterDto {
  @ApiPropertyOptional({ description: 'Workflow name', maxLength: 200 })
  @IsOmittable()
  @IsString()
  @MaxLength(200)
  workflow?: string;

  @ApiPropertyOptional({ enum: RUN_STATUSES.filter((status) => status !== 'PENDING') })
  @IsOmittable()
  @IsIn(RUN_STATUSES.filter((status) => status !== 'PENDING'))
  status?: RunStatusName;

  @ApiPropertyOptional({
    description: '"key=value" (that label with that value) or "key" (any value)',
    pattern: '^[^=]',
    maxLength: 400,
  })
  @IsOmittable()
  @IsString()
  @Matches(/^[^=]/, { message: 'label must be "key=value" or "key"' })
  @MaxLength(400)
  label?: string;

  @ApiPropertyOptional({ description: 'Created at or after (ISO-8601)', format: 'date-time' })
  @IsOmittable()
  @IsDateTime()
  createdFrom?: string;

  @ApiPropertyOptional({ description: 'Created before (ISO-8601)', format: 'date-time' })
  @IsOmittable()
  @IsDateTime()
  createdTo?: string;
}

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
}

export class BulkCancelRunsRequestDto extends BulkRetryRunsRequestDto {
  @ApiPropertyOptional({ description: 'Why the runs are cancelled (recorded with each)', maxLength: 1000 })
  @IsOmittable()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

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
