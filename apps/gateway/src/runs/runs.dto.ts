import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ATTEMPT_STATUSES,
  type AttemptStatusName,
  RUN_STATUSES,
  type RunAccepted,
  type RunActionResource,
  type RunErrorResource,
  type RunResource,
  type RunStatusName,
  type RunWaitingResource,
  STEP_STATUSES,
  type StepAttemptResource,
  type StepResource,
  type StepWaitingResource,
  type StepStatusName,
} from '@spark/contracts';
import { IsInt, IsNotEmpty, IsString, Matches, MaxLength, Min, ValidateBy } from 'class-validator';
import { IsJsonValue, IsOmittable, IsStringMap } from '../http/validators';
import { PATH_PARAMS } from '../http/path-params';

const LABELS_SCHEMA = {
  type: 'object' as const,
  additionalProperties: { type: 'string' },
  example: { team: 'growth' },
};

export class StartWorkflowRunRequestDto {
  @ApiPropertyOptional({
    description: 'Version to run; the latest when omitted',
    type: 'integer',
    minimum: 1,
  })
  @IsOmittable()
  @IsInt()
  @Min(1)
  version?: number;

  @ApiPropertyOptional({
    description: "Run input; must satisfy the workflow's inputSchema",
    example: { n: 21 },
  })
  @IsOmittable()
  @IsJsonValue()
  input?: unknown;

  @ApiPropertyOptional({ description: 'Labels to find the run by', ...LABELS_SCHEMA })
  @IsOmittable()
  @IsStringMap()
  labels?: Record<string, string>;
}

export class StartRunRequestDto extends StartWorkflowRunRequestDto {
  @ApiProperty({
    description: 'Name of a registered workflow',
    example: 'order-fulfilment',
    pattern: PATH_PARAMS.workflowName.pattern.source,
  })
  @IsString()
  @Matches(PATH_PARAMS.workflowName.pattern, {
    message:
      'must be a workflow name: 1-128 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit',
  })
  workflow!: string;
}

/** The most characters a reason given for a cancel, a retry or a signal may have. */
export const REASON_MAX_LENGTH = 500;

/** An optional `reason` property: a string of at most REASON_MAX_LENGTH characters, shown in the run. */
export const ReasonProperty = (description: string) =>
  applyDecorators(
    ApiPropertyOptional({ description, maxLength: REASON_MAX_LENGTH, example: 'bad deploy, see INC-42' }),
    IsOmittable(),
    // One rule, so a wrong value gets one message: what is wrong with it.
    ValidateBy({
      name: 'isReason',
      validator: {
        validate: (value) => typeof value === 'string' && value.length <= REASON_MAX_LENGTH,
        defaultMessage: (args) =>
          typeof args?.value === 'string'
            ? `reason must be at most ${REASON_MAX_LENGTH} characters`
            : 'reason must be a string',
      },
    }),
  );

export class CancelRunRequestDto {
  @ReasonProperty('Why the run is cancelled (recorded in its RunCancelled, shown in the run)')
  reason?: string;
}

export class RetryRunRequestDto {
  @ReasonProperty('Why the run is retried (recorded in its RunResumed, shown in the run)')
  reason?: string;
}

export class SignalRunRequestDto {
  @ApiProperty({
    description: 'Signal name a signal step waits for',
    example: 'approved',
    minLength: 1,
    maxLength: 200,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ description: 'Data delivered with the signal (the signal step output)' })
  @IsOmittable()
  @IsJsonValue()
  payload?: unknown;

  @ApiPropertyOptional({
    description:
      'Deduplicates repeated deliveries of one signal; defaults to the Idempotency-Key header, else random',
    pattern: '^[\\w.:-]{1,200}$',
  })
  @IsOmittable()
  @IsString()
  @Matches(/^[\w.:-]{1,200}$/, { message: 'signalId must be 1-200 letters, digits, "_", ".", ":" or "-"' })
  signalId?: string;

  @ReasonProperty('Why the signal is sent (recorded in its SignalReceived, shown in the run)')
  reason?: string;
}

export class RunWorkflowRefDto {
  @ApiProperty() name!: string;
  @ApiProperty() version!: number;
}

export class RunAcceptedDto implements RunAccepted {
  @ApiProperty({ format: 'uuid' }) runId!: string;
  @ApiProperty({ enum: RUN_STATUSES }) status!: RunStatusName;
  @ApiProperty({ type: RunWorkflowRefDto }) workflow!: RunWorkflowRefDto;
  @ApiProperty({ example: '/api/v1/runs/0b5c…' }) location!: string;
}

export class RunErrorDto implements RunErrorResource {
  @ApiProperty() code!: string;
  @ApiProperty() message!: string;
  @ApiPropertyOptional() details?: unknown;
}

export class StepAttemptDto implements StepAttemptResource {
  @ApiProperty() taskId!: string;
  @ApiProperty() stepId!: string;
  @ApiPropertyOptional() itemIndex?: number;
  @ApiProperty({ enum: ['step', 'compensation'] }) purpose!: 'step' | 'compensation';
  @ApiProperty() attempt!: number;
  @ApiProperty({ enum: ATTEMPT_STATUSES }) status!: AttemptStatusName;
  @ApiPropertyOptional() handler?: string;
  @ApiPropertyOptional({ format: 'date-time' }) dispatchedAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) startedAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) finishedAt?: string;
  @ApiPropertyOptional({
    description: "What the attempt was given: the step's input (a map item's own), resolved at dispatch",
  })
  input?: unknown;
  @ApiPropertyOptional() output?: unknown;
  @ApiPropertyOptional({ type: RunErrorDto }) error?: RunErrorDto;
}

export class StepWaitingDto implements StepWaitingResource {
  @ApiProperty() taskId!: string;
  @ApiProperty() attempt!: number;
  @ApiProperty({ example: 'waiting for rate limit model-x: 5 per 1s' }) reason!: string;
  @ApiPropertyOptional() rateLimitKey?: string;
  @ApiPropertyOptional() concurrencyKey?: string;
  @ApiPropertyOptional() inUse?: number;
  @ApiPropertyOptional() limit?: number;
  @ApiPropertyOptional({ description: 'Its place in line when it queued (1 = next)' }) position?: number;
  @ApiProperty({ format: 'date-time' }) since!: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'When the attempt is dispatched' })
  until?: string;
}

export class StepDto implements StepResource {
  @ApiProperty() stepId!: string;
  @ApiProperty({ enum: STEP_STATUSES }) status!: StepStatusName;
  @ApiPropertyOptional() output?: unknown;
  @ApiPropertyOptional({ type: RunErrorDto }) error?: RunErrorDto;
  @ApiPropertyOptional() skipReason?: string;
  @ApiPropertyOptional() awaitingSignal?: string;
  @ApiPropertyOptional({
    type: [StepWaitingDto],
    description: "Task attempts held back by the step's rate limit or concurrency key",
  })
  waiting?: StepWaitingDto[];
  @ApiProperty({ type: [StepAttemptDto] }) attempts!: StepAttemptDto[];
}

export class RunWorkflowDto {
  @ApiProperty() name!: string;
  @ApiPropertyOptional() version?: number;
}

export class RunWaitingDto implements RunWaitingResource {
  @ApiProperty({ example: 'waiting for concurrency key tenant-a: 3 of 3 in use' }) reason!: string;
  @ApiPropertyOptional() concurrencyKey?: string;
  @ApiPropertyOptional() inUse?: number;
  @ApiPropertyOptional() limit?: number;
  @ApiPropertyOptional({ description: "The run's place in line when it queued (1 = next)" })
  position?: number;
  @ApiProperty({ format: 'date-time' }) since!: string;
  @ApiPropertyOptional({
    enum: ['debounce', 'throttle'],
    description: 'Set when the run waits for its debounce or throttle',
  })
  startControl?: 'debounce' | 'throttle';
  @ApiPropertyOptional() startControlKey?: string;
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'When a debounced or throttled run starts its steps',
  })
  until?: string;
}

export class RunActionDto implements RunActionResource {
  @ApiProperty({ enum: ['CANCEL', 'RETRY', 'SIGNAL'] }) action!: 'CANCEL' | 'RETRY' | 'SIGNAL';
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiPropertyOptional({
    description: 'The reason given; absent on a retry or signal without one, "cancelled" on such a cancel',
  })
  reason?: string;
  @ApiPropertyOptional({ description: "SIGNAL: the signal's name" }) signal?: string;
  @ApiPropertyOptional({ description: "SIGNAL: the signal's id" }) signalId?: string;
  @ApiPropertyOptional({ description: 'RETRY: the run attempt the retry began' }) runAttempt?: number;
}

export class RunDto implements RunResource {
  @ApiProperty() runId!: string;
  @ApiProperty({ type: RunWorkflowDto }) workflow!: RunWorkflowDto;
  @ApiProperty({ enum: RUN_STATUSES }) status!: RunStatusName;
  @ApiPropertyOptional() input?: unknown;
  @ApiPropertyOptional() output?: unknown;
  @ApiPropertyOptional({ type: RunErrorDto }) error?: RunErrorDto;
  @ApiPropertyOptional() failedStep?: string;
  @ApiPropertyOptional(LABELS_SCHEMA) labels?: Record<string, string>;
  @ApiPropertyOptional() idempotencyKey?: string;
  @ApiPropertyOptional() runAttempt?: number;
  @ApiPropertyOptional({ format: 'date-time' }) acceptedAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) startedAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) finishedAt?: string;
  @ApiPropertyOptional({
    type: RunWaitingDto,
    description:
      'Why a live run starts no step yet (its concurrency key has no free slot, or its debounce or throttle holds it)',
  })
  waiting?: RunWaitingDto;
  @ApiPropertyOptional({
    type: [RunActionDto],
    description:
      'Cancels, retries from failure and signals, in the order they were recorded, with their reasons',
  })
  actions?: RunActionDto[];
  @ApiProperty({ type: [StepDto] }) steps!: StepDto[];
  @ApiPropertyOptional({ description: 'Stream revision the view reflects' }) revision?: string;
}
