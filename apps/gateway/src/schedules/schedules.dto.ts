import { ApiProperty, type ApiPropertyOptions, ApiPropertyOptional } from '@nestjs/swagger';
import { OVERLAP_POLICIES, type OverlapPolicy, type ScheduleSpec } from '@spark/workflow-domain';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { IsJsonValue } from '../http/validators';
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

const WORKFLOW_SCHEMA = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string' }, version: { type: 'integer', minimum: 1 } },
  description: 'The workflow each fire runs; without a version, the latest when the fire happens',
} as ApiPropertyOptions;

/** A schedule's definition; the schedule decider validates it field by field (paths in 422 answers). */
export class ScheduleDefinitionDto {
  @ApiProperty(SPEC_SCHEMA)
  @IsObject()
  spec!: ScheduleSpec;

  @ApiProperty(WORKFLOW_SCHEMA)
  @IsObject()
  workflow!: { name: string; version?: number };

  @ApiPropertyOptional({ description: 'Input of every run it starts', example: { report: 'daily' } })
  @IsOptional()
  @IsJsonValue()
  input?: unknown;

  @ApiPropertyOptional({
    enum: OVERLAP_POLICIES,
    description: 'What a fire does while a run it started is still running (default SKIP)',
  })
  @IsOptional()
  @IsIn(OVERLAP_POLICIES)
  overlap?: OverlapPolicy;

  @ApiPropertyOptional({
    description: 'Fires missed while Spark was down still happen if at most this late (default "1m")',
    example: '5m',
  })
  @IsOptional()
  @IsString()
  catchupWindow?: string;

  @ApiPropertyOptional({
    description: 'Delay each fire by a deterministic amount below this',
    example: '10s',
  })
  @IsOptional()
  @IsString()
  jitter?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'No fire before this instant' })
  @IsOptional()
  @IsString()
  startAt?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'No fire after this instant' })
  @IsOptional()
  @IsString()
  endAt?: string;
}

export class CreateScheduleRequestDto extends ScheduleDefinitionDto {
  @ApiPropertyOptional({
    description:
      'Schedule id (letters, digits, "_", "." or "-"); a UUID when omitted. Creating the same id with the same definition again is a no-op.',
    example: 'nightly-report',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  id?: string;

  @ApiPropertyOptional({ description: 'Create it paused', default: false })
  @IsOptional()
  @IsBoolean()
  paused?: boolean;
}

export class PauseScheduleRequestDto {
  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class BackfillScheduleRequestDto {
  @ApiProperty({ format: 'date-time', description: 'First nominal time considered (inclusive)' })
  @IsISO8601({ strict: true })
  from!: string;

  @ApiProperty({ format: 'date-time', description: 'End of the range (exclusive); not in the future' })
  @IsISO8601({ strict: true })
  to!: string;

  @ApiPropertyOptional({
    enum: OVERLAP_POLICIES,
    description: "Overlap policy for these fires (default: the schedule's)",
  })
  @IsOptional()
  @IsIn(OVERLAP_POLICIES)
  overlap?: OverlapPolicy;
}

export class PreviewQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PREVIEW, default: 10 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PREVIEW)
  count?: number;

  @ApiPropertyOptional({ format: 'date-time', description: 'Preview fires after this instant (default now)' })
  @IsOptional()
  @IsISO8601({ strict: true })
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
