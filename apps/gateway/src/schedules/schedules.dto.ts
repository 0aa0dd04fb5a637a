import { ApiProperty, type ApiPropertyOptions, ApiPropertyOptional } from '@nestjs/swagger';
import { OVERLAP_POLICIES, type OverlapPolicy, type ScheduleSpec } from '@spark/workflow-domain';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  type ValidationOptions,
} from 'class-validator';
import { IsDateTime, IsJsonValue, IsOmittable } from '../http/validators';
import { PATH_PARAMS } from '../http/path-params';
import { MAX_PREVIEW } from './schedule-service';

const SPEC_SCHEMA = {
  description:
    'When it fires: `cron` (5 fields, or 6 with seconds first, in an IANA `timezone`, default UTC), `interval` (`every`, e.g. "30s", from `anchor` or creation), or `once` (`at`)',
  oneOf: [
    {
      type: 'object',
      required: ['kind', 'expression'],
      properties: {
        kind: { type: 'string', enum: ['cron'] },
        expression: { type: 'string', example: '*/5 * * * * *' },
        timezone: { type: 'string', example: 'Europe/Berlin' },
      },
    },
    {
      type: 'object',
      required: ['kind', 'every'],
      properties: {
        kind: { type: 'string', enum: ['interval'] },
        every: { type: 'string', example: '10m' },
        anchor: { type: 'string', format: 'date-time' },
      },
    },
    {
      type: 'object',
      required: ['kind', 'at'],
      properties: {
        kind: { type: 'string', enum: ['once'] },
        at: { type: 'string', format: 'date-time' },
      },
    },
  ],
} as ApiPropertyOptions;

/**
 * The workflow of a schedule, checked as ScheduleWorkflowDto describes it but kept a plain object (it
 * goes into the schedule's events as it is): a name, an optional version, nothing else.
 */
function IsWorkflowRef(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isWorkflowRef',
      target: target.constructor,
      propertyName,
      options: {
        message: `${propertyName} must be {name: <workflow name>, version?: <integer >= 1>} and nothing else`,
        ...options,
      },
      validator: {
        validate: (value: unknown) => {
          if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
          const { name, version, ...rest } = value as Record<string, unknown>;
          return (
            Object.keys(rest).length === 0 &&
            typeof name === 'string' &&
            PATH_PARAMS.workflowName.pattern.test(name) &&
            (version === undefined || (Number.isInteger(version) && (version as number) >= 1))
          );
        },
      },
    });
}

export class ScheduleWorkflowDto {
  @ApiProperty({
    description: 'Name of a registered workflow',
    pattern: PATH_PARAMS.workflowName.pattern.source,
  })
  @IsString()
  @Matches(PATH_PARAMS.workflowName.pattern, { message: 'must be a workflow name' })
  name!: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description: 'Without it, the latest when the fire happens',
  })
  @IsOmittable()
  @IsInt()
  @Min(1)
  version?: number;
}

/** A schedule's definition; the schedule decider validates it field by field (paths in 422 answers). */
export class ScheduleDefinitionDto {
  @ApiProperty(SPEC_SCHEMA)
  @IsObject()
  spec!: ScheduleSpec;

  @ApiProperty({ type: ScheduleWorkflowDto, description: 'The workflow each fire runs' })
  @IsWorkflowRef()
  workflow!: ScheduleWorkflowDto;

  @ApiPropertyOptional({ description: 'Input of every run it starts', example: { report: 'daily' } })
  @IsOmittable()
  @IsJsonValue()
  input?: unknown;

  @ApiPropertyOptional({
    enum: OVERLAP_POLICIES,
    description: 'What a fire does while a run it started is still running (default SKIP)',
  })
  @IsOmittable()
  @IsIn(OVERLAP_POLICIES)
  overlap?: OverlapPolicy;

  @ApiPropertyOptional({
    description: 'Fires missed while Spark was down still happen if at most this late (default "1m")',
    example: '5m',
  })
  @IsOmittable()
  @IsString()
  catchupWindow?: string;

  @ApiPropertyOptional({
    description: 'Delay each fire by a deterministic amount below this',
    example: '10s',
  })
  @IsOmittable()
  @IsString()
  jitter?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'No fire before this instant' })
  @IsOmittable()
  @IsDateTime()
  startAt?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'No fire after this instant' })
  @IsOmittable()
  @IsDateTime()
  endAt?: string;
}

export class CreateScheduleRequestDto extends ScheduleDefinitionDto {
  @ApiPropertyOptional({
    description:
      'Schedule id (letters, digits, "_", "." or "-"); a UUID when omitted. Creating the same id with the same definition again is a no-op.',
    example: 'nightly-report',
    pattern: PATH_PARAMS.scheduleId.pattern.source,
  })
  @IsOmittable()
  @IsString()
  @Matches(PATH_PARAMS.scheduleId.pattern, {
    message: 'must be 1-100 letters, digits, "_", "." or "-", starting with a letter or digit',
  })
  id?: string;

  @ApiPropertyOptional({ description: 'Create it paused', default: false })
  @IsOmittable()
  @IsBoolean()
  paused?: boolean;
}

export class PauseScheduleRequestDto {
  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOmittable()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class BackfillScheduleRequestDto {
  @ApiProperty({ format: 'date-time', description: 'First nominal time considered (inclusive)' })
  @IsDateTime()
  from!: string;

  @ApiProperty({ format: 'date-time', description: 'End of the range (exclusive); not in the future' })
  @IsDateTime()
  to!: string;

  @ApiPropertyOptional({
    enum: OVERLAP_POLICIES,
    description: "Overlap policy for these fires (default: the schedule's)",
  })
  @IsOmittable()
  @IsIn(OVERLAP_POLICIES)
  overlap?: OverlapPolicy;
}

export class PreviewQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PREVIEW, default: 10 })
  @IsOmittable()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PREVIEW)
  count?: number;

  @ApiPropertyOptional({ format: 'date-time', description: 'Preview fires after this instant (default now)' })
  @IsOmittable()
  @IsDateTime()
  from?: string;
}

export class NextFireDto {
  @ApiProperty({ format: 'date-time' }) nominalTime!: string;
  @ApiProperty({ format: 'date-time', description: 'Nominal time plus jitter' }) fireAt!: string;
}

export class ScheduleDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['active', 'paused', 'exhausted', 'deleted'] }) status!: string;
  @ApiProperty({ type: ScheduleDefinitionDto }) schedule!: ScheduleDefinitionDto;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: NextFireDto, nullable: true }) nextFire!: NextFireDto | null;
  @ApiProperty({ type: [String], description: 'Runs it started that have not finished' })
  runningRunIds!: string[];
  @ApiProperty({ type: [String], description: 'Nominal times of fires waiting for a running run' })
  bufferedFires!: string[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastNominalTime!: string | null;
  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: true,
    description: 'From the read model (eventually consistent): last run, last outcome, counts',
  })
  stats!: object | null;
}

export class FiredDto {
  @ApiProperty({ format: 'date-time' }) nominalTime!: string;
  @ApiProperty() runId!: string;
  @ApiProperty({ enum: ['calendar', 'catch-up', 'manual', 'buffered', 'backfill'] }) trigger!: string;
}

export class ScheduleCommandResultDto {
  @ApiProperty({ type: ScheduleDto }) schedule!: ScheduleDto;
  @ApiProperty({ type: [FiredDto], description: 'Fires this command started (runs follow shortly)' })
  fired!: FiredDto[];
  @ApiProperty({ type: [String], description: 'Nominal times skipped by the overlap policy' })
  skipped!: string[];
  @ApiProperty({ type: [String], description: 'Nominal times buffered by the overlap policy' })
  buffered!: string[];
}

export class FireTimesDto {
  @ApiProperty({ type: [String], description: 'Nominal fire times, soonest first' }) fireTimes!: string[];
}
