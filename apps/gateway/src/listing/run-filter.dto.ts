import { ApiPropertyOptional } from '@nestjs/swagger';
import { RUN_STATUSES, type RunStatusName } from '@spark/contracts';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { IsDateTime, IsOmittable } from '../http/validators';

/** Which runs: the filters of the run list, shared by `GET /runs` and the bulk actions. */
export class RunFilterDto {
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

  @ApiPropertyOptional({
    description:
      'The Idempotency-Key the run was started with (a run started without one has its run id as key)',
    pattern: '^[!-~]{1,200}$',
  })
  @IsOmittable()
  @IsString()
  @Matches(/^[\x21-\x7e]{1,200}$/, { message: 'idempotencyKey must be 1-200 visible ASCII characters' })
  idempotencyKey?: string;
}
